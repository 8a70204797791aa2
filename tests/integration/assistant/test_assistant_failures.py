"""Failures around the loop: the gateway down, the model timing out, refusing or sending broken
tool calls, rate limits on the model endpoint, and calls outside the toolset or the caps."""

from __future__ import annotations

import json
import re

from tests.fakes.openai_server import FakeOpenAI, calls, error, last_tool_results, slow, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
    session_row,
)

ERROR_ID = re.compile(r"err_[0-9a-z]+_[0-9a-z]{6}")


async def test_the_gateway_down_gives_a_clear_reply_an_error_id_and_an_audit_row(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    async with open_stack_assistant(MCP_GATEWAY_URL="http://127.0.0.1:9/mcp") as assistant:
        reply = await assistant.handle(inbound("What is AB4001?"))
        await assistant.complete(reply, reply_ts="5.1", slack_thread_ts=None)
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    events = audit_rows(stack, reply.session_id)
    assert reply.status == "error"
    assert reply.error_id is not None
    assert ERROR_ID.fullmatch(reply.error_id)
    assert "tools service is not reachable" in reply.text
    assert reply.error_id in reply.text
    assert (row["status"], row["error_id"]) == ("error", reply.error_id)
    assert row["error_message"].startswith("GatewayCallError: ")
    assert [(e["event_type"], e["detail"].get("reason", None)) for e in events] == [
        ("gateway_call_failed", "connection_error"),
        ("session_error", None),
    ]
    assert events[1]["detail"] == {
        "error_id": reply.error_id,
        "error_class": "GatewayCallError",
        "stage": "gateway",
    }
    assert fake_model.requests == []


async def test_a_model_timeout_ends_the_session_with_an_error_reference(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(slow(3, text("too late")))

    async with open_stack_assistant(OPENAI_TIMEOUT_MS=300, OPENAI_MAX_RETRIES=0) as assistant:
        reply = await assistant.handle(inbound("hello"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    events = audit_rows(stack, reply.session_id)
    assert reply.status == "error"
    assert reply.text.startswith("The language model did not answer in time.")
    assert reply.error_id is not None
    assert reply.error_id in reply.text
    assert (row["status"], row["error_id"], row["api_rounds"]) == ("error", reply.error_id, 1)
    assert row["ai_model"] is None
    assert events[-1]["detail"] == {
        "error_id": reply.error_id,
        "error_class": "ModelError",
        "stage": "llm",
    }


async def test_malformed_tool_call_arguments_go_back_to_the_model_as_a_tool_error(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(calls(("lookup_event", '{"eid": "AB4001"')), text("Sorry, I slipped."))

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound("What is AB4001?"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    result = json.loads(last_tool_results(fake_model.requests[1])[0])
    entry = session_row(stack, reply.session_id)["tools_called"][0]
    assert (reply.status, reply.text) == ("completed", "Sorry, I slipped.")
    assert result["error"]["code"] == "invalid_arguments_json"
    assert (entry["outcome"], entry["error_code"], entry["execution_id"]) == (
        "denied",
        "invalid_arguments_json",
        None,
    )


async def test_a_rate_limited_model_endpoint_is_retried_until_it_answers(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    busy = error(429, "Rate limit reached", **{"retry-after-ms": "10"})
    fake_model.script(busy, error(500, "boom", **{"retry-after-ms": "10"}), text("finally"))

    async with open_stack_assistant(OPENAI_MAX_RETRIES=2) as assistant:
        reply = await assistant.handle(inbound("hello"))

    assert (reply.status, reply.text, len(fake_model.requests)) == ("completed", "finally", 3)


async def test_a_model_endpoint_that_refuses_max_completion_tokens_gets_max_tokens(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    refusal = error(
        400,
        "Unrecognized request argument supplied: max_completion_tokens",
        param="max_completion_tokens",
    )
    fake_model.script(refusal, text("ok"), text("ok again"))

    async with open_stack_assistant(OPENAI_MAX_OUTPUT_TOKENS=321) as assistant:
        first = await assistant.handle(inbound("hello"))
        second = await assistant.handle(inbound("hello"))

    sent = [
        {k: r.get(k) for k in ("max_completion_tokens", "max_tokens")} for r in fake_model.requests
    ]
    assert (first.text, second.text) == ("ok", "ok again")
    assert sent == [
        {"max_completion_tokens": 321, "max_tokens": None},
        {"max_completion_tokens": None, "max_tokens": 321},
        {"max_completion_tokens": None, "max_tokens": 321},
    ]


async def test_a_tool_outside_the_toolset_is_refused_locally_and_audited(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(calls(("get_bot_sessions", {})), text("I cannot see that."))

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound("Show bot sessions", "UVIEW"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    entry = session_row(stack, reply.session_id)["tools_called"][0]
    denied = [e for e in audit_rows(stack, reply.session_id) if e["decision"] == "deny"]
    assert (entry["outcome"], entry["ok"]) == ("not_available", False)
    assert [(e["event_type"], e["detail"]) for e in denied] == [
        ("tool_not_available", {"reason": "not_in_toolset", "requested_tool": "get_bot_sessions"})
    ]


async def test_calls_past_the_request_budget_are_refused_and_audited(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(
        calls(*[("lookup_event", {"eid": eid}) for eid in ("AB4001", "AB4002", "AB4003")]),
        text("Two of three."),
    )

    async with open_stack_assistant(LLM_MAX_TOOL_CALLS=2) as assistant:
        reply = await assistant.handle(inbound("Three events"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    outcomes = [e["outcome"] for e in session_row(stack, reply.session_id)["tools_called"]]
    denied = [e for e in audit_rows(stack, reply.session_id) if e["decision"] == "deny"]
    assert outcomes == ["executed", "executed", "budget_exceeded"]
    assert [(e["event_type"], e["detail"], e["tool_name"]) for e in denied] == [
        (
            "tool_call_budget_exceeded",
            {"reason": "request_budget_exhausted", "limit": 2, "used": 2},
            "lookup_event",
        )
    ]


async def test_the_last_round_may_not_call_tools(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    fake_model.script(calls(("lookup_event", {"eid": "AB4001"})), text("Here it is."))

    async with open_stack_assistant(LLM_MAX_ROUNDS=2) as assistant:
        reply = await assistant.handle(inbound("What is AB4001?"))

    choices = [r.get("tool_choice") for r in fake_model.requests]
    assert (reply.text, choices) == ("Here it is.", ["auto", "none"])
