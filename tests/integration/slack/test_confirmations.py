"""The confirmation UI and feedback over real HTTP: Confirm by the requester, by someone else,
Cancel, expiry; 👍/👎 buttons and reactions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from artbattle_ops.assistant.contract import Inbound, PendingConfirmation, Reply
from tests.fakes.slack_server import BOT_USER_ID, FakeSlack
from tests.integration.slack.conftest import (
    NOT_REQUESTER,
    ScriptedAssistant,
    Service,
    wait_until,
)

ARGUMENTS = {"artist_profile_id": "7f3c0000-0000-4000-8000-000000000001", "new_name": "Jane Smith"}


def pending(expires_in: timedelta) -> PendingConfirmation:
    expires = datetime.now(UTC) + expires_in
    return PendingConfirmation(
        confirmation_id="conf-1",
        tool="update_artist_name",
        arguments=ARGUMENTS,
        preview={
            "summary": "Rename Jane Roe to Jane Smith.",
            "before": {"name": "Jane Roe"},
            "after": {"name": "Jane Smith"},
            "effects": ["Updates the artist's public name."],
            "warnings": [],
        },
        expires_at={"utc": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "display": "in 5 minutes"},
        requested_by="UOPS",
        session_id="s-write",
        summary="Rename Jane Roe to Jane Smith.",
    )


def asking(expires_in: timedelta) -> Callable[[Inbound], Reply]:
    def script(inbound: Inbound) -> Reply:
        text = "This needs your confirmation."
        return Reply(text=text, session_id="s-write", confirmation=pending(expires_in))

    return script


def prompt_posted(service: Service, fake_slack: FakeSlack) -> dict[str, Any]:
    """Mention the bot; returns the posted confirmation message's arguments."""
    event = {"type": "app_mention", "user": "UOPS", "text": "<@UBOT> rename", "ts": "7.1"}
    service.event(event | {"channel": "C1"}, event_id="EvC1")
    posts = fake_slack.wait_for("chat.postMessage", count=2)
    return {**posts[1].args, "ts": "1700000002.000100"}


def click(service: Service, message: dict[str, Any], action_id: str, user: str) -> None:
    actions = next(b for b in message["blocks"] if b.get("block_id") == "confirmation")
    button = next(e for e in actions["elements"] if e["action_id"] == action_id)
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T0001"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": "C1"},
        "message": {"ts": message["ts"], "thread_ts": "7.1"},
        "actions": [{"action_id": action_id, "value": button["value"], "type": "button"}],
        "response_url": "http://127.0.0.1:9/unused",
        "trigger_id": "t1",
    }
    assert service.action(payload).status_code == 200


@pytest.fixture
def writer(start_service: Callable[..., Service]) -> tuple[ScriptedAssistant, Service]:
    assistant = ScriptedAssistant(script=asking(timedelta(minutes=5)))
    return assistant, start_service(assistant)


def test_the_prompt_shows_the_change_and_buttons_that_carry_the_confirmation(
    writer: tuple[ScriptedAssistant, Service], fake_slack: FakeSlack
) -> None:
    message = prompt_posted(writer[1], fake_slack)

    text = json.dumps(message["blocks"], ensure_ascii=False)
    buttons = next(b for b in message["blocks"] if b.get("block_id") == "confirmation")
    value = json.loads(buttons["elements"][0]["value"])
    assert "name: `Jane Roe` → `Jane Smith`" in text
    assert "Updates the artist's public name." in text
    assert (value["c"], value["t"], value["a"], value["u"]) == (
        "conf-1",
        "update_artist_name",
        ARGUMENTS,
        "UOPS",
    )
    assert message["thread_ts"] == "7.1"


def test_confirm_by_the_requester_runs_the_write_and_replaces_the_buttons(
    writer: tuple[ScriptedAssistant, Service], fake_slack: FakeSlack
) -> None:
    assistant, service = writer
    message = prompt_posted(service, fake_slack)

    click(service, message, "confirm_write", "UOPS")

    update = fake_slack.wait_for("chat.update")[0].args
    assert assistant.confirmed == [("conf-1", "UOPS")]
    assert (update["channel"], update["ts"]) == ("C1", message["ts"])
    assert "Done: the name was changed." in json.dumps(update["blocks"])
    assert all(block["type"] != "actions" for block in update["blocks"])


def test_confirm_by_someone_else_gets_a_private_notice_and_the_prompt_stays(
    writer: tuple[ScriptedAssistant, Service], fake_slack: FakeSlack
) -> None:
    assistant, service = writer
    message = prompt_posted(service, fake_slack)

    click(service, message, "confirm_write", "UVIEW")

    notice = fake_slack.wait_for("chat.postEphemeral")[0].args
    assert (notice["user"], notice["text"]) == ("UVIEW", NOT_REQUESTER)
    assert fake_slack.calls("chat.update") == []
    assert assistant.confirmed == []


