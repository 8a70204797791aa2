"""The console's JSON API over real HTTP, in front of a scripted assistant that records calls."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
import uvicorn
from starlette.applications import Starlette

from artbattle_ops.assistant.contract import Decision, Inbound, PendingConfirmation, Reply
from artbattle_ops.console.app import CONSOLE_CHANNEL, console_routes

USERS = {"ULOCALOPS": "ops", "ULOCALFIN": "finance"}
PENDING: dict[str, Any] = {
    "confirmation_id": "c0ffee00-0000-4000-8000-000000000001",
    "tool": "update_artist_name",
    "arguments": {"artist_profile_id": "p1", "new_name": "Jane Roe"},
    "preview": {"summary": "Rename"},
    "expires_at": {"utc": "2026-12-03T20:00:00Z"},
    "requested_by": "ULOCALOPS",
    "session_id": "s-1",
    "summary": "Rename",
}


@dataclass
class ScriptedAssistant:
    """Answers from a script and records every call it receives."""

    calls: list[tuple[str, Any]] = field(default_factory=list)

    async def handle(self, inbound: Inbound) -> Reply:
        self.calls.append(("handle", inbound))
        if inbound.text.startswith("rename"):
            return Reply("Confirm the rename?", "s-1", confirmation=PendingConfirmation(**PENDING))
        return Reply("*Owed*: <script>x</script>", "s-0", tools_used=["get_artists_owed"])

    async def confirm(
        self, confirmation: PendingConfirmation, clicked_by: str, *, team_id: str | None = None
    ) -> Decision:
        self.calls.append(("confirm", (confirmation, clicked_by)))
        mine = clicked_by == confirmation.requested_by
        return Decision("Done." if mine else "Only the requester can confirm.", "s-2", mine, mine)

    async def cancel(self, confirmation: PendingConfirmation, clicked_by: str) -> Decision:
        self.calls.append(("cancel", (confirmation, clicked_by)))
        return Decision("Cancelled.", "s-3", False, True)

    async def record_feedback(self, **kwargs: Any) -> bool:
        self.calls.append(("feedback", kwargs))
        return True

    async def complete(self, reply: Reply, **kwargs: Any) -> None:
        self.calls.append(("complete", (reply, kwargs)))


@pytest.fixture(scope="module")
def console() -> Iterator[tuple[str, ScriptedAssistant]]:
    assistant = ScriptedAssistant()
    app = Starlette(routes=console_routes(assistant, USERS))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", assistant
    server.should_exit = True
    thread.join(timeout=20)


def test_page_and_users(console: tuple[str, ScriptedAssistant]) -> None:
    url, _ = console
    page = httpx2.get(url + "/")
    assert page.status_code == 200
    assert "local console" in page.text
    assert httpx2.get(url + "/console/users").json() == {
        "users": [{"user": "ULOCALOPS", "role": "ops"}, {"user": "ULOCALFIN", "role": "finance"}],
        "channel": CONSOLE_CHANNEL,
    }


def test_ask_goes_through_the_assistant_and_completes_the_session(
    console: tuple[str, ScriptedAssistant],
) -> None:
    url, assistant = console
    assistant.calls.clear()
    context = [{"author": "user", "text": "earlier"}, {"author": "assistant", "text": "answer"}]
    body = {"user": "ULOCALFIN", "text": "who is owed?", "context": context}
    reply = httpx2.post(url + "/console/ask", json=body).json()
    assert reply["html"] == "<b>Owed</b>: &lt;script&gt;x&lt;/script&gt;<br>"
    assert reply["tools_used"] == ["get_artists_owed"]
    kind, inbound = assistant.calls[0]
    assert kind == "handle"
    assert inbound.interaction_type == "console"
    assert inbound.slack_user_id == "ULOCALFIN"
    assert [m.text for m in inbound.context] == ["earlier", "answer"]
    kind, (completed, details) = assistant.calls[1]
    assert kind == "complete"
    assert completed.session_id == "s-0"
    assert details["reply_ts"] == reply["reply_ts"]


def test_confirmation_round_trip(console: tuple[str, ScriptedAssistant]) -> None:
    url, assistant = console
    reply = httpx2.post(url + "/console/ask", json={"user": "ULOCALOPS", "text": "rename"}).json()
    assert reply["confirmation"] == PENDING
    other = httpx2.post(
        url + "/console/confirm", json={"user": "ULOCALFIN", "confirmation": reply["confirmation"]}
    ).json()
    assert other == {
        "text": "Only the requester can confirm.",
        "html": "Only the requester can confirm.<br>",
        "session_id": "s-2",
        "accepted": False,
        "final": False,
    }
    done = httpx2.post(
        url + "/console/confirm", json={"user": "ULOCALOPS", "confirmation": reply["confirmation"]}
    ).json()
    assert done["accepted"] is True
    confirmed = [args for kind, args in assistant.calls if kind == "confirm"][-1]
    assert confirmed[0] == PendingConfirmation(**PENDING)
    assert confirmed[1] == "ULOCALOPS"
    cancelled = httpx2.post(
        url + "/console/cancel", json={"user": "ULOCALOPS", "confirmation": reply["confirmation"]}
    ).json()
    assert cancelled["text"] == "Cancelled."


def test_feedback_is_recorded_for_the_session(console: tuple[str, ScriptedAssistant]) -> None:
    url, assistant = console
    body = {"user": "ULOCALOPS", "session_id": "s-0", "rating": "negative", "comment": "wrong"}
    assert httpx2.post(url + "/console/feedback", json=body).json() == {"recorded": True}
    kind, recorded = assistant.calls[-1]
    assert kind == "feedback"
    assert recorded["session_id"] == "s-0"
    assert recorded["rating"] == "negative"
    assert recorded["source"] == "console"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"user": "UNOBODY", "text": "hi"}, "user 'UNOBODY' is not a demo user"),
        ({"user": "ULOCALOPS"}, "text is required"),
        ({"user": "ULOCALOPS", "text": "hi", "context": "x"}, "context must be a list"),
    ],
)
def test_bad_requests_are_named(
    console: tuple[str, ScriptedAssistant], body: dict[str, Any], message: str
) -> None:
    url, assistant = console
    before = len(assistant.calls)
    response = httpx2.post(url + "/console/ask", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert len(assistant.calls) == before


def test_only_json_is_accepted(console: tuple[str, ScriptedAssistant]) -> None:
    url, _ = console
    response = httpx2.post(url + "/console/ask", data={"user": "ULOCALOPS", "text": "hi"})
    assert response.status_code == 400
    assert response.json()["error"] == "send the request as application/json."
