"""The caller context a request carries in `_meta`, under the `artbattle/` keys (DESIGN.md §4)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "artbattle/"
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
INTERACTION_TYPES = frozenset(
    {"app_mention", "slash_command", "direct_message", "group_dm", "assistant", "console", "cli"}
)


@dataclass(frozen=True)
class CallerContext:
    """What the (signed) request says about its origin. The role is never part of it."""

    slack_user_id: str | None
    slack_team_id: str | None
    slack_channel_id: str | None
    slack_username: str | None
    session_id: str | None
    request_id: str
    interaction_type: str | None
    confirmation_id: str | None
    request_id_minted: bool


def parse_context(meta: Mapping[str, Any] | None) -> CallerContext:
    """Read the `artbattle/` keys; malformed values count as absent, a missing request id is minted.

    The session id must be a uuid (it lands in a uuid column); anything else is dropped rather
    than failing the call, because telemetry must never break the user path.
    """
    values = {k.removeprefix(PREFIX): v for k, v in (meta or {}).items() if k.startswith(PREFIX)}
    request_id = _text(values.get("request_id"), _REQUEST_ID)
    interaction = _text(values.get("interaction_type"), _ID)
    return CallerContext(
        slack_user_id=_text(values.get("slack_user_id"), _ID),
        slack_team_id=_text(values.get("slack_team_id"), _ID),
        slack_channel_id=_text(values.get("slack_channel_id"), _ID),
        slack_username=_username(values.get("slack_username")),
        session_id=_uuid(values.get("session_id")),
        request_id=request_id or uuid.uuid4().hex,
        interaction_type=interaction if interaction in INTERACTION_TYPES else None,
        confirmation_id=_username(values.get("confirmation_id")),
        request_id_minted=request_id is None,
    )


def _text(value: Any, pattern: re.Pattern[str]) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if pattern.match(value) else None


def _username(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:100]


def _uuid(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None
