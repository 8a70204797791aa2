"""The Slack service over real HTTP: uvicorn in a thread, a fake Slack Web API, Slack-signed
requests, a migrated test database, and a scripted stand-in for the assistant core."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2
import psycopg
import pytest

from artbattle_ops.assistant.contract import (
    Decision,
    Inbound,
    PendingConfirmation,
    Rating,
    Reply,
)
from artbattle_ops.config.settings import AssistantSettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.slack.app import create_assistant_app
from artbattle_ops.slack.signature import signature_for
from tests.fakes.slack_server import TEAM_ID, FakeSlack, run_in_thread

SIGNING_SECRET = "test-slack-signing-secret-5c1e"
BOT_TOKEN = "xoxb-test-bot-token"
USERS = {"UOPS": "ops", "UVIEW": "viewer", "UFIN": "finance"}
NOT_REQUESTER = "Only the person who asked can confirm this change."


@dataclass
class ScriptedAssistant:
    """An `Assistant` that answers with `script(inbound)` and records every call.

    Confirm/cancel follow the contract: a click by anyone but the requester is not final.
    """

    script: Callable[[Inbound], Reply] = field(
        default=lambda inbound: Reply(text=f"echo: {inbound.text}", session_id="s-1")
    )
    handled: list[Inbound] = field(default_factory=list)
    confirmed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: list[tuple[str, str]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    completed: list[dict[str, Any]] = field(default_factory=list)

    async def handle(self, inbound: Inbound) -> Reply:
        self.handled.append(inbound)
        return self.script(inbound)

    async def confirm(
        self, confirmation: PendingConfirmation, clicked_by: str, *, team_id: str | None = None
    ) -> Decision:
        if clicked_by != confirmation.requested_by:
            return Decision(NOT_REQUESTER, confirmation.session_id, accepted=False, final=False)
        self.confirmed.append((confirmation.confirmation_id, clicked_by))
        return Decision("Done: the name was changed.", confirmation.session_id, True, True)

    async def cancel(self, confirmation: PendingConfirmation, clicked_by: str) -> Decision:
        if clicked_by != confirmation.requested_by:
            return Decision(NOT_REQUESTER, confirmation.session_id, accepted=False, final=False)
        self.cancelled.append((confirmation.confirmation_id, clicked_by))
        return Decision("Cancelled: nothing was changed.", confirmation.session_id, False, True)

    async def record_feedback(
        self,
        *,
        slack_user_id: str,
        rating: Rating,
        source: Literal["button", "reaction", "console"],
        session_id: str | None = None,
        slack_channel_id: str | None = None,
        reply_ts: str | None = None,
        reaction: str | None = None,
        removed: bool = False,
        comment: str | None = None,
    ) -> bool:
        self.feedback.append(
            {
                "slack_user_id": slack_user_id,
                "rating": rating,
                "source": source,
                "session_id": session_id,
                "slack_channel_id": slack_channel_id,
                "reply_ts": reply_ts,
                "reaction": reaction,
                "removed": removed,
            }
        )
        return True

    async def complete(
        self,
        reply: Reply,
        *,
        reply_ts: str | None,
        slack_thread_ts: str | None,
        post_error: str | None = None,
    ) -> None:
        self.completed.append(
            {
                "session_id": reply.session_id,
                "reply_ts": reply_ts,
                "slack_thread_ts": slack_thread_ts,
                "post_error": post_error,
            }
        )


def wait_until(ready: Callable[[], bool], what: str, timeout_sec: float = 10.0) -> None:
    """Poll `ready` (bounded)."""
    deadline = time.monotonic() + timeout_sec
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def signed_headers(body: bytes, *, timestamp: int | None = None, **extra: str) -> dict[str, str]:
    """The headers Slack sends with `body`: timestamp and v0 HMAC signature."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return {
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature_for(SIGNING_SECRET, stamp, body),
        **extra,
    }


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """The Events API payload Slack delivers for `event` (over HTTP or a socket)."""
    return {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "api_app_id": "A0001",
        "event": event,
        "event_id": event_id,
        "event_time": int(time.time()),
    }


@dataclass
class Service:
    """A running Slack service and the ways to talk to it."""

    url: str
    db_url: str

    def post(self, body: bytes, headers: dict[str, str]) -> httpx2.Response:
        return httpx2.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=10)

    def event(self, event: dict[str, Any], *, event_id: str, **headers: str) -> httpx2.Response:
        body = json.dumps(event_callback(event, event_id)).encode()
        return self.post(body, signed_headers(body, content_type="application/json") | headers)

    def form(self, fields: dict[str, str]) -> httpx2.Response:
        body = urllib.parse.urlencode(fields).encode()
        headers = signed_headers(body) | {"content-type": "application/x-www-form-urlencoded"}
        return self.post(body, headers)

    def action(self, payload: dict[str, Any]) -> httpx2.Response:
        return self.form({"payload": json.dumps(payload)})

    def rows(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()

    def wait_rows(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        wait_until(lambda: bool(self.rows(query, params)), f"rows of {query!r}")
        return self.rows(query, params)


@pytest.fixture
def migrated_url(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
    return database_url


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


def slack_settings(db_url: str, api_url: str, **overrides: Any) -> AssistantSettings:
    values: dict[str, Any] = {
        "APP_ENV": "test",
        "SUPABASE_DB_URL": db_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "RBAC_USER_MAP_JSON": json.dumps(USERS),
        "DB_POOL_MAX_SIZE": 3,
    }
    return load(AssistantSettings, **(values | overrides))


@dataclass
class Started:
    """Servers started by `start_service`, stopped at the end of the test."""

    stops: list[Callable[[], None]] = field(default_factory=list)


@pytest.fixture
def start_service(migrated_url: str, fake_slack: FakeSlack) -> Iterator[Callable[..., Service]]:
    """Start a service (several may share the database, like replicas)."""
    started = Started()

    def start(assistant: ScriptedAssistant, **overrides: Any) -> Service:
        settings = slack_settings(migrated_url, fake_slack.api_url, **overrides)
        server, thread, url = run_in_thread(create_assistant_app(settings, assistant))

        def stop() -> None:
            server.should_exit = True
            thread.join(timeout=20)

        started.stops.append(stop)
        return Service(url, migrated_url)

    yield start
    for stop in started.stops:
        stop()


@pytest.fixture
def assistant() -> ScriptedAssistant:
    return ScriptedAssistant()


@pytest.fixture
def service(start_service: Callable[..., Service], assistant: ScriptedAssistant) -> Service:
    return start_service(assistant)
