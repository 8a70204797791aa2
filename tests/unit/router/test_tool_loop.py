"""The tool loop with a scripted responder and a recording executor: rounds, caps, refusals,
confirmation stops, and what goes back to the model."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from artbattle_ops.router.llm import (
    NO_ANSWER,
    LoopLimits,
    ToolResult,
    Transcript,
    bound_text,
    run_loop,
    sanitize_tool_name,
)
from artbattle_ops.router.model import Message, ModelTurn, ToolCallRequest, ToolSpec

TOOLS: list[ToolSpec] = [
    {"type": "function", "function": {"name": name, "description": "", "parameters": {}}}
    for name in ("lookup_event", "get_event_summary", "send_payment_reminder")
]


class Scripted:
    """A responder answering turns in order and recording what it was sent."""

    def __init__(self, *turns: ModelTurn) -> None:
        self.turns = list(turns)
        self.sent: list[tuple[list[Message], bool]] = []

    @property
    def name(self) -> str:
        return "scripted"

    async def respond(
        self, messages: Sequence[Message], tools: Sequence[ToolSpec], *, allow_tools: bool
    ) -> ModelTurn:
        self.sent.append(([dict(m) for m in messages], allow_tools))
        return self.turns.pop(0)


class Recorder:
    """An executor that answers every call with a success envelope, or `answers[name]`."""

    def __init__(self, answers: dict[str, dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers = answers or {}

    async def __call__(self, name: str, arguments: dict[str, Any]) -> ToolResult:
        self.calls.append((name, arguments))
        envelope = self.answers.get(name, {"ok": True, "tool": name, "data": {"n": 1}})
        return ToolResult("executed", envelope, 3, None, "exec-1")


def asks(*calls: tuple[str, str]) -> ModelTurn:
    return ModelTurn(None, tuple(ToolCallRequest(f"c{i}", n, a) for i, (n, a) in enumerate(calls)))


def says(text: str) -> ModelTurn:
    return ModelTurn(text)


LIMITS = LoopLimits(max_rounds=4, max_tool_calls=5, max_result_chars=1000)


async def run(responder: Scripted, executor: Recorder, limits: LoopLimits = LIMITS) -> Transcript:
    messages: list[Message] = [{"role": "user", "content": "q"}]
    return await run_loop(responder, messages, TOOLS, executor, limits, Transcript())


async def test_a_text_answer_ends_the_loop_without_tool_calls() -> None:
    transcript = await run(Scripted(says("Hello.")), Recorder())

    assert (transcript.text, transcript.calls, len(transcript.turns)) == ("Hello.", [], 1)


async def test_tool_results_go_back_to_the_model_in_call_order() -> None:
    responder = Scripted(
        asks(("lookup_event", '{"eid": "AB1"}'), ("get_event_summary", '{"eid": "AB1"}')),
        says("done"),
    )

    await run(responder, Recorder())

    replies = [m for m in responder.sent[1][0] if m["role"] == "tool"]
    assert [(m["tool_call_id"], json.loads(m["content"])["tool"]) for m in replies] == [
        ("c0", "lookup_event"),
        ("c1", "get_event_summary"),
    ]


async def test_the_last_round_forbids_tools_and_its_text_is_the_answer() -> None:
    limits = LoopLimits(max_rounds=2, max_tool_calls=5, max_result_chars=1000)
    responder = Scripted(asks(("lookup_event", "{}")), says("final"))

    transcript = await run(responder, Recorder(), limits)

    assert [allow for _, allow in responder.sent] == [True, False]
    assert transcript.text == "final"


async def test_an_empty_final_text_becomes_the_no_answer_message() -> None:
    transcript = await run(Scripted(says("  ")), Recorder())

    assert transcript.text == NO_ANSWER


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        pytest.param('{"eid": ', "invalid_arguments_json", id="broken-json"),
        pytest.param('["AB1"]', "invalid_arguments_json", id="not-an-object"),
    ],
)
async def test_unusable_arguments_are_answered_as_a_tool_error_without_a_call(
    arguments: str, code: str
) -> None:
    executor = Recorder()
    responder = Scripted(asks(("lookup_event", arguments)), says("sorry"))

    transcript = await run(responder, executor)

    sent = json.loads(responder.sent[1][0][-1]["content"])
    assert (executor.calls, sent["error"]["code"], transcript.calls[0].outcome) == (
        [],
        code,
        "denied",
    )


async def test_a_tool_outside_the_toolset_is_not_called() -> None:
    executor = Recorder()

    transcript = await run(Scripted(asks(("drop_tables", "{}")), says("no")), executor)

    record = transcript.calls[0]
    assert (executor.calls, record.outcome, record.refusal) == (
        [],
        "not_available",
        {"event": "tool_not_available", "reason": "not_in_toolset"},
    )


async def test_the_per_tool_cap_refuses_calls_past_it() -> None:
    limits = LoopLimits(4, 10, 1000, per_tool={"lookup_event": 2})
    responder = Scripted(asks(*[("lookup_event", "{}")] * 3), says("ok"))

    transcript = await run(responder, Recorder(), limits)

    assert [c.outcome for c in transcript.calls] == ["executed", "executed", "budget_exceeded"]
    assert transcript.calls[2].refusal == {
        "event": "tool_call_budget_exceeded",
        "reason": "tool_max_calls_exceeded",
        "limit": 2,
        "used": 2,
    }


async def test_the_request_budget_counts_calls_across_rounds() -> None:
    limits = LoopLimits(4, 2, 1000)
    responder = Scripted(
        asks(("lookup_event", "{}")),
        asks(("get_event_summary", "{}"), ("lookup_event", "{}")),
        says("ok"),
    )

    transcript = await run(responder, Recorder(), limits)

    assert [(c.round, c.outcome) for c in transcript.calls] == [
        (1, "executed"),
        (2, "executed"),
        (2, "budget_exceeded"),
    ]


async def test_a_confirmation_required_answer_ends_the_loop_with_the_pending_call() -> None:
    envelope = {
        "ok": False,
        "tool": "send_payment_reminder",
        "error": {"code": "confirmation_required", "confirmation_id": "c-1"},
    }
    responder = Scripted(asks(("send_payment_reminder", '{"art_id": "a"}')), says("never"))

    transcript = await run(responder, Recorder({"send_payment_reminder": envelope}))

    assert transcript.pending is not None
    assert (transcript.pending.arguments, len(responder.sent), transcript.text) == (
        {"art_id": "a"},
        1,
        None,
    )


def test_a_long_text_is_cut_to_the_limit_with_a_marker() -> None:
    cut = bound_text("x" * 500, 200)

    assert (len(cut), cut.endswith("narrower filter or a limit]")) == (200, True)


def test_a_requested_tool_name_is_stored_sanitised_and_bounded() -> None:
    assert sanitize_tool_name("Drop Tables;--" + "x" * 200) == ("drop_tables___" + "x" * 86)
