"""The tool loop (DESIGN.md §3 step 7): rounds of model turns and parallel tool calls, bounded.

Each round sends the conversation to the `Responder`. Tool calls it asks for are checked here
(valid JSON arguments, in the caller's toolset, within the per-request and per-tool caps), the
admitted ones run concurrently through the `ToolExecutor` (an MCP `tools/call` each), and every
result goes back to the model trimmed to `max_result_chars`. The loop ends on a text answer, on a
write waiting for confirmation, or after `max_rounds` (the last round may not call tools).
Everything that happened is kept in the `Transcript` the caller passed, also when a model call
raises, so the session row can be written whatever the outcome.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from artbattle_ops.router.model import Message, ModelTurn, Responder, ToolCallRequest, ToolSpec

# Tool calls the offline router asks for carry ids with this prefix (`router.offline.responder`).
OFFLINE_CALL_PREFIX: Final = "offline-"

NO_ANSWER: Final = "I could not find an answer to that. Try rephrasing, or name the event (AB…)."
TOOL_NAME_MAX_CHARS: Final = 100
_UNSAFE_NAME = re.compile(r"[^a-z0-9_]")


@dataclass(frozen=True)
class LoopLimits:
    """Bounds of one request's loop."""

    max_rounds: int
    max_tool_calls: int
    max_result_chars: int
    per_tool: Mapping[str, int] = field(default_factory=dict)
    default_per_tool: int = 3


@dataclass
class CallRecord:
    """One tool call the model requested, and what became of it (a `tools_called` entry)."""

    tool_name: str
    round: int
    arguments: dict[str, Any]
    outcome: str
    error_code: str | None = None
    execution_id: str | None = None
    has_error_field: bool = False
    duration_ms: int = 0
    envelope: dict[str, Any] | None = None
    # Why the loop refused it, with the numbers the audit event carries.
    refusal: dict[str, Any] | None = None


@dataclass(frozen=True)
class ToolResult:
    """What the executor reports for one admitted call."""

    outcome: str
    envelope: dict[str, Any]
    duration_ms: int
    error_code: str | None = None
    execution_id: str | None = None


ToolExecutor = Callable[[str, dict[str, Any]], Awaitable[ToolResult]]


@dataclass
class Transcript:
    """Everything the loop did so far: model turns in order and tool calls in order."""

    turns: list[ModelTurn] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    text: str | None = None
    pending: CallRecord | None = None


async def run_loop(
    responder: Responder,
    messages: list[Message],
    tools: list[ToolSpec],
    execute: ToolExecutor,
    limits: LoopLimits,
    transcript: Transcript,
) -> Transcript:
    """Run rounds until a text answer, a pending confirmation or the round limit.

    Raises:
        ModelError: a model call failed (the transcript keeps what happened before).
    """
    offered = {tool["function"]["name"] for tool in tools}
    per_tool: Counter[str] = Counter()
    for round_number in range(1, limits.max_rounds + 1):
        allow_tools = round_number < limits.max_rounds and bool(tools)
        turn = await responder.respond(messages, tools, allow_tools=allow_tools)
        transcript.turns.append(turn)
        if not turn.tool_calls or not allow_tools:
            transcript.text = (turn.text or "").strip() or NO_ANSWER
            return transcript

        messages.append(_assistant_message(turn))
        records = [
            _plan(call, round_number, offered, per_tool, transcript, limits)
            for call in turn.tool_calls
        ]
        await _execute_admitted(records, execute)
        for call, record in zip(turn.tool_calls, records, strict=True):
            messages.append(_tool_message(call.id, record, limits.max_result_chars))
        transcript.calls.extend(records)

        transcript.pending = next((r for r in records if is_confirmation(r)), None)
        if transcript.pending is not None:
            return transcript
    transcript.text = NO_ANSWER
    return transcript


def sanitize_tool_name(name: str) -> str:
    """The requested name as stored: lower case, `[a-z0-9_]`, at most 100 characters."""
    return _UNSAFE_NAME.sub("_", name.lower())[:TOOL_NAME_MAX_CHARS]


def is_confirmation(record: CallRecord) -> bool:
    """The gateway answered `confirmation_required` with a stored pending action."""
    error = (record.envelope or {}).get("error") or {}
    return error.get("code") == "confirmation_required" and bool(error.get("confirmation_id"))


