"""Personal data by role: masked for finance and marketing in what the model receives and in the
reply (the safety net on the final text), raw for ops (REDACTION_EXEMPT_ROLES)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from artbattle_ops.policy.redaction import mask_email
from tests.fakes.openai_server import Answer, FakeOpenAI, calls, last_tool_results, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    flushed,
    inbound,
    session_row,
)

PHONE = "+1 514 555 0163"


def echo_email_and_phone(body: dict[str, Any]) -> Answer:
    person = json.loads(last_tool_results(body)[0])["data"]["people"]["items"][0]
    return text(f"Email: {person['email']}. Call them at {PHONE}.")


@pytest.mark.parametrize(
    ("user", "masked"),
    [
        pytest.param("UFIN", True, id="finance"),
        pytest.param("UMKT", True, id="marketing"),
        pytest.param("UOPS", False, id="ops"),
    ],
)
async def test_personal_data_is_masked_for_the_role_in_the_model_input_and_the_reply(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    user: str,
    masked: bool,
) -> None:
    email = stack.fixtures["null_last_name_person"]["email"]
    fake_model.script(calls(("lookup_person", {"query": email})), echo_email_and_phone)

    async with open_stack_assistant() as assistant:
        reply = await assistant.handle(inbound("Who is this?", user))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    seen = json.loads(last_tool_results(fake_model.requests[1])[0])
    seen_email = seen["data"]["people"]["items"][0]["email"]
    shown_email, shown_phone = (mask_email(email), "***63") if masked else (email, PHONE)
    row = session_row(stack, reply.session_id)
    assert seen_email == shown_email
    assert reply.text == f"Email: {shown_email}. Call them at {shown_phone}."
    assert row["redaction_rules_applied"] == (["mask_phone"] if masked else [])
