"""Every Slack-side refusal: the exact text users see, the session status and reason, and the one
deny event of the first check that failed (observability.md §2.4.3)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from artbattle_ops.assistant.contract import Reply
from tests.fakes.openai_server import FakeOpenAI, text
from tests.integration.assistant.conftest import (
    OpenAssistant,
    Stack,
    audit_rows,
    flushed,
    inbound,
    session_row,
)

CASES = [
    pytest.param(
        {},
        inbound("   "),
        "Please provide a request after the command or mention.",
        "prompt_rejected",
        "empty_prompt",
        id="empty-prompt",
    ),
    pytest.param(
        {"PROMPT_MAX_CHARS": 20},
        inbound("x" * 21),
        "Request is too long. Limit is 20 characters.",
        "prompt_rejected",
        "prompt_too_long",
        id="prompt-too-long",
    ),
    pytest.param(
        {"SLACK_ALLOWED_TEAM_IDS": "T0OTHER"},
        inbound("hi"),
        "Access denied for this workspace/channel/user.",
        "identity_denied",
        "team_not_allowed",
        id="team-not-allowed",
    ),
    pytest.param(
        {"SLACK_ALLOWED_CHANNEL_IDS": "C0ONLY"},
        inbound("hi"),
        "Access denied for this workspace/channel/user.",
        "identity_denied",
        "channel_not_allowed",
        id="channel-not-allowed",
    ),
    pytest.param(
        {"SLACK_ALLOWED_USER_IDS": "UFIN"},
        inbound("hi", "UOPS"),
        "Access denied for this workspace/channel/user.",
        "identity_denied",
        "user_not_allowed",
        id="user-not-allowed",
    ),
    pytest.param(
        {},
        inbound("hi", "UNOBODY"),
        "No authorized role was found for your user.",
        "role_denied",
        "no_role",
        id="no-role",
    ),
    pytest.param(
        {},
        inbound("hi", "UGHOST"),
        "Your role currently has no enabled tools.",
        "no_tools_available",
        "no_tools_for_role",
        id="no-tools",
    ),
]


@pytest.mark.parametrize(("env", "request_", "message", "event", "reason"), CASES)
async def test_a_refused_request_gets_its_exact_message_status_and_one_deny_event(
    open_stack_assistant: OpenAssistant,
    fake_model: FakeOpenAI,
    stack: Stack,
    env: dict[str, Any],
    request_: Any,
    message: str,
    event: str,
    reason: str,
) -> None:
    async with open_stack_assistant(**env) as assistant:
        reply = await assistant.handle(request_)
        await assistant.complete(reply, reply_ts="1.2", slack_thread_ts=None)
        await flushed(assistant)

    row = session_row(stack, reply.session_id)
    events = audit_rows(stack, reply.session_id)
    assert (reply.text, reply.status) == (message, "denied")
    assert (row["status"], row["error_message"], row["ai_response"]) == ("denied", reason, message)
    assert [(e["event_type"], e["decision"], e["detail"]["reason"]) for e in events] == [
        (event, "deny", reason)
    ]
    assert fake_model.requests == []


async def test_a_rejected_long_prompt_is_stored_as_its_start_only(
    open_stack_assistant: OpenAssistant, stack: Stack
) -> None:
    async with open_stack_assistant(PROMPT_MAX_CHARS=2500) as assistant:
        reply = await assistant.handle(inbound("y" * 3000))
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(assistant)

    assert session_row(stack, reply.session_id)["user_prompt"] == "y" * 2000 + " [truncated]"


async def test_concurrent_requests_over_the_user_limit_admit_exactly_the_limit(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI, stack: Stack
) -> None:
    limit = 6
    fake_model.fallback = text("ok")
    channel = "CRATE" + stack.as_of.strftime("%H%M%S")

    async with open_stack_assistant(
        RATE_LIMIT_USER_MAX=limit, RATE_LIMIT_USER_WINDOW_SEC=3600
    ) as a:
        replies: list[Reply] = await asyncio.gather(
            *(a.handle(inbound("hi", "UOPS2", channel=channel)) for _ in range(limit + 5))
        )
        for reply in replies:
            await a.complete(reply, reply_ts=None, slack_thread_ts=None)
        await flushed(a)

    limited = [r for r in replies if r.status == "rate_limited"]
    assert (len(replies) - len(limited), len(limited)) == (limit, 5)
    assert all(r.text.startswith("Rate limit reached. Please wait and retry.") for r in limited)
    assert all(r.retry_after_seconds and r.retry_after_seconds > 0 for r in limited)
    events = audit_rows(stack, limited[0].session_id)
    assert events[0]["detail"] | {"retry_after_seconds": 0} == {
        "reason": "user_rate_limit_exceeded",
        "scope": "user",
        "limit": limit,
        "window_seconds": 3600,
        "retry_after_seconds": 0,
    }
    assert session_row(stack, limited[0].session_id)["status"] == "rate_limited"


async def test_the_channel_limit_refuses_other_users_in_the_same_channel(
    open_stack_assistant: OpenAssistant, fake_model: FakeOpenAI
) -> None:
    fake_model.fallback = text("ok")

    async with open_stack_assistant(RATE_LIMIT_CHANNEL_MAX=2) as assistant:
        replies = [
            await assistant.handle(inbound("hi", user, channel="CSHARED1"))
            for user in ("UOPS", "UPROD", "UFIN")
        ]

    assert [r.status for r in replies] == ["completed", "completed", "rate_limited"]
