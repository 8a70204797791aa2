"""The whole assistant service over Slack: `create_service_app` (the real core and the Slack front
end) served over HTTP, Slack-signed events and clicks, the fake Slack Web API, the fake model,
and the real gateway with the Edge emulator. Each scenario checks what Slack received, the
session row and its audit rows."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest

from artbattle_ops.assistant import messages
from artbattle_ops.assistant.app import create_service_app
from artbattle_ops.policy.redaction import mask_email
from artbattle_ops.slack.interactions import EXPIRED_TEXT
from tests.fakes.openai_server import Answer, FakeOpenAI, calls, last_tool_results, slow, text
from tests.fakes.slack_server import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlack
from tests.fakes.socket_mode import FakeSocketMode
from tests.integration.assistant.conftest import (
    Stack,
    assistant_env,
    assistant_settings,
    audit_rows,
    free_port,
    served,
    session_row,
    wait_for_rows,
)
from tests.integration.slack.conftest import (
    BOT_TOKEN,
    SIGNING_SECRET,
    Service,
    event_callback,
    wait_until,
)

SESSIONS_SQL = (
    "SELECT id::text FROM esbmcp_chat_sessions WHERE slack_channel_id = %s ORDER BY created_at"
)
AUDIT_COUNT_SQL = "SELECT 1 FROM esbmcp_audit_log WHERE session_id = %s AND source = 'slack'"
COUNTRY_SQL = "SELECT country FROM artist_profiles WHERE id = %s"
# The first message ts the fake Slack hands out.
FIRST_TS = "1700000001.000100"
_ts = itertools.count(1)

StartService = Callable[..., Service]


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def start_service(
    stack: Stack, fake_model: FakeOpenAI, fake_slack: FakeSlack
) -> Iterator[StartService]:
    """Start a whole service on the stack (several may run, like replicas); env overrides."""
    with ExitStack() as running:

        def start(**overrides: Any) -> Service:
            slack = {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake_slack.api_url,
            }
            settings = assistant_settings(stack, fake_model, **(slack | overrides))
            url = running.enter_context(served(create_service_app(settings)))
            return Service(url, stack.db_url)

        yield start


@pytest.fixture
def service(start_service: StartService) -> Service:
    return start_service()


def new_channel(prefix: str = "C") -> str:
    """A channel of the test's own, so claims, counters and session rows never mix."""
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def new_ts() -> str:
    return f"1710000{next(_ts):03d}.000200"


def mention(channel: str, question: str, user: str = "UOPS") -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {question}",
        "ts": new_ts(),
        "channel": channel,
    }


def sessions_in(stack: Stack, channel: str, count: int = 1) -> list[dict[str, Any]]:
    """The channel's session rows, oldest first, once `count` are written."""
    rows = wait_for_rows(stack, SESSIONS_SQL, (channel,), count)
    assert len(rows) == count, rows
    return [session_row(stack, row[0]) for row in rows]


def audit_events(stack: Stack, session_id: str, count: int) -> list[dict[str, Any]]:
    """The session's Slack-side audit rows, once `count` are written."""
    wait_for_rows(stack, AUDIT_COUNT_SQL, (session_id,), count)
    return audit_rows(stack, session_id)


def event_types(rows: list[dict[str, Any]]) -> list[str]:
    return [row["event_type"] for row in rows]


def fields(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names}


def tool_outcomes(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(entry["tool_name"], entry["outcome"]) for entry in row["tools_called"]]


def echo_event_name(body: dict[str, Any]) -> Answer:
    event = json.loads(last_tool_results(body)[0])["data"]["event"]
    return text(f"{event['name']} is event {event['eid']}.")


