"""One admitted request after its role is known: catalogue, model loop, reply (DESIGN.md §3
steps 6–10). Failures of the gateway or the model end the session with an error reference.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from artbattle_ops.assistant import messages, metrics
from artbattle_ops.assistant.contract import Reply
from artbattle_ops.assistant.gateway import GatewayCallError, GatewayLink, classify, open_link
from artbattle_ops.assistant.policy import Refusal
from artbattle_ops.assistant.sessions import SessionRecord
from artbattle_ops.assistant.writes import pending_confirmation, preview_text
from artbattle_ops.observability.hashing import arguments_hash
from artbattle_ops.router.catalogue import openai_tool, preselect
from artbattle_ops.router.llm import CallRecord, LoopLimits, ToolResult, Transcript, run_loop
from artbattle_ops.router.model import ModelError, ModelTurn, Responder
from artbattle_ops.router.prompt import prompt_hash, system_prompt

if TYPE_CHECKING:
    from artbattle_ops.assistant.service import AssistantService

_MODEL_TEXTS = {"timeout": messages.MODEL_TIMEOUT}


class RequestRun:
    """The catalogue and model part of one request."""

    def __init__(self, service: AssistantService, record: SessionRecord) -> None:
        self.service = service
        self.record = record
        self.settings = service.settings

    async def run(self) -> Reply:
        """The reply of an admitted request whose role is resolved."""
        responder = self.service.deps.responder
        if responder is None:
            return self.service.fail(self.record, NoModelError(), "llm", messages.NO_MODEL)
        try:
            async with open_link(self.service.deps.gateway) as link:
                self.record.gateway_version = link.version
                return await self._with_gateway(link, responder)
        except GatewayCallError as exc:
            self.service.report_gateway_failure(exc, self.service.actor(self.record))
            return self.service.fail(self.record, exc, "gateway", messages.GATEWAY_DOWN)

    async def _with_gateway(self, link: GatewayLink, responder: Responder) -> Reply:
        record, service = self.record, self.service
        tools = await link.list_tools(service.caller(record))
        if not tools:
            return self._no_tools()
        offered = preselect(tools, record.inbound.text)
        system = system_prompt(record.role or "", len(offered))
        record.system_prompt_hash = prompt_hash(system)
        service.auditor.emit(
            "session_started",
            service.actor(record),
            detail=self._started_detail(len(tools), responder.name),
        )

        transcript = Transcript(turns=record.turns, calls=record.calls)
        timed = _Timed(responder)
        try:
            await run_loop(
                timed,
                service.conversation(record, system),
                [openai_tool(tool) for tool in offered],
                lambda name, arguments: self._execute(link, name, arguments),
                self._limits(),
                transcript,
            )
        except ModelError as exc:
            record.turns.append(ModelTurn(None, duration_ms=timed.failed_ms))
            self._audit_refusals(record.calls)
            text = _MODEL_TEXTS.get(exc.reason, messages.MODEL_UNAVAILABLE)
            return service.fail(record, exc, "llm", text)
        self._audit_refusals(record.calls)
        if transcript.pending is not None:
            return self._confirmation(transcript.pending)
        return service.reply(record, transcript.text or "")

    def _no_tools(self) -> Reply:
        detail = {
            "role": self.record.role,
            "mutating_enabled": self.settings.enable_mutating_tools,
        }
        refusal = Refusal(
            "no_tools_available", "no_tools_for_role", "denied", messages.NO_TOOLS, detail
        )
        return self.service.refuse(self.record, refusal)

    def _started_detail(self, tool_count: int, model: str) -> dict[str, Any]:
        return {
            "interaction_type": self.record.inbound.interaction_type,
            "role_source": self.record.role_source,
            "tools_available": tool_count,
            "mutating_enabled": self.settings.enable_mutating_tools,
            "model": model,
        }

    def _limits(self) -> LoopLimits:
        s = self.settings
        return LoopLimits(
            max_rounds=s.llm_max_rounds,
            max_tool_calls=s.llm_max_tool_calls,
            max_result_chars=s.llm_max_tool_result_chars,
            per_tool=self.service.deps.per_tool_caps,
        )

    async def _execute(self, link: GatewayLink, name: str, arguments: dict[str, Any]) -> ToolResult:
        started = time.perf_counter()
        try:
            envelope = await link.call_tool(name, arguments, self.service.caller(self.record))
        except GatewayCallError as exc:
            self.service.report_gateway_failure(exc, self.service.actor(self.record))
            metrics.TOOL_CALL_DURATION.labels("gateway_unreachable").observe(exc.duration_ms / 1000)
            return _unreachable(name, exc)
        duration_ms = int((time.perf_counter() - started) * 1000)
        result = classify(envelope, duration_ms)
        metrics.TOOL_CALL_DURATION.labels(result.outcome).observe(duration_ms / 1000)
        return result

    def _audit_refusals(self, calls: list[CallRecord]) -> None:
        for call in calls:
            if call.refusal is None or call.refusal.get("audited"):
                continue
            refusal = dict(call.refusal)
            event, reason = refusal.pop("event"), refusal.pop("reason")
            detail = (
                refusal if event != "tool_not_available" else {"requested_tool": call.tool_name}
            )
            tool = call.tool_name if event != "tool_not_available" else None
            self.service.auditor.emit(
                event, self.service.actor(self.record), reason=reason, tool_name=tool, detail=detail
            )
            call.refusal["audited"] = True

    def _confirmation(self, call: CallRecord) -> Reply:
        record, service = self.record, self.service
        pending = pending_confirmation(call, record.inbound.slack_user_id, str(record.id))
        settings = self.settings
        preview_hash = pending.preview.get("arguments_hash")
        detail = {
            "confirmation_id": pending.confirmation_id,
            "mode": "buttons",
            "timeout_seconds": _seconds_left(pending.expires_at),
            "argument_keys": sorted(pending.arguments),
            "arguments_hash": preview_hash
            or arguments_hash(
                settings.hash_key, settings.arguments_hash_key_id, call.tool_name, call.arguments
            ),
        }
        service.auditor.emit(
            "confirmation_requested", service.actor(record), tool_name=call.tool_name, detail=detail
        )
        return service.reply(record, preview_text(pending), confirmation=pending)


class NoModelError(Exception):
    """No model endpoint is configured and no offline responder is plugged in."""


class _Timed:
    """A responder wrapper that records model-call metrics and failed calls as rounds."""

    def __init__(self, responder: Responder) -> None:
        self._responder = responder
        self.failed_ms = 0

    @property
    def name(self) -> str:
        return self._responder.name

    async def respond(self, messages: Any, tools: Any, *, allow_tools: bool) -> ModelTurn:
        started = time.perf_counter()
        try:
            turn = await self._responder.respond(messages, tools, allow_tools=allow_tools)
        except ModelError as exc:
            elapsed = time.perf_counter() - started
            self.failed_ms = int(elapsed * 1000)
            metrics.MODEL_CALL_DURATION.labels(exc.reason).observe(elapsed)
            raise
        metrics.MODEL_CALL_DURATION.labels("ok").observe(turn.duration_ms / 1000)
        metrics.MODEL_TOKENS.labels("prompt").inc(turn.prompt_tokens)
        metrics.MODEL_TOKENS.labels("completion").inc(turn.completion_tokens)
        return turn


def _unreachable(name: str, exc: GatewayCallError) -> ToolResult:
    error = {"code": "gateway_unreachable", "message": "The tools service could not be reached."}
    envelope = {"ok": False, "tool": name, "error": error}
    return ToolResult("gateway_unreachable", envelope, exc.duration_ms, exc.reason, None)


def _seconds_left(expires_at: dict[str, Any]) -> int:
    text = expires_at.get("utc")
    if not isinstance(text, str):
        return 300
    try:
        expires = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 300
    return max(0, int((expires - datetime.now(UTC)).total_seconds()))
