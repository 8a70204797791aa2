"""Feedback on replies (observability.md §2.5): mapped to the session by id or by
(channel, reply ts), reactions added once and removed, buttons upserted, and audited."""

from __future__ import annotations

from typing import Any

from tests.fakes.openai_server import FakeOpenAI, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
)

FEEDBACK_SQL = """
SELECT slack_user_id, rating, source, reaction, comment, slack_message_ts
FROM esbmcp_feedback WHERE session_id = %s ORDER BY created_at
"""


def feedback(stack: Stack, session_id: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in stack.sql(FEEDBACK_SQL, (session_id,))]


async def test_a_button_rating_is_stored_with_the_session_id_and_updated_in_place(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("ok"))
    request = inbound("hello")

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(request)
        await assistant.complete(reply, reply_ts="1700000100.000100", slack_thread_ts=None)
        first = await assistant.record_feedback(
            slack_user_id="UFIN",
            rating="negative",
            source="button",
            session_id=reply.session_id,
            comment="wrong event, call +1 416 555 0142",
        )
        second = await assistant.record_feedback(
            slack_user_id="UFIN",
            rating="positive",
            source="button",
            session_id=reply.session_id,
        )
        await flushed(assistant)

    actions = [
        e["detail"]["action"]
        for e in audit_rows(stack, reply.session_id)
        if e["event_type"] == "feedback_recorded"
    ]
    assert (first, second) == (True, True)
    assert feedback(stack, reply.session_id) == [
        ("UFIN", 1, "button", None, None, "1700000100.000100")
    ]
    assert actions == ["added", "updated"]


async def test_a_reaction_maps_through_channel_and_reply_ts_and_is_removed_with_it(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("ok"))
    request = inbound("hello")
    where = {"slack_channel_id": request.slack_channel_id, "reply_ts": "1700000200.000100"}

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(request)
        await assistant.complete(reply, reply_ts=where["reply_ts"], slack_thread_ts=None)
        added = await assistant.record_feedback(
            slack_user_id="UPROD",
            rating="positive",
            source="reaction",
            reaction="+1::skin-tone-2",
            **where,
        )
        after_add = feedback(stack, reply.session_id)
        removed = await assistant.record_feedback(
            slack_user_id="UPROD",
            rating="positive",
            source="reaction",
            reaction="+1",
            removed=True,
            **where,
        )

    assert (added, removed) == (True, True)
    assert after_add == [("UPROD", 1, "reaction", "+1", None, "1700000200.000100")]
    assert feedback(stack, reply.session_id) == []


async def test_feedback_on_a_message_that_maps_to_no_session_is_ignored(
    open_stack_assistant: OpenAssistant,
) -> None:
    async with open_stack_assistant() as assistant:
        stored = await assistant.record_feedback(
            slack_user_id="UOPS",
            rating="negative",
            source="reaction",
            reaction="-1",
            slack_channel_id="CNOWHERE",
            reply_ts="1.000001",
        )

    assert stored is False
