"""The offline router behind the `Responder` seam, so it runs inside the same tool loop as a model.

The loop owns the conversation; the router's `answer` wants a function that calls tools. Each
round, `OfflineResponder.respond` replays `answer` against the tool results already in the
conversation: a call whose result is there is served from it, and the first call that is not
becomes this round's tool call. When `answer` finishes, its text is the turn's answer. Budgets,
role checks, confirmations and session rows therefore work exactly as with a model.

`FallbackResponder` puts a model first and the offline router behind it: when the model cannot
be reached, the request is answered offline and the reply says so.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

from artbattle_ops.router.llm import OFFLINE_CALL_PREFIX as CALL_ID_PREFIX
from artbattle_ops.router.model import (
    Message,
    ModelError,
    ModelTurn,
    Responder,
    ToolCallRequest,
    ToolSpec,
)
from artbattle_ops.router.offline.router import OfflineRouter

logger = logging.getLogger(__name__)

OFFLINE_MODEL: Final = "offline-router"
# Model failures the offline router stands in for; a refused request (bad_request) is a bug.
FALLBACK_REASONS: Final = frozenset({"timeout", "rate_limited", "upstream"})
FALLBACK_NOTICE: Final = (
    "_The language model could not be reached ({reason}), so the offline router answered._"
)
UNFINISHED: Final = "_I could not finish: this request used up its tool calls._"
NO_QUESTION: Final = "Please provide a request after the command or mention."


class _NeedsCall(Exception):
    """The replayed answer reached a tool call whose result the conversation does not hold."""

    def __init__(self, tool: str, arguments: dict[str, Any]) -> None:
        super().__init__(tool)
        self.tool = tool
        self.arguments = arguments


class OfflineResponder:
    """Answers each round with the next tool call of the router's plan, or the final text."""

    # The loop offers every tool to an offline responder and does not cut its results.
    offline: Final = True

    def __init__(self, router: OfflineRouter) -> None:
        self._router = router

    @property
    def name(self) -> str:
        """The model id recorded for offline turns."""
        return OFFLINE_MODEL

    async def respond(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], *, allow_tools: bool
    ) -> ModelTurn:
        """The next tool call of the plan, or the formatted answer once every call is done."""
        return await self.respond_with(messages, tools, allow_tools=allow_tools, notice=None)

    async def respond_with(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        *,
        allow_tools: bool,
        notice: str | None,
        model: str = OFFLINE_MODEL,
        spent_ms: int = 0,
        call_prefix: str = CALL_ID_PREFIX,
    ) -> ModelTurn:
        """`respond`, with a notice put before the final text and earlier time counted."""
        started = time.perf_counter()
        question, results = _current_request(messages)
        available = [tool["function"]["name"] for tool in tools]
        served = _Replay(results)
        if not question:
            text: str | None = NO_QUESTION
        else:
            try:
                text = (await self._router.answer(question, available, served.call)).text
            except _NeedsCall as need:
                if allow_tools:
                    call = ToolCallRequest(
                        f"{call_prefix}{served.count + 1}",
                        need.tool,
                        json.dumps(need.arguments, ensure_ascii=False, default=str),
                    )
                    return _turn(None, (call,), model, started, spent_ms)
                text = UNFINISHED
        if notice:
            text = f"{notice}\n\n{text}" if text else notice
        return _turn(text, (), model, started, spent_ms)


class FallbackResponder:
    """A model first; the offline router when the model cannot be reached."""

    def __init__(self, primary: Responder, offline: OfflineResponder) -> None:
        self._primary = primary
        self._offline = offline

    @property
    def name(self) -> str:
        """The configured model's id."""
        return self._primary.name

    async def respond(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], *, allow_tools: bool
    ) -> ModelTurn:
        """The model's turn; after a model failure, the offline router's turns to the end."""
        reason = _fallen_back(messages)
        spent_ms = 0
        if reason is None:
            started = time.perf_counter()
            try:
                return await self._primary.respond(messages, tools, allow_tools=allow_tools)
            except ModelError as exc:
                if exc.reason not in FALLBACK_REASONS:
                    raise
                reason = exc.reason
                spent_ms = int((time.perf_counter() - started) * 1000)
                logger.warning(
                    "model_unreachable_offline_answer",
                    extra={"model": self._primary.name, "reason": reason, "error": str(exc)},
                )
        return await self._offline.respond_with(
            messages,
            tools,
            allow_tools=allow_tools,
            notice=FALLBACK_NOTICE.format(reason=reason),
            model=f"{OFFLINE_MODEL} (fallback: {self._primary.name} {reason})",
            spent_ms=spent_ms,
            call_prefix=f"{CALL_ID_PREFIX}{reason}-",
        )

    async def aclose(self) -> None:
        """Close the model's client, if it has one."""
        close = getattr(self._primary, "aclose", None)
        if close is not None:
            await close()


class _Replay:
    """Serves the router's tool calls from earlier rounds' results, in order."""

    def __init__(self, results: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
        self._results = results
        self.count = 0

    async def call(self, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        if self.count < len(self._results):
            name, asked, envelope = self._results[self.count]
            if name == tool and _same(asked, arguments):
                self.count += 1
                return envelope
        raise _NeedsCall(tool, dict(arguments))


def _current_request(
    messages: Sequence[Message],
) -> tuple[str, list[tuple[str, dict[str, Any], dict[str, Any]]]]:
    """The last user message and the (tool, arguments, envelope) results after it, in order."""
    start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    question = str(messages[start].get("content") or "").strip() if start >= 0 else ""
    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    results: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for message in messages[start + 1 :]:
        if message.get("role") == "assistant":
            for call in message.get("tool_calls") or []:
                function = call.get("function") or {}
                asked[call.get("id", "")] = (
                    str(function.get("name")),
                    _arguments(function.get("arguments")),
                )
        elif message.get("role") == "tool" and message.get("tool_call_id") in asked:
            name, arguments = asked[message["tool_call_id"]]
            results.append((name, arguments, _envelope(name, message.get("content"))))
    return question, results


def _fallen_back(messages: Sequence[Message]) -> str | None:
    """The model failure an earlier round of this request fell back on, if any."""
    start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    for message in messages[start + 1 :]:
        for call in message.get("tool_calls") or []:
            call_id = str(call.get("id", ""))
            reason = call_id.removeprefix(CALL_ID_PREFIX).split("-")[0]
            if call_id.startswith(CALL_ID_PREFIX) and reason in FALLBACK_REASONS:
                return reason
    return None


def _arguments(raw: Any) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        parsed = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _envelope(tool: str, content: Any) -> dict[str, Any]:
    try:
        parsed = json.loads(content or "")
    except (TypeError, ValueError):
        parsed = None
    if isinstance(parsed, dict):
        return parsed
    error = {"code": "result_unreadable", "message": "The tool's result could not be read."}
    return {"ok": False, "tool": tool, "error": error}


def _same(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    return json.dumps(left, sort_keys=True, default=str) == json.dumps(
        right, sort_keys=True, default=str
    )


def _turn(
    text: str | None,
    calls: tuple[ToolCallRequest, ...],
    model: str,
    started: float,
    spent_ms: int,
) -> ModelTurn:
    duration_ms = spent_ms + int((time.perf_counter() - started) * 1000)
    return ModelTurn(text, calls, model=model, duration_ms=duration_ms, offline=True)
