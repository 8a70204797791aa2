"""One `esbmcp_chat_sessions` row per request (observability.md §2.1): what it accumulates and
how it becomes the row the writer inserts.
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.assistant.contract import Inbound
from artbattle_ops.observability.hashing import arguments_hash
from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.router.llm import CallRecord
from artbattle_ops.router.model import ModelTurn

PROMPT_MAX_STORED_CHARS: Final = 12_000
REJECTED_PROMPT_CHARS: Final = 2_000
ERROR_MESSAGE_MAX_CHARS: Final = 500
_BASE36: Final = string.digits + string.ascii_lowercase


def new_request_id() -> str:
    """32 lowercase hex: the correlation id of one request."""
    return uuid.uuid4().hex


def new_error_id(now: float | None = None) -> str:
    """`err_<base36 ms>_<6 chars>`: the reference a user quotes to an operator."""
    millis = int((time.time() if now is None else now) * 1000)
    stamp = ""
    while millis:
        millis, digit = divmod(millis, 36)
        stamp = _BASE36[digit] + stamp
    suffix = "".join(secrets.choice(_BASE36) for _ in range(6))
    return f"err_{stamp or '0'}_{suffix}"


@dataclass
class SessionRecord:
    """Everything one request's row needs, filled in as the request goes."""

    inbound: Inbound
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    request_id: str = field(default_factory=new_request_id)
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.perf_counter)
    role: str | None = None
    role_source: str = "none"
    status: str = "completed"
    error_message: str | None = None
    error_id: str | None = None
    response: str | None = None
    turns: list[ModelTurn] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    system_prompt_hash: str | None = None
    redaction_rules: list[str] = field(default_factory=list)
    gateway_version: str | None = None
    estimated_cost: Decimal | None = Decimal(0)

    @property
    def elapsed_ms(self) -> int:
        """Milliseconds since the request was received."""
        return int((time.perf_counter() - self.started) * 1000)

    def fail(self, exc: BaseException, scrubber: Scrubber) -> str:
        """Mark the session as ended by `exc`; returns the new error id."""
        self.status = "error"
        self.error_id = new_error_id()
        message = f"{type(exc).__name__}: {exc}"
        self.error_message = scrubber.scrub(message, ERROR_MESSAGE_MAX_CHARS)
        return self.error_id


def stored_prompt(text: str, rejected_too_long: bool, scrubber: Scrubber) -> str:
    """`user_prompt`: scrubbed and bounded; a rejected over-long prompt keeps its start only."""
    if rejected_too_long:
        return scrubber.scrub(text[:REJECTED_PROMPT_CHARS]) + " [truncated]"
    return scrubber.scrub(text, PROMPT_MAX_STORED_CHARS)


def tools_called(calls: list[CallRecord], key: bytes, key_id: str) -> list[dict[str, Any]]:
    """The `tools_called` entries (§2.1.1), in call order."""
    return [tool_entry(call, key, key_id) for call in calls]


def tool_entry(call: CallRecord, key: bytes, key_id: str) -> dict[str, Any]:
    """One entry; its `arguments_hash` equals the gateway's for the same call."""
    return {
        "tool_name": call.tool_name,
        "round": call.round,
        "argument_keys": sorted(call.arguments),
        "arguments_hash": arguments_hash(key, key_id, call.tool_name, call.arguments),
        "outcome": call.outcome,
        "ok": call.outcome == "executed",
        "has_error_field": call.has_error_field,
        "duration_ms": call.duration_ms,
        "execution_id": call.execution_id,
        "error_code": call.error_code,
    }


def session_row(
    record: SessionRecord,
    *,
    reply_ts: str | None,
    thread_ts: str | None,
    total_duration_ms: int,
    entries: list[dict[str, Any]],
    prompt: str,
    response: str | None,
    service_version: str,
) -> dict[str, Any]:
    """The `esbmcp_chat_sessions` row of a finished request."""
    inbound, turns = record.inbound, record.turns
    prompt_tokens = sum(t.prompt_tokens for t in turns)
    completion_tokens = sum(t.completion_tokens for t in turns)
    return {
        "id": record.id,
        "request_id": record.request_id,
        "slack_event_id": inbound.slack_event_id,
        "slack_team_id": inbound.slack_team_id,
        "slack_channel_id": inbound.slack_channel_id,
        "slack_thread_ts": thread_ts,
        "reply_ts": reply_ts,
        "slack_user_id": inbound.slack_user_id,
        "slack_username": inbound.slack_username,
        "user_role": record.role,
        "interaction_type": inbound.interaction_type,
        "user_prompt": prompt,
        "ai_model": next((t.model for t in reversed(turns) if t.model), None),
        "ai_system_prompt_hash": record.system_prompt_hash if turns else None,
        "ai_response": response,
        "tools_called": entries,
        "tool_call_count": len(entries),
        "status": record.status,
        "error_message": record.error_message if record.status != "completed" else None,
        "error_id": record.error_id if record.status == "error" else None,
        "total_duration_ms": total_duration_ms,
        "ai_first_call_ms": turns[0].duration_ms if turns else None,
        "ai_followup_ms": sum(t.duration_ms for t in turns[1:]) if turns else None,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "api_rounds": len(turns),
        "estimated_cost_usd": record.estimated_cost,
        "redaction_rules_applied": record.redaction_rules,
        "service_version": service_version,
        "gateway_version": record.gateway_version,
        "created_at": record.received_at,
    }