def test_cancel_by_the_requester_updates_the_prompt(
    writer: tuple[ScriptedAssistant, Service], fake_slack: FakeSlack
) -> None:
    assistant, service = writer
    message = prompt_posted(service, fake_slack)

    click(service, message, "cancel_write", "UOPS")

    update = fake_slack.wait_for("chat.update")[0].args
    assert assistant.cancelled == [("conf-1", "UOPS")]
    assert "Cancelled: nothing was changed." in update["text"]


def test_a_click_after_expiry_cancels_and_says_it_expired(
    start_service: Callable[..., Service], fake_slack: FakeSlack
) -> None:
    assistant = ScriptedAssistant(script=asking(timedelta(seconds=-1)))
    service = start_service(assistant)
    message = prompt_posted(service, fake_slack)

    click(service, message, "confirm_write", "UOPS")

    update = fake_slack.wait_for("chat.update")[0].args
    assert update["text"] == "This request expired before it was confirmed; nothing was changed."
    assert (assistant.confirmed, assistant.cancelled) == ([], [("conf-1", "UOPS")])


def test_a_click_on_another_replica_settles_the_write(
    start_service: Callable[..., Service], fake_slack: FakeSlack
) -> None:
    first = ScriptedAssistant(script=asking(timedelta(minutes=5)))
    second = ScriptedAssistant()
    message = prompt_posted(start_service(first), fake_slack)

    click(start_service(second), message, "confirm_write", "UOPS")

    fake_slack.wait_for("chat.update")
    assert second.confirmed == [("conf-1", "UOPS")]


def test_a_feedback_button_is_recorded_with_the_session_and_thanked_privately(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    event = {"type": "app_mention", "user": "UOPS", "text": "<@UBOT> hi", "ts": "8.1"}
    service.event(event | {"channel": "C1"}, event_id="EvF1")
    posted = fake_slack.wait_for("chat.postMessage")[0].args
    buttons = next(b for b in posted["blocks"] if b.get("block_id") == "feedback")
    payload = {
        "type": "block_actions",
        "user": {"id": "UOPS"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": "C1"},
        "message": {"ts": "1700000001.000100"},
        "actions": [{"action_id": "feedback_negative", "value": buttons["elements"][1]["value"]}],
    }

    service.action(payload)

    notice = fake_slack.wait_for("chat.postEphemeral")[0].args
    assert assistant.feedback[0] | {"reaction": None} == {
        "slack_user_id": "UOPS",
        "rating": "negative",
        "source": "button",
        "session_id": "s-1",
        "slack_channel_id": "C1",
        "reply_ts": "1700000001.000100",
        "reaction": None,
        "removed": False,
    }
    assert notice["text"] == "Thanks, your feedback was recorded."


@pytest.mark.parametrize(
    ("event_type", "reaction", "rating", "removed"),
    [
        pytest.param("reaction_added", "+1", "positive", False, id="plus-one"),
        pytest.param("reaction_added", "thumbsdown::skin-tone-3", "negative", False, id="tone"),
        pytest.param("reaction_removed", "thumbsup", "positive", True, id="removed"),
    ],
)
def test_a_thumbs_reaction_on_a_bot_reply_is_feedback(
    service: Service,
    assistant: ScriptedAssistant,
    event_type: str,
    reaction: str,
    rating: str,
    removed: bool,
) -> None:
    event = {
        "type": event_type,
        "user": "UOPS",
        "reaction": reaction,
        "item_user": BOT_USER_ID,
        "item": {"type": "message", "channel": "C1", "ts": "9.1"},
        "event_ts": "9.2",
    }

    service.event(event, event_id=f"EvR-{event_type}-{reaction}")

    wait_until(lambda: bool(assistant.feedback), "feedback recorded")
    recorded = assistant.feedback[0]
    assert (recorded["rating"], recorded["source"], recorded["removed"]) == (
        rating,
        "reaction",
        removed,
    )
    assert (recorded["reply_ts"], recorded["slack_channel_id"]) == ("9.1", "C1")


def test_reactions_on_other_messages_or_other_emoji_are_not_feedback(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    base = {"type": "reaction_added", "user": "UOPS", "item": {"type": "message", "ts": "9.1"}}
    service.event(base | {"reaction": "+1", "item_user": "UOTHER"}, event_id="EvR1")
    service.event(base | {"reaction": "tada", "item_user": BOT_USER_ID}, event_id="EvR2")
    marker = {"type": "app_mention", "user": "UOPS", "text": "<@UBOT> x", "ts": "9.9"}

    service.event(marker | {"channel": "C1"}, event_id="EvR3")

    wait_until(lambda: len(assistant.completed) == 1, "the later mention completed")
    assert assistant.feedback == []
