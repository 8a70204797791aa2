"""The offline router inside the assistant: answers without a model endpoint, stands in when the
configured model cannot be reached (and says so in the reply and the session row), and proposes
writes through the same confirmation flow. Expected figures come from SQL, not from the tools."""

from __future__ import annotations

from decimal import Decimal

from artbattle_ops.router.offline.money import money_text
from tests.fakes.openai_server import FakeOpenAI, error, slow, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
    session_row,
)
from tests.integration.router.test_offline_router_gateway import OWED_SQL

COUNTRY_SQL = "SELECT country FROM artist_profiles WHERE id = %s"
RESTORE_SQL = "UPDATE artist_profiles SET country = %s WHERE id = %s"
OFFLINE = {"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", "OFFLINE_ROUTER_ENABLED": True}
FALLBACK = {"OFFLINE_ROUTER_ENABLED": True, "OPENAI_MAX_RETRIES": 0}
NOTICE = "_The language model could not be reached ({reason}), so the offline router answered._"


def owed_lines(stack: Stack, eid: str) -> list[str]:
    rows = stack.sql(OWED_SQL, (eid,))
    assert rows, f"the demo data owes no artist at {eid}"
    return [
        f"*{name}* — {money_text({'amount': float(Decimal(amount)), 'currency': currency})}"
        for name, amount, currency in rows
    ]


async def test_without_a_model_the_offline_router_answers_and_the_session_says_so(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    expected = owed_lines(stack, "AB4001")

    async with open_stack_assistant(**OFFLINE) as assistant:
        reply = await assistant.handle(inbound("Who still needs to be paid for ab4001?", "UFIN"))
        await assistant.complete(reply, reply_ts="7.1", slack_thread_ts=None)
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    assert (reply.status, reply.tools_used, reply.offline) == (
        "completed",
        ["get_artists_owed"],
        True,
    )
    assert all(line in reply.text for line in expected)
    assert (row["ai_model"], row["status"], row["api_rounds"], row["estimated_cost_usd"]) == (
        "offline-router",
        "completed",
        2,
        Decimal(0),
    )
    assert [entry["tool_name"] for entry in row["tools_called"]] == ["get_artists_owed"]
    assert row["tools_called"][0]["outcome"] == "executed"
    assert [e["event_type"] for e in audit_rows(stack, reply.session_id)] == [
        "session_started",
        "session_completed",
    ]
    assert fake_model.requests == []


async def test_a_model_that_times_out_is_replaced_by_the_offline_router(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(slow(3, text("too late")))
    expected = owed_lines(stack, "AB4001")

    async with open_stack_assistant(OPENAI_TIMEOUT_MS=300, **FALLBACK) as assistant:
        reply = await assistant.handle(inbound("who still needs to be paid for AB4001", "UFIN"))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    assert reply.status == "completed"
    assert reply.text.startswith(NOTICE.format(reason="timeout"))
    assert all(line in reply.text for line in expected)
    assert row["ai_model"] == "offline-router (fallback: gpt-4o-mini timeout)"
    assert row["ai_response"].startswith(NOTICE.format(reason="timeout"))
    assert row["ai_first_call_ms"] >= 300
    assert len(fake_model.requests) == 1


async def test_a_model_failing_with_server_errors_is_replaced_too(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(error(503, "overloaded"))

    async with open_stack_assistant(**FALLBACK) as assistant:
        reply = await assistant.handle(inbound("What is AB4001?", "UVIEW"))

    assert reply.status == "completed"
    assert reply.text.startswith(NOTICE.format(reason="upstream"))
    assert len(reply.tools_used) == 1
    assert "AB4001" in reply.text


async def test_a_request_the_model_rejects_is_not_papered_over(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    fake_model.script(error(400, "bad request: unknown parameter"))

    async with open_stack_assistant(**FALLBACK) as assistant:
        reply = await assistant.handle(inbound("What is AB4001?"))

    assert reply.status == "error"
    assert reply.error_id is not None
    assert not reply.offline


async def test_a_fully_specified_write_waits_for_confirmation_and_runs_once(
    open_stack_assistant: OpenAssistant, stack: Stack
) -> None:
    [(profile_id, country)] = stack.sql(
        "SELECT id::text, country FROM artist_profiles WHERE superseded_by IS NULL"
        " AND country = 'CA' ORDER BY id LIMIT 1"
    )
    question = f"set the country of artist {profile_id} to NZ"
    try:
        async with open_stack_assistant(**OFFLINE) as assistant:
            reply = await assistant.handle(inbound(question))
            unchanged = stack.sql(COUNTRY_SQL, (profile_id,))
            assert reply.confirmation is not None, reply.text
            decision = await assistant.confirm(reply.confirmation, "UOPS", team_id="T0TEST")
            again = await assistant.confirm(reply.confirmation, "UOPS", team_id="T0TEST")

        assert unchanged == [(country,)]
        assert (reply.confirmation.tool, reply.tools_used) == (
            "update_artist_country",
            ["update_artist_country"],
        )
        assert "`CA` → `NZ`" in reply.text
        assert decision.accepted
        assert decision.text.startswith("Done:")
        assert not again.text.startswith("Done:")
        assert stack.sql(COUNTRY_SQL, (profile_id,)) == [("NZ",)]
    finally:
        stack.execute(RESTORE_SQL, (country, profile_id))


async def test_an_underspecified_write_is_not_started(
    open_stack_assistant: OpenAssistant, stack: Stack
) -> None:
    async with open_stack_assistant(**OFFLINE) as assistant:
        reply = await assistant.handle(inbound("Tom Becker's country is wrong, change it to NZ"))

    assert reply.confirmation is None
    assert "update_artist_country" not in reply.tools_used
    assert "artist_profile_id" in reply.text
