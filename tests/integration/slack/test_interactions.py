"""Interaction modes over real HTTP: mentions, the slash command, DMs with context, the
assistant pane, App Home; every answer goes through the fake Slack Web API."""

from __future__ import annotations

import time
from collections.abc import Callable

from artbattle_ops.assistant.contract import ContextMessage, Reply
from tests.fakes.slack_server import BOT_ID, BOT_USER_ID, FakeSlack
from tests.integration.slack.conftest import ScriptedAssistant, Service, wait_until


def test_a_mention_is_answered_in_its_thread_without_the_bot_mention(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "UOPS",
        "text": f"<@{BOT_USER_ID}> ask <@U2> about AB4023",
        "ts": "1700000600.000100",
        "channel": "C1",
    }

    service.event(event, event_id="EvM1")

    post = fake_slack.wait_for("chat.postMessage")[0]
    assert (post.args["channel"], post.args["thread_ts"]) == ("C1", "1700000600.000100")
    assert assistant.handled[0].text == "ask <@U2> about AB4023"
    assert assistant.handled[0].interaction_type == "app_mention"


def test_a_mention_inside_a_thread_gets_the_thread_as_context(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    now = time.time()
    parent, earlier, current = f"{now - 60:.6f}", f"{now - 30:.6f}", f"{now:.6f}"
    fake_slack.state.replies[("C1", parent)] = [
        {"user": "UOPS", "text": "<@UBOT> who painted lot 3?", "ts": parent},
        {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Jane Roe.", "ts": earlier},
        {"user": "UOPS", "text": "<@UBOT> and lot 4?", "ts": current},
    ]
    event = {
        "type": "app_mention",
        "user": "UOPS",
        "text": "<@UBOT> and lot 4?",
        "ts": current,
        "thread_ts": parent,
        "channel": "C1",
    }

    service.event(event, event_id="EvM2")

    fake_slack.wait_for("chat.postMessage")
    assert assistant.handled[0].context == (
        ContextMessage("user", "who painted lot 3?", parent),
        ContextMessage("assistant", "Jane Roe.", earlier),
    )
    assert fake_slack.calls("chat.postMessage")[0].args["thread_ts"] == parent


def test_the_slash_command_is_acknowledged_empty_and_answered_privately(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    response = service.form(
        {
            "command": "/ab",
            "text": "  sales in Toronto  ",
            "user_id": "UFIN",
            "user_name": "fin.person",
            "channel_id": "C9",
            "team_id": "T0001",
            "response_url": fake_slack.response_url("cmd1"),
            "trigger_id": "tr1",
        }
    )

    assert (response.status_code, response.text) == (200, "")
    answer = fake_slack.wait_for("response_url:cmd1")[0].args
    assert (answer["response_type"], answer["text"]) == ("ephemeral", "echo: sales in Toronto")
    inbound = assistant.handled[0]
    assert (inbound.interaction_type, inbound.slack_username) == ("slash_command", "fin.person")


def test_a_direct_message_is_answered_inline_with_recent_messages_as_context(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    now = time.time()
    fake_slack.state.history["D1"] = [
        {"user": "UOPS", "text": "and Boston?", "ts": f"{now:.6f}"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Toronto: 12.", "ts": f"{now - 5:.6f}"},
        {"user": "UOPS", "text": "tickets in Toronto", "ts": f"{now - 9:.6f}"},
        {"user": "UOPS", "text": "too old", "ts": f"{now - 10 * 86400:.6f}"},
    ]
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UOPS",
        "text": "and Boston?",
        "ts": f"{now:.6f}",
        "channel": "D1",
    }

    service.event(event, event_id="EvD1")

    post = fake_slack.wait_for("chat.postMessage")[0]
    assert (post.args["channel"], post.args.get("thread_ts")) == ("D1", None)
    assert [(m.author, m.text) for m in assistant.handled[0].context] == [
        ("user", "tickets in Toronto"),
        ("assistant", "Toronto: 12."),
    ]
    assert assistant.handled[0].slack_username == "uops"


def test_edits_bot_messages_and_chatter_in_group_dms_are_not_answered(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    base = {"type": "message", "channel": "D1", "channel_type": "im", "user": "UOPS"}
    service.event(base | {"subtype": "message_changed", "ts": "1.1"}, event_id="EvX1")
    service.event(base | {"bot_id": "B9", "text": "hi", "ts": "1.2"}, event_id="EvX2")
    group = base | {"channel": "G1", "channel_type": "mpim", "text": "lunch?", "ts": "1.3"}
    service.event(group, event_id="EvX3")
    asked = group | {"text": "<@UBOT> sales today?", "ts": "1.4"}

    service.event(asked, event_id="EvX4")

    fake_slack.wait_for("chat.postMessage")
    assert [(i.interaction_type, i.text) for i in assistant.handled] == [
        ("group_dm", "sales today?")
    ]


def test_an_assistant_pane_message_shows_a_status_and_a_title(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UOPS",
        "text": "Who still needs to be paid for AB4023?",
        "ts": "1700000700.000200",
        "thread_ts": "1700000700.000100",
        "channel": "D1",
    }

    service.event(event, event_id="EvA1")

    fake_slack.wait_for("chat.postMessage")
    status = fake_slack.calls("assistant.threads.setStatus")[0].args
    title = fake_slack.calls("assistant.threads.setTitle")[0].args
    assert (status["thread_ts"], status["status"]) == ("1700000700.000100", "is thinking…")
    assert title["title"] == "Who still needs to be paid for AB4023?"
    assert assistant.handled[0].interaction_type == "assistant"


def test_a_new_assistant_thread_is_greeted_with_prompts_for_the_role(
    service: Service, fake_slack: FakeSlack
) -> None:
    event = {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": "UVIEW",
            "channel_id": "D2",
            "thread_ts": "1700000800.000100",
            "context": {"channel_id": "C1"},
        },
        "event_ts": "1700000800.000200",
    }

    service.event(event, event_id="EvG1")

    prompts = fake_slack.wait_for("assistant.threads.setSuggestedPrompts")[0].args
    greeting = fake_slack.calls("chat.postMessage")[0].args
    assert greeting["thread_ts"] == "1700000800.000100"
    assert 1 <= len(prompts["prompts"]) <= 4
    assert all(p["message"] for p in prompts["prompts"])


def test_app_home_lists_what_the_role_can_ask(service: Service, fake_slack: FakeSlack) -> None:
    service.event(
        {"type": "app_home_opened", "user": "UFIN", "tab": "home", "channel": "D3"},
        event_id="EvH1",
    )

    published = fake_slack.wait_for("views.publish")[0].args
    text = str(published["view"])
    assert published["user_id"] == "UFIN"
    assert "*finance*" in text


def test_app_home_tells_a_user_without_a_role(service: Service, fake_slack: FakeSlack) -> None:
    service.event(
        {"type": "app_home_opened", "user": "UNOBODY", "tab": "home", "channel": "D4"},
        event_id="EvH2",
    )

    published = fake_slack.wait_for("views.publish")[0].args
    assert "No authorized role was found for your user." in str(published["view"])


def test_a_long_answer_is_posted_in_order_with_feedback_on_the_last_part(
    start_service: Callable[..., Service], fake_slack: FakeSlack
) -> None:
    lines = [f"line {i:04d} " + "x" * 60 for i in range(120)]
    assistant = ScriptedAssistant(script=lambda i: Reply(text="\n".join(lines), session_id="s-9"))
    service = start_service(assistant)

    service.event(
        {
            "type": "app_mention",
            "user": "UOPS",
            "text": "<@UBOT> all",
            "ts": "5.1",
            "channel": "C1",
        },
        event_id="EvL1",
    )

    wait_until(lambda: len(assistant.completed) == 1, "the session completed")
    posts = fake_slack.calls("chat.postMessage")
    assert "\n".join(p.args["text"] for p in posts) == "\n".join(lines)
    assert [len(p.args["blocks"]) for p in posts] == [1] * (len(posts) - 1) + [2]
    assert assistant.completed[0]["reply_ts"] is not None