def bound_text(text: str, max_chars: int) -> str:
    """`text` cut to `max_chars`, marked when cut so the model knows data is missing."""
    if len(text) <= max_chars:
        return text
    marker = f"…[cut at {max_chars} characters: ask for less, e.g. a narrower filter or a limit]"
    return text[: max(0, max_chars - len(marker))] + marker


def _plan(
    call: ToolCallRequest,
    round_number: int,
    offered: set[str],
    per_tool: Counter[str],
    transcript: Transcript,
    limits: LoopLimits,
) -> CallRecord:
    """A record for the call: `pending` when admitted, else the local refusal."""
    name = sanitize_tool_name(call.name)
    arguments = _parse_arguments(call.arguments)
    if arguments is None:
        return _refused(name, round_number, {}, "denied", "invalid_arguments_json")
    if call.name not in offered:
        record = _refused(name, round_number, arguments, "not_available", "not_in_toolset")
        record.refusal = {"event": "tool_not_available", "reason": "not_in_toolset"}
        return record

    used = sum(per_tool.values())
    cap = limits.per_tool.get(call.name, limits.default_per_tool)
    if used >= limits.max_tool_calls:
        return _over_budget(
            name, round_number, arguments, "request_budget_exhausted", limits.max_tool_calls, used
        )
    if per_tool[call.name] >= cap:
        return _over_budget(
            name, round_number, arguments, "tool_max_calls_exceeded", cap, per_tool[call.name]
        )
    per_tool[call.name] += 1
    return CallRecord(call.name, round_number, arguments, "pending")


def _parse_arguments(raw: str) -> dict[str, Any] | None:
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _refused(
    name: str, round_number: int, arguments: dict[str, Any], outcome: str, code: str
) -> CallRecord:
    return CallRecord(name, round_number, arguments, outcome, error_code=code)


def _over_budget(
    name: str, round_number: int, arguments: dict[str, Any], reason: str, limit: int, used: int
) -> CallRecord:
    record = _refused(name, round_number, arguments, "budget_exceeded", reason)
    record.refusal = {
        "event": "tool_call_budget_exceeded",
        "reason": reason,
        "limit": limit,
        "used": used,
    }
    return record


async def _execute_admitted(records: list[CallRecord], execute: ToolExecutor) -> None:
    admitted = [record for record in records if record.outcome == "pending"]
    results = await asyncio.gather(*(execute(r.tool_name, r.arguments) for r in admitted))
    for record, result in zip(admitted, results, strict=True):
        record.outcome = result.outcome
        record.envelope = result.envelope
        record.duration_ms = result.duration_ms
        record.error_code = result.error_code
        record.execution_id = result.execution_id
        record.has_error_field = isinstance(result.envelope.get("error"), dict)


def _assistant_message(turn: ModelTurn) -> Message:
    calls = [
        {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
        for c in turn.tool_calls
    ]
    return {"role": "assistant", "content": turn.text, "tool_calls": calls}


def _tool_message(call_id: str, record: CallRecord, max_chars: int) -> Message:
    body = record.envelope if record.envelope is not None else _local_error(record)
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    if call_id.startswith(OFFLINE_CALL_PREFIX):
        # The offline router formats whole results; no model context to protect.
        return {"role": "tool", "tool_call_id": call_id, "content": text}
    return {"role": "tool", "tool_call_id": call_id, "content": bound_text(text, max_chars)}


_LOCAL_MESSAGES: Final = {
    "invalid_arguments_json": "The arguments were not a valid JSON object. Send a JSON object "
    "that matches the tool's parameters.",
    "not_in_toolset": "This tool is not available to the user. Use one of the tools offered.",
    "request_budget_exhausted": "The tool-call budget of this request is used up. Answer with "
    "what you have.",
    "tool_max_calls_exceeded": "This tool was called as often as one request allows. Answer "
    "with what you have.",
}


def _local_error(record: CallRecord) -> dict[str, Any]:
    code = record.error_code or "internal_error"
    message = _LOCAL_MESSAGES.get(code, "The call could not be made.")
    return {"ok": False, "tool": record.tool_name, "error": {"code": code, "message": message}}
