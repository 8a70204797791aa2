"""A question answered through the real gateway and the fake model: what the model received, the
reply, the session row and its audit rows."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

from artbattle_ops import __version__
from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.registry import load_handlers
from tests.fakes.openai_server import Answer, FakeOpenAI, calls, last_tool_results, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
    session_row,
    wait_for_rows,
)


def echo_event_name(body: dict[str, Any]) -> Answer:
    result = json.loads(last_tool_results(body)[0])
    event = result["data"]["event"]
    return text(f"*{event['name']}* is event {event['eid']}.")


def role_tools(role: str) -> set[str]:
    """The implemented tools the manifest allows `role` (what the gateway should list)."""
    implemented = load_handlers()
    return {
        name
        for name, spec in load_manifest().items()
        if role in spec.allowed_roles and name in implemented
    }


def offered(body: dict[str, Any]) -> set[str]:
    return {tool["function"]["name"] for tool in body.get("tools", [])}


async def test_a_question_is_answered_from_the_tool_result(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    eid = stack.fixtures["healthy_event"]["eid"]
    fake_model.script(calls(("lookup_event", {"eid": eid})), echo_event_name)
    expected_name = stack.sql("SELECT name FROM events WHERE eid = %s", (eid,))[0][0]

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound(f"What is {eid}?"))

    assert (reply.status, reply.text, reply.tools_used) == (
        "completed",
        f"*{expected_name}* is event {eid}.",
        ["lookup_event"],
    )


async def test_the_model_is_offered_exactly_the_tools_of_the_callers_role(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    fake_model.script(text("ok"), text("ok"))

    async with open_stack_assistant() as assistant:
        await assistant.handle(inbound("hello", "UVIEW"))
        await assistant.handle(inbound("hello", "UFIN"))

    viewer, finance = fake_model.requests
    assert (offered(viewer), offered(finance)) == (role_tools("viewer"), role_tools("finance"))


async def test_the_system_prompt_states_the_house_rules_and_its_hash_is_stored(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("ok"))

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound("hello"))
        await assistant.complete(reply, reply_ts="1700000000.000100", slack_thread_ts=None)
        await flushed(assistant)

    system = fake_model.requests[0]["messages"][0]
    digest = "sha256:" + hashlib.sha256(system["content"].encode()).hexdigest()
    rules = ("mrkdwn", "currency", "Confirm button", "Never say a change was made")
    assert system["role"] == "system"
    assert all(rule in system["content"] for rule in rules)
    assert session_row(stack, reply.session_id)["ai_system_prompt_hash"] == digest


async def test_tool_results_reach_the_model_cut_to_the_configured_size(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    eid = stack.fixtures["healthy_event"]["eid"]
    fake_model.script(calls(("get_event_summary", {"eid": eid})), text("done"))

    async with open_stack_assistant(LLM_MAX_TOOL_RESULT_CHARS=300) as assistant:
        await assistant.handle(inbound(f"Summary of {eid}"))

    result = last_tool_results(fake_model.requests[1])[0]
    assert len(result) == 300
    assert "cut at 300 characters" in result


async def test_parallel_tool_calls_all_run_and_answer_in_call_order(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    first = stack.fixtures["healthy_event"]["eid"]
    second = stack.fixtures["live_event"]["eid"]
    fake_model.script(
        calls(("lookup_event", {"eid": first}), ("lookup_event", {"eid": second})), text("both")
    )

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound(f"{first} and {second}?"))

    results = [json.loads(r) for r in last_tool_results(fake_model.requests[1])]
    assert [r["data"]["event"]["eid"] for r in results] == [first, second]
    assert reply.tools_used == ["lookup_event", "lookup_event"]


async def test_the_session_row_records_the_request_tokens_cost_and_tool_calls(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    eid = stack.fixtures["healthy_event"]["eid"]
    fake_model.script(
        calls(("lookup_event", {"eid": eid}), prompt_tokens=1000, completion_tokens=50),
        text("The answer.", prompt_tokens=2000, completion_tokens=150),
    )
    request = inbound(f"What is {eid}?", "UPROD")

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(request)
        await assistant.complete(reply, reply_ts="1700000001.000200", slack_thread_ts="1700.1")
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    executions = wait_for_rows(
        stack,
        "SELECT arguments_hash, id FROM esbmcp_tool_executions WHERE session_id = %s",
        (reply.session_id,),
        1,
    )
    entry = row["tools_called"][0]
    # gpt-4o-mini prices: 0.15 and 0.60 USD per 1M tokens.
    cost = (Decimal(3000) * Decimal("0.15") + Decimal(200) * Decimal("0.60")) / 1_000_000
    assert {
        k: row[k]
        for k in (
            "slack_event_id",
            "slack_channel_id",
            "slack_thread_ts",
            "reply_ts",
            "slack_user_id",
            "slack_username",
            "user_role",
            "interaction_type",
            "user_prompt",
            "ai_response",
            "status",
            "error_message",
            "error_id",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "api_rounds",
            "tool_call_count",
            "service_version",
            "gateway_version",
        )
    } == {
        "slack_event_id": request.slack_event_id,
        "slack_channel_id": request.slack_channel_id,
        "slack_thread_ts": "1700.1",
        "reply_ts": "1700000001.000200",
        "slack_user_id": "UPROD",
        "slack_username": "uprod-name",
        "user_role": "event-producer",
        "interaction_type": "app_mention",
        "user_prompt": f"What is {eid}?",
        "ai_response": "The answer.",
        "status": "completed",
        "error_message": None,
        "error_id": None,
        "prompt_tokens": 3000,
        "completion_tokens": 200,
        "total_tokens": 3200,
        "api_rounds": 2,
        "tool_call_count": 1,
        "service_version": __version__,
        "gateway_version": __version__,
    }
    assert row["estimated_cost_usd"] == cost.quantize(Decimal("0.000001"))
    assert row["ai_model"] == "gpt-4o-mini-2024-07-18"
    assert min(row["ai_first_call_ms"], row["ai_followup_ms"]) >= 0
    assert row["total_duration_ms"] >= row["ai_first_call_ms"]
    assert re.fullmatch("[0-9a-f]{32}", row["request_id"])
    assert entry | {"duration_ms": 0} == {
        "tool_name": "lookup_event",
        "round": 1,
        "argument_keys": ["eid"],
        "arguments_hash": executions[0][0],
        "outcome": "executed",
        "ok": True,
        "has_error_field": False,
        "duration_ms": 0,
        "execution_id": str(executions[0][1]),
        "error_code": None,
    }


async def test_a_completed_session_has_started_and_completed_audit_rows(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("ok"))

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound("hello", "UMKT"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    rows = audit_rows(stack, reply.session_id)
    assert [(r["event_type"], r["decision"]) for r in rows] == [
        ("session_started", "info"),
        ("session_completed", "info"),
    ]
    assert rows[0]["detail"] | {"tools_available": 0} == {
        "interaction_type": "app_mention",
        "role_source": "static_map",
        "tools_available": 0,
        "mutating_enabled": True,
        "model": "gpt-4o-mini",
    }
    assert rows[0]["detail"]["tools_available"] == len(role_tools("marketing"))