def test_a_mention_is_answered_in_its_thread_from_the_tool_result(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    eid = stack.fixtures["healthy_event"]["eid"]
    [(name,)] = stack.sql("SELECT name FROM events WHERE eid = %s", (eid,))
    fake_model.script(calls(("lookup_event", {"eid": eid})), echo_event_name)
    channel = new_channel()
    event = mention(channel, f"what is {eid}?")

    service.event(event, event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    assert (post["channel"], post["thread_ts"]) == (channel, event["ts"])
    assert f"{name} is event {eid}." in post["text"]
    assert fields(
        row,
        "status",
        "interaction_type",
        "slack_event_id",
        "slack_team_id",
        "slack_thread_ts",
        "reply_ts",
        "slack_user_id",
        "user_role",
        "user_prompt",
        "error_id",
    ) == {
        "status": "completed",
        "interaction_type": "app_mention",
        "slack_event_id": f"Ev{channel}",
        "slack_team_id": TEAM_ID,
        "slack_thread_ts": event["ts"],
        "reply_ts": FIRST_TS,
        "slack_user_id": "UOPS",
        "user_role": "ops",
        "user_prompt": f"what is {eid}?",
        "error_id": None,
    }
    assert tool_outcomes(row) == [("lookup_event", "executed")]
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]


def test_a_mention_over_socket_mode_is_acknowledged_and_answered_in_its_thread(
    start_service: StartService, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    eid = stack.fixtures["healthy_event"]["eid"]
    fake_model.script(calls(("lookup_event", {"eid": eid})), echo_event_name)
    with FakeSocketMode() as sockets:
        fake_slack.state.socket_url = sockets.url
        service = start_service(SLACK_USE_SOCKET_MODE=True, SLACK_APP_TOKEN="xapp-1-test-token")
        sockets.wait_connected()
        channel = new_channel()
        event = mention(channel, f"what is {eid}?")

        envelope_id = sockets.send_events_api(event_callback(event, f"Ev{channel}"))

        ack = sockets.wait_for_ack(envelope_id)
        post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    assert ack == {"envelope_id": envelope_id}
    assert (post["channel"], post["thread_ts"]) == (channel, event["ts"])
    assert (row["status"], tool_outcomes(row)) == ("completed", [("lookup_event", "executed")])
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]
    assert httpx2.get(f"{service.url}/healthz", timeout=5).status_code == 200


def test_the_slash_command_is_answered_privately_and_recorded_without_a_reply_ts(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("Ticket sales are open."))
    channel = new_channel()

    acknowledged = service.form(
        {
            "command": "/ab",
            "text": "  ticket sales?  ",
            "user_id": "UFIN",
            "user_name": "fin.person",
            "channel_id": channel,
            "team_id": TEAM_ID,
            "response_url": fake_slack.response_url(channel),
            "trigger_id": "tr1",
        }
    )

    answer = fake_slack.wait_for(f"response_url:{channel}")[0].args
    [row] = sessions_in(stack, channel)
    assert (acknowledged.status_code, acknowledged.text) == (200, "")
    assert (answer["response_type"], answer["text"]) == ("ephemeral", "Ticket sales are open.")
    assert fake_slack.calls("chat.postMessage") == []
    assert fields(
        row,
        "status",
        "interaction_type",
        "slack_event_id",
        "slack_thread_ts",
        "reply_ts",
        "slack_user_id",
        "slack_username",
        "user_role",
        "user_prompt",
    ) == {
        "status": "completed",
        "interaction_type": "slash_command",
        "slack_event_id": None,
        "slack_thread_ts": None,
        "reply_ts": None,
        "slack_user_id": "UFIN",
        "slack_username": "fin.person",
        "user_role": "finance",
        "user_prompt": "ticket sales?",
    }
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]


