"""The pending write carried by the Confirm and Cancel buttons, so any replica can act on a click.

A button's `value` is JSON holding everything `Assistant.confirm` needs (confirmation id, tool,
arguments, requester, session, summary, expiry); nothing is kept in memory between the post and
the click. Slack caps a value at 2,000 characters: when the arguments do not fit, the prompt is
not offered (`ConfirmationTooLargeError`) and the pending write is cancelled instead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from artbattle_ops.assistant.contract import PendingConfirmation

BUTTON_VALUE_MAX_CHARS: Final = 2000


class ConfirmationTooLargeError(ValueError):
    """The confirmation does not fit in a button value."""


def encode_confirmation(confirmation: PendingConfirmation) -> str:
    """Compact JSON for a button value; the summary is shortened before giving up.

    Raises:
        ConfirmationTooLargeError: the arguments alone exceed the value limit.
    """
    payload: dict[str, Any] = {
        "c": confirmation.confirmation_id,
        "t": confirmation.tool,
        "a": confirmation.arguments,
        "u": confirmation.requested_by,
        "s": confirmation.session_id,
        "e": confirmation.expires_at.get("utc"),
        "d": confirmation.expires_at.get("display"),
        "m": confirmation.summary,
    }
    value = _dumps(payload)
    if len(value) <= BUTTON_VALUE_MAX_CHARS:
        return value
    payload["m"], payload["d"] = "", None
    value = _dumps(payload)
    if len(value) > BUTTON_VALUE_MAX_CHARS:
        raise ConfirmationTooLargeError(f"{len(value)} characters")
    return value


def decode_confirmation(value: str) -> PendingConfirmation:
    """The pending write a button carries.

    Raises:
        ValueError: the value is not one this service wrote.
    """
    payload = json.loads(value)
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), dict):
        raise ValueError("not a confirmation value")
    expires_at = {"utc": payload.get("e"), "display": payload.get("d")}
    return PendingConfirmation(
        confirmation_id=str(payload["c"]),
        tool=str(payload["t"]),
        arguments=payload["a"],
        preview={},
        expires_at={k: v for k, v in expires_at.items() if v},
        requested_by=str(payload["u"]),
        session_id=str(payload["s"]),
        summary=str(payload.get("m") or ""),
    )


def is_expired(confirmation: PendingConfirmation, now: datetime) -> bool:
    """True once the expiry instant has passed; a confirmation without one never expires here
    (the gateway still refuses it)."""
    utc = confirmation.expires_at.get("utc")
    if not isinstance(utc, str):
        return False
    expires = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    return now.astimezone(UTC) >= expires


def _dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
