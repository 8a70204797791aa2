"""Writes through the assistant (DESIGN.md §3 step 9): the gateway's preview ends the model turn,
only the requester's Confirm executes the write (once), Cancel and expiry execute nothing, and
every decision is audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from artbattle_ops.assistant import messages
from artbattle_ops.assistant.contract import PendingConfirmation, Reply
from artbattle_ops.assistant.service import AssistantService
from tests.fakes.openai_server import FakeOpenAI, calls
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
    session_row,
)

TOOL = "send_payment_reminder"
# Sold works whose winner has a phone: each test reminds about its own.
SOLD_SQL = """
SELECT a.id::text FROM art a JOIN people w ON w.id = a.winner_id
WHERE a.status = 'sold' AND NULLIF(btrim(w.phone), '') IS NOT NULL
ORDER BY a.art_code DESC
LIMIT 12
"""


@pytest.fixture(scope="module")
def artworks(stack: Stack) -> Iterator[str]:
    """A fresh remindable artwork per call."""
    return iter(row[0] for row in stack.sql(SOLD_SQL))


def reminders(stack: Stack, art_id: str) -> int:
    return int(
        stack.sql("SELECT count(*) FROM payment_reminders WHERE art_id = %s", (art_id,))[0][0]
    )


async def preview(
    assistant: AssistantService, fake: FakeOpenAI, art_id: str, user: str = "UOPS"
) -> Reply:
    fake.script(calls((TOOL, {"art_id": art_id})))
    reply = await assistant.handle(inbound("Remind the buyer to pay", user))
    await assistant.complete(reply, reply_ts="9.1", slack_thread_ts=None)
    return reply


def pending_of(reply: Reply) -> PendingConfirmation:
    assert reply.confirmation is not None, reply.text
    return reply.confirmation


async def test_a_write_preview_ends_the_model_turn_with_a_pending_confirmation(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        reply = await preview(assistant, fake_model, art_id)
        await flushed(assistant)

    pending = pending_of(reply)
    events = [e["event_type"] for e in audit_rows(stack, reply.session_id)]
    assert len(fake_model.requests) == 1
    assert (pending.tool, pending.arguments, pending.requested_by) == (
        TOOL,
        {"art_id": art_id},
        "UOPS",
    )
    assert pending.summary in reply.text
    assert "Please confirm" in reply.text
    assert events == ["session_started", "confirmation_requested", "session_completed"]
    assert session_row(stack, reply.session_id)["tools_called"][0]["error_code"] == (
        "confirmation_required"
    )
    assert reminders(stack, art_id) == before


async def test_the_requesters_confirm_executes_the_write_exactly_once(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        first = await assistant.confirm(pending, "UOPS", team_id="T0TEST")
        again = await assistant.confirm(pending, "UOPS", team_id="T0TEST")
        await flushed(assistant)

    slack = [e["event_type"] for e in audit_rows(stack, pending.session_id)]
    assert (first.accepted, first.final, first.text) == (True, True, f"Done: {pending.summary}")
    assert (again.accepted, again.final, again.text) == (False, False, messages.ALREADY_DECIDED)
    assert reminders(stack, art_id) == before + 1
    assert slack.count("confirmation_granted") == 1
    assert len(fake_model.requests) == 1


async def test_a_confirm_after_the_cancel_executes_nothing(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        cancelled = await assistant.cancel(pending, "UOPS")
        confirmed = await assistant.confirm(pending, "UOPS")
        await flushed(assistant)

    granted = [
        e
        for e in audit_rows(stack, pending.session_id)
        if e["event_type"] == "confirmation_granted"
    ]
    assert (cancelled.accepted, cancelled.final) == (False, True)
    assert (confirmed.accepted, confirmed.final, confirmed.text) == (
        False,
        False,
        messages.ALREADY_DECIDED,
    )
    assert (reminders(stack, art_id), granted) == (before, [])


async def test_a_cancel_after_the_confirm_does_not_claim_nothing_changed(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        await assistant.confirm(pending, "UOPS")
        cancelled = await assistant.cancel(pending, "UOPS")

    assert (cancelled.final, cancelled.text) == (False, messages.ALREADY_DECIDED)
    assert reminders(stack, art_id) == before + 1


async def test_someone_elses_confirm_is_refused_privately_and_the_prompt_stays_open(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        stranger = await assistant.confirm(pending, "UOPS2")
        count_after_stranger = reminders(stack, art_id)
        owner = await assistant.confirm(pending, "UOPS")
        await flushed(assistant)

    rejected = [
        e
        for e in audit_rows(stack, pending.session_id)
        if e["event_type"] == "confirmation_rejected"
    ]
    assert (stranger.accepted, stranger.final) == (False, False)
    assert stranger.text == "Only <@UOPS> can confirm or cancel this change."
    assert count_after_stranger == before
    assert (owner.accepted, reminders(stack, art_id)) == (True, before + 1)
    assert [e["detail"] for e in rejected] == [
        {
            "reason": "not_requester",
            "confirmation_id": pending.confirmation_id,
            "clicked_by": "UOPS2",
        }
    ]


async def test_cancel_executes_nothing_and_is_audited(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        decision = await assistant.cancel(pending, "UOPS")
        await flushed(assistant)

    rejected = [
        e
        for e in audit_rows(stack, pending.session_id)
        if e["event_type"] == "confirmation_rejected"
    ]
    assert (decision.accepted, decision.final) == (False, True)
    assert decision.text == "Cancelled by <@UOPS>. Nothing was changed."
    assert reminders(stack, art_id) == before
    assert [e["detail"]["reason"] for e in rejected] == ["cancelled_by_user"]


async def test_an_expired_confirmation_executes_nothing_and_is_audited_as_timed_out(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        lapsed = dataclasses.replace(
            pending, expires_at=pending.expires_at | {"utc": "2020-01-01T00:00:00Z"}
        )
        decision = await assistant.confirm(lapsed, "UOPS")
        await flushed(assistant)

    rejected = [
        e
        for e in audit_rows(stack, pending.session_id)
        if e["event_type"] == "confirmation_rejected"
    ]
    assert (decision.accepted, decision.final) == (False, True)
    assert decision.text.startswith("This confirmation expired.")
    assert reminders(stack, art_id) == before
    assert [e["detail"]["reason"] for e in rejected] == ["timed_out"]


async def test_a_confirmation_the_gateway_holds_as_expired_executes_nothing(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    artworks: Iterator[str],
) -> None:
    art_id = next(artworks)
    before = reminders(stack, art_id)

    async with open_stack_assistant() as assistant:
        pending = pending_of(await preview(assistant, fake_model, art_id))
        stack.execute(
            "UPDATE esbmcp_confirmations SET created_at = now() - interval '10 minutes',"
            " expires_at = now() - interval '5 minutes' WHERE id = %s",
            (pending.confirmation_id,),
        )
        decision = await assistant.confirm(pending, "UOPS")

    assert (decision.accepted, decision.text) == (
        False,
        "The change was not made: This confirmation has expired; ask again to get a new preview.",
    )
    assert reminders(stack, art_id) == before