def test_a_direct_message_reaches_the_model_with_the_earlier_messages(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("Boston: 9."))
    channel = new_channel("D")
    now = time.time()
    fake_slack.state.history[channel] = [
        {"user": "UOPS", "text": "and Boston?", "ts": f"{now:.6f}"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Toronto: 12.", "ts": f"{now - 5:.6f}"},
        {"user": "UOPS", "text": "tickets in Toronto", "ts": f"{now - 9:.6f}"},
    ]
    event = {
        "type": "message",
        "channel_type": "im",
        "user": "UOPS",
        "text": "and Boston?",
        "ts": f"{now:.6f}",
        "channel": channel,
    }

    service.event(event, event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    sent = [(m["role"], m["content"]) for m in fake_model.requests[0]["messages"][1:]]
    assert (post["channel"], post.get("thread_ts"), post["text"]) == (channel, None, "Boston: 9.")
    assert sent == [
        ("user", "tickets in Toronto"),
        ("assistant", "Toronto: 12."),
        ("user", "and Boston?"),
    ]
    assert fields(row, "status", "interaction_type", "slack_thread_ts", "reply_ts") == {
        "status": "completed",
        "interaction_type": "direct_message",
        "slack_thread_ts": None,
        "reply_ts": FIRST_TS,
    }
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]


def test_a_redelivered_event_is_answered_once_with_one_session(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(text("Once."), text("Twice."))
    channel = new_channel()
    event = mention(channel, "how many tickets?")
    retry = {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}

    first = service.event(event, event_id=f"Ev{channel}")
    again = service.event(event, event_id=f"Ev{channel}", **retry)

    [row] = sessions_in(stack, channel)
    duplicates = wait_for_rows(
        stack,
        "SELECT session_id, detail FROM esbmcp_audit_log"
        " WHERE event_type = 'duplicate_request_ignored' AND slack_channel_id = %s",
        (channel,),
        1,
    )
    assert (first.status_code, again.status_code) == (200, 200)
    assert [call.args["text"] for call in fake_slack.calls("chat.postMessage")] == ["Once."]
    assert (row["slack_event_id"], row["status"]) == (f"Ev{channel}", "completed")
    assert duplicates == [
        (None, {"slack_event_id": f"Ev{channel}", "retry_num": 1, "retry_reason": "http_timeout"})
    ]
    assert len(fake_model.requests) == 1


def test_the_user_rate_limit_holds_across_two_services_sharing_the_database(
    start_service: StartService, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    stack.execute("DELETE FROM esbmcp_rate_limits WHERE scope = 'user' AND subject = 'UOPS2'")
    fake_model.script(text("Answered."), text("Answered."), text("Answered."))
    limits = {"RATE_LIMIT_USER_MAX": 3, "RATE_LIMIT_USER_WINDOW_SEC": 86_400}
    replicas = [start_service(**limits), start_service(**limits)]
    channel = new_channel()

    for index in range(5):
        event = mention(channel, f"question {index}", user="UOPS2")
        replicas[index % 2].event(event, event_id=f"Ev{channel}-{index}")

    rows = sessions_in(stack, channel, 5)
    limited = [row for row in rows if row["status"] == "rate_limited"]
    audits = [audit_events(stack, str(row["id"]), 1) for row in limited]
    texts = sorted(call.args["text"] for call in fake_slack.wait_for("chat.postMessage", 5))
    retry_texts = sorted(messages.retry_hint(a[0]["detail"]["retry_after_seconds"]) for a in audits)
    assert sorted(row["status"] for row in rows) == ["completed"] * 3 + ["rate_limited"] * 2
    assert texts == ["Answered."] * 3 + retry_texts
    assert all(t.startswith(messages.RATE_LIMITED) for t in retry_texts)
    assert [(row["error_message"], row["reply_ts"] is not None) for row in limited] == [
        ("user_rate_limit_exceeded", True)
    ] * 2
    assert [
        [(r["event_type"], r["detail"]["reason"], r["detail"]["limit"]) for r in a] for a in audits
    ] == [[("rate_limit_exceeded", "user_rate_limit_exceeded", 3)]] * 2
    assert len(fake_model.requests) == 3


@pytest.fixture
def start_process(
    stack: Stack, fake_model: FakeOpenAI, fake_slack: FakeSlack
) -> Iterator[Callable[..., Service]]:
    """Start `artbattle-ops assistant` in a process of its own (a replica); env overrides."""
    with ExitStack() as running:

        def start(**overrides: Any) -> Service:
            env = assistant_env(stack, fake_model) | {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake_slack.api_url,
                "LOG_LEVEL": "WARNING",
            }
            url = running.enter_context(assistant_process(env | overrides))
            return Service(url, stack.db_url)

        yield start


@contextmanager
def assistant_process(env: dict[str, Any]) -> Iterator[str]:
    """The assistant command in its own process; yields its base URL once /healthz answers."""
    port = free_port()
    strings = {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in env.items()
    }
    command = [sys.executable, "-m", "artbattle_ops", "assistant", "--port", str(port)]
    process = subprocess.Popen(command, env=os.environ | strings)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/healthz") or process.poll() is not None, "/healthz")
        assert process.poll() is None, "the assistant process exited"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx2.get(url, timeout=1).status_code == 200
    except httpx2.TransportError:
        return False


def test_the_user_rate_limit_is_exact_for_concurrent_events_on_two_processes(
    start_process: Callable[..., Service],
    fake_slack: FakeSlack,
    fake_model: FakeOpenAI,
    stack: Stack,
) -> None:
    stack.execute("DELETE FROM esbmcp_rate_limits WHERE scope = 'user' AND subject = 'UOPS2'")
    fake_model.script(*[text("Answered.")] * 3)
    limits = {"RATE_LIMIT_USER_MAX": 3, "RATE_LIMIT_USER_WINDOW_SEC": 86_400}
    replicas = [start_process(**limits), start_process(**limits)]
    channel = new_channel()
    events = [mention(channel, f"question {index}", user="UOPS2") for index in range(8)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        acks = list(
            pool.map(
                lambda i: replicas[i % 2].event(events[i], event_id=f"Ev{channel}-{i}"), range(8)
            )
        )

    rows = sessions_in(stack, channel, 8)
    assert [ack.status_code for ack in acks] == [200] * 8
    assert sorted(row["status"] for row in rows) == ["completed"] * 3 + ["rate_limited"] * 5
    assert len(fake_model.requests) == 3


def test_the_gateway_down_is_answered_with_the_sessions_error_reference(
    start_service: StartService, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    service = start_service(MCP_GATEWAY_URL="http://127.0.0.1:9/mcp")
    channel = new_channel()

    service.event(mention(channel, "what is AB4001?"), event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    events = audit_events(stack, str(row["id"]), 2)
    assert row["error_id"] is not None
    assert post["text"] == messages.GATEWAY_DOWN.format(error_id=row["error_id"])
    assert (row["status"], row["reply_ts"]) == ("error", FIRST_TS)
    assert [(e["event_type"], e["detail"].get("reason")) for e in events] == [
        ("gateway_call_failed", "connection_error"),
        ("session_error", None),
    ]
    assert events[1]["detail"]["error_id"] == row["error_id"]
    assert fake_model.requests == []


def test_a_model_timeout_is_answered_with_the_sessions_error_reference(
    start_service: StartService, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(slow(3, text("too late")))
    service = start_service(OPENAI_TIMEOUT_MS=300, OPENAI_MAX_RETRIES=0)
    channel = new_channel()

    service.event(mention(channel, "hello"), event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    events = audit_events(stack, str(row["id"]), 2)
    assert row["error_id"] is not None
    assert post["text"] == messages.MODEL_TIMEOUT.format(error_id=row["error_id"])
    assert (row["status"], row["api_rounds"]) == ("error", 1)
    assert event_types(events) == ["session_started", "session_error"]
    assert events[1]["detail"] == {
        "error_id": row["error_id"],
        "error_class": "ModelError",
        "stage": "llm",
    }


def test_malformed_tool_call_arguments_go_back_to_the_model_which_then_answers(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    fake_model.script(calls(("lookup_event", '{"eid": "AB4001"')), text("Sorry, I slipped."))
    channel = new_channel()

    service.event(mention(channel, "what is AB4001?"), event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    returned = json.loads(last_tool_results(fake_model.requests[1])[0])
    entry = row["tools_called"][0]
    assert post["text"] == "Sorry, I slipped."
    assert returned["error"]["code"] == "invalid_arguments_json"
    assert (row["status"], row["api_rounds"]) == ("completed", 2)
    assert (entry["tool_name"], entry["outcome"], entry["error_code"]) == (
        "lookup_event",
        "denied",
        "invalid_arguments_json",
    )
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]


PHONE = "+1 514 555 0163"


def echo_email_and_phone(body: dict[str, Any]) -> Answer:
    person = json.loads(last_tool_results(body)[0])["data"]["people"]["items"][0]
    return text(f"Email: {person['email']}. Call them at {PHONE}.")


@pytest.mark.parametrize(
    ("user", "masked"),
    [
        pytest.param("UFIN", True, id="finance-masked"),
        pytest.param("UOPS", False, id="ops-exempt"),
    ],
)
def test_personal_data_in_the_posted_answer_is_masked_by_role(
    service: Service,
    fake_slack: FakeSlack,
    fake_model: FakeOpenAI,
    stack: Stack,
    user: str,
    masked: bool,
) -> None:
    email = stack.fixtures["null_last_name_person"]["email"]
    fake_model.script(calls(("lookup_person", {"query": email})), echo_email_and_phone)
    channel = new_channel()

    service.event(mention(channel, "who is this?", user=user), event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    shown_email, shown_phone = (mask_email(email), "***63") if masked else (email, PHONE)
    assert post["text"] == f"Email: {shown_email}. Call them at {shown_phone}."
    assert tool_outcomes(row) == [("lookup_person", "executed")]
    assert row["redaction_rules_applied"] == (["mask_phone"] if masked else [])
    assert event_types(audit_events(stack, str(row["id"]), 2)) == [
        "session_started",
        "session_completed",
    ]


def test_a_viewer_gets_no_person_lookup_and_personal_data_masked_in_the_answer(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack
) -> None:
    email = stack.fixtures["null_last_name_person"]["email"]
    fake_model.script(
        calls(("lookup_person", {"query": email})),
        text(f"Email: {email}. Call them at {PHONE}."),
    )
    channel = new_channel()

    service.event(mention(channel, "who is this?", user="UVIEW"), event_id=f"Ev{channel}")

    post = fake_slack.wait_for("chat.postMessage")[0].args
    [row] = sessions_in(stack, channel)
    events = audit_events(stack, str(row["id"]), 3)
    assert post["text"] == f"Email: {mask_email(email)}. Call them at ***63."
    assert (row["user_role"], tool_outcomes(row)) == (
        "viewer",
        [("lookup_person", "not_available")],
    )
    assert event_types(events) == ["session_started", "tool_not_available", "session_completed"]


ARTIST_SQL = """
SELECT id::text, country FROM artist_profiles
WHERE superseded_by IS NULL AND country = 'CA'
ORDER BY id
LIMIT 1
"""
WRITES_SQL = "SELECT status FROM esbmcp_write_operations WHERE confirmation_id = %s"


@dataclass(frozen=True)
class Prompt:
    """A confirmation prompt posted in a thread, and the session that asked for it."""

    channel: str
    thread_ts: str
    message: dict[str, Any]
    session: dict[str, Any]

    @property
    def value(self) -> dict[str, Any]:
        buttons = next(b for b in self.message["blocks"] if b.get("block_id") == "confirmation")
        return dict(json.loads(buttons["elements"][0]["value"]))


@pytest.fixture
def artist(stack: Stack) -> Iterator[str]:
    """An artist profile in CA, its country restored after the test."""
    [(profile_id, country)] = stack.sql(ARTIST_SQL)
    yield profile_id
    stack.execute("UPDATE artist_profiles SET country = %s WHERE id = %s", (country, profile_id))


def ask_for_change(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack, artist: str
) -> Prompt:
    """Ask to move `artist` to IE; the model calls the write at once with full arguments."""
    arguments = {"artist_profile_id": artist, "new_country": "IE"}
    fake_model.script(calls(("update_artist_country", arguments)))
    channel = new_channel()
    event = mention(channel, f"set the country of artist {artist} to IE")
    service.event(event, event_id=f"Ev{channel}")
    [session] = sessions_in(stack, channel)
    posted = fake_slack.calls("chat.postMessage")[-1].args
    return Prompt(channel, event["ts"], posted | {"ts": session["reply_ts"]}, session)


def click(service: Service, prompt: Prompt, action_id: str, user: str, **value: Any) -> None:
    """Click a button of the prompt the way Slack sends it: a signed block_actions payload
    (`value` replaces entries of the button's value, as time passing would make them read)."""
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": TEAM_ID},
        "channel": {"id": prompt.channel},
        "container": {
            "type": "message",
            "message_ts": prompt.message["ts"],
            "channel_id": prompt.channel,
        },
        "message": {"ts": prompt.message["ts"], "thread_ts": prompt.thread_ts},
        "actions": [
            {"action_id": action_id, "value": json.dumps(prompt.value | value), "type": "button"}
        ],
        "trigger_id": "t1",
    }
    assert service.action(payload).status_code == 200


def test_the_requesters_confirm_makes_the_change_once_and_updates_the_prompt(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack, artist: str
) -> None:
    prompt = ask_for_change(service, fake_slack, fake_model, stack, artist)
    actions = [b for b in prompt.message["blocks"] if b["type"] == "actions"]
    buttons = [element["action_id"] for block in actions for element in block["elements"]]

    click(service, prompt, "confirm_write", "UOPS")

    update = fake_slack.wait_for("chat.update")[0].args
    session_id = str(prompt.session["id"])
    events = audit_events(stack, session_id, 4)
    assert (prompt.message["thread_ts"], buttons) == (
        prompt.thread_ts,
        ["confirm_write", "cancel_write"],
    )
    assert (update["channel"], update["ts"]) == (prompt.channel, prompt.session["reply_ts"])
    assert update["text"].startswith("Done: Change country of ")
    assert all(block["type"] != "actions" for block in update["blocks"])
    assert stack.sql(COUNTRY_SQL, (artist,)) == [("IE",)]
    assert len(stack.sql(WRITES_SQL, (prompt.value["c"],))) == 1
    assert prompt.session["tools_called"][0]["error_code"] == "confirmation_required"
    assert event_types(events) == [
        "session_started",
        "confirmation_requested",
        "session_completed",
        "confirmation_granted",
    ]
    assert events[3]["detail"]["approver_user_id"] == "UOPS"


def test_someone_elses_confirm_gets_a_private_notice_and_changes_nothing(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack, artist: str
) -> None:
    prompt = ask_for_change(service, fake_slack, fake_model, stack, artist)

    click(service, prompt, "confirm_write", "UOPS2")

    notice = fake_slack.wait_for("chat.postEphemeral")[0].args
    events = audit_events(stack, str(prompt.session["id"]), 4)
    assert (notice["channel"], notice["user"], notice["thread_ts"], notice["text"]) == (
        prompt.channel,
        "UOPS2",
        prompt.thread_ts,
        messages.NOT_REQUESTER.format(user="UOPS"),
    )
    assert fake_slack.calls("chat.update") == []
    assert stack.sql(COUNTRY_SQL, (artist,)) == [("CA",)]
    assert stack.sql(WRITES_SQL, (prompt.value["c"],)) == []
    assert (events[3]["event_type"], events[3]["detail"]["reason"]) == (
        "confirmation_rejected",
        "not_requester",
    )


def test_cancel_by_the_requester_updates_the_prompt_and_changes_nothing(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack, artist: str
) -> None:
    prompt = ask_for_change(service, fake_slack, fake_model, stack, artist)

    click(service, prompt, "cancel_write", "UOPS")

    update = fake_slack.wait_for("chat.update")[0].args
    events = audit_events(stack, str(prompt.session["id"]), 4)
    assert (update["ts"], update["text"]) == (
        prompt.session["reply_ts"],
        messages.CANCELLED.format(user="UOPS"),
    )
    assert stack.sql(COUNTRY_SQL, (artist,)) == [("CA",)]
    assert stack.sql(WRITES_SQL, (prompt.value["c"],)) == []
    assert (events[3]["event_type"], events[3]["detail"]["reason"]) == (
        "confirmation_rejected",
        "cancelled_by_user",
    )


def test_a_confirm_after_expiry_says_so_and_changes_nothing(
    service: Service, fake_slack: FakeSlack, fake_model: FakeOpenAI, stack: Stack, artist: str
) -> None:
    prompt = ask_for_change(service, fake_slack, fake_model, stack, artist)

    click(service, prompt, "confirm_write", "UOPS", e="2020-01-01T00:00:00Z")

    update = fake_slack.wait_for("chat.update")[0].args
    events = audit_events(stack, str(prompt.session["id"]), 4)
    assert (update["ts"], update["text"]) == (prompt.session["reply_ts"], EXPIRED_TEXT)
    assert all(block["type"] != "actions" for block in update["blocks"])
    assert stack.sql(COUNTRY_SQL, (artist,)) == [("CA",)]
    assert stack.sql(WRITES_SQL, (prompt.value["c"],)) == []
    assert (events[3]["event_type"], events[3]["detail"]["reason"]) == (
        "confirmation_rejected",
        "timed_out",
    )
