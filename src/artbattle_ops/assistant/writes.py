"""Pending writes as the user sees them (DESIGN.md §3 step 9): the preview shown with the
Confirm and Cancel buttons, and the outcome text once the confirmed call returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from artbattle_ops.assistant import messages
from artbattle_ops.assistant.contract import PendingConfirmation
from artbattle_ops.router.llm import CallRecord

# tools.md §1.9: a pending action lapses 5 minutes after its preview.
CONFIRMATION_TTL: Final = timedelta(minutes=5)
VALUE_MAX_CHARS: Final = 200


def pending_confirmation(
    record: CallRecord, requested_by: str, session_id: str
) -> PendingConfirmation:
    """The `PendingConfirmation` of a call the gateway answered with `confirmation_required`."""
    error = (record.envelope or {}).get("error") or {}
    preview = _mapping(error.get("preview"))
    expires_at = _mapping(error.get("expires_at"))
    summary = str(preview.get("summary") or error.get("message") or record.tool_name)
    return PendingConfirmation(
        confirmation_id=str(error["confirmation_id"]),
        tool=record.tool_name,
        arguments=dict(record.arguments),
        preview=dict(preview),
        expires_at=dict(expires_at),
        requested_by=requested_by,
        session_id=session_id,
        summary=summary,
    )


def preview_text(pending: PendingConfirmation) -> str:
    """The confirmation prompt in Slack mrkdwn: summary, before/after, effects, warnings, expiry."""
    preview = pending.preview
    lines = [f"*Please confirm this change:* {pending.summary}"]
    lines += _changes(preview.get("before"), preview.get("after"))
    lines += [f"• {effect}" for effect in _strings(preview.get("effects"))]
    lines += [f"⚠️ {warning}" for warning in _strings(preview.get("warnings"))]
    display = pending.expires_at.get("display")
    expiry = f" before {display}" if display else " within 5 minutes"
    lines.append(f"Only <@{pending.requested_by}> can confirm it, with the buttons{expiry}.")
    return "\n".join(lines)


@dataclass(frozen=True)
class WriteOutcome:
    """What a confirmed call did, as the requester is told: `done` when the change exists."""

    text: str
    done: bool


def write_outcome(envelope: dict[str, Any], pending: PendingConfirmation) -> WriteOutcome:
    """What the confirmed call did, stated from the gateway's answer only."""
    if not envelope.get("ok"):
        error = envelope.get("error") or {}
        message = str(error.get("message") or "the tools service refused it")
        return WriteOutcome(messages.WRITE_NOT_DONE.format(message=message), done=False)
    data = _mapping(envelope.get("data"))
    if data.get("changed") is False:
        return WriteOutcome(f"Nothing needed changing: {pending.summary}", done=True)
    if data.get("replayed") is True:
        return WriteOutcome(messages.WRITE_REPLAYED.format(summary=pending.summary), done=True)
    return WriteOutcome(messages.WRITE_DONE.format(summary=pending.summary), done=True)


def is_expired(pending: PendingConfirmation, now: datetime) -> bool:
    """The pending action's `expires_at` has passed (unknown expiry: judged by the gateway)."""
    expires = expires_at(pending)
    return expires is not None and expires <= now


def expires_at(pending: PendingConfirmation) -> datetime | None:
    """The UTC instant the pending action lapses, when the gateway gave one."""
    text = pending.expires_at.get("utc")
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def wait_ms(pending: PendingConfirmation, now: datetime) -> int | None:
    """Milliseconds since the preview (its expiry minus the 5-minute lifetime)."""
    expires = expires_at(pending)
    if expires is None:
        return None
    return max(0, int((now - (expires - CONFIRMATION_TTL)).total_seconds() * 1000))


def _changes(before: Any, after: Any) -> list[str]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    keys = [key for key in after if before.get(key) != after.get(key)] or list(after)
    return [f"• {key}: {_value(before.get(key))} → {_value(after.get(key))}" for key in keys]


def _value(value: Any) -> str:
    if value is None:
        return "_(none)_"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`{text[:VALUE_MAX_CHARS]}`"


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []
