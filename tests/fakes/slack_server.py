"""A fake Slack Web API: a real HTTP server (Starlette + uvicorn in a thread) that records every
call with its arguments and answers the way Slack does (`{"ok": true, "ts": ...}`).

Point `AsyncWebClient(base_url=fake.api_url)` (SLACK_API_URL) at it. Conversation history and
thread replies are configured per channel/thread; a method can be made to fail with a Slack
error name. Response URLs (`fake.response_url(name)`) record what is posted to them too.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"


@dataclass(frozen=True)
class Call:
    """One recorded request: the method (or `response_url:<name>`), its arguments, its token."""

    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class FakeSlackState:
    """What the fake knows and what it was asked."""

    calls: list[Call] = field(default_factory=list)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    replies: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    socket_url: str | None = None


class FakeSlack:
    """The fake server; use as a context manager (`with FakeSlack() as slack:`)."""

    def __init__(self) -> None:
        self.state = FakeSlackState()
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    @property
    def api_url(self) -> str:
        """The SLACK_API_URL to configure."""
        return f"{self.base_url}/api/"

    def response_url(self, name: str) -> str:
        """A response URL whose posts are recorded as `response_url:<name>`."""
        return f"{self.base_url}/response/{name}"

    def __enter__(self) -> FakeSlack:
        port = free_port()
        config = uvicorn.Config(
            self._app(), host="127.0.0.1", port=port, log_config=None, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        wait_until(lambda: self._server is not None and self._server.started, "fake Slack")
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        assert self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=10)

    # -- what tests read ------------------------------------------------------------------

    def calls(self, method: str) -> list[Call]:
        """Recorded calls of `method`, in arrival order."""
        with self._lock:
            return [call for call in self.state.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout_sec: float = 10.0) -> list[Call]:
        """Wait (bounded) until `method` was called `count` times; returns those calls.

        Raises:
            AssertionError: fewer calls arrived before the timeout.
        """
        wait_until(lambda: len(self.calls(method)) >= count, f"{count} x {method}", timeout_sec)
        return self.calls(method)

    # -- the server -------------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{name}", self._response_url, methods=["POST"]),
            ]
        )

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        args = await _arguments(request)
        token = (request.headers.get("authorization") or "").removeprefix("Bearer ") or None
        with self._lock:
            self.state.calls.append(Call(method, args, token))
            failure = self.state.failures.get(method)
        if failure:
            return JSONResponse({"ok": False, "error": failure})
        return JSONResponse(self._answer(method, args))

    async def _response_url(self, request: Request) -> Response:
        body = json.loads(await request.body() or b"{}")
        with self._lock:
            self.state.calls.append(Call(f"response_url:{request.path_params['name']}", body, None))
        return PlainTextResponse("ok")

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        answer = _ANSWERS.get(method)
        if answer is None:
            return {"ok": False, "error": "unknown_method"}
        return answer(self, args)

    def next_ts(self) -> str:
        """A new message ts, increasing like Slack's."""
        return f"1700000{next(self._ts):03d}.000100"


def _auth_test(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": TEAM_ID, "user": "ab"}


def _post_message(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    ts = fake.next_ts()
    message = {"text": args.get("text"), "ts": ts, "bot_id": BOT_ID, "user": BOT_USER_ID}
    return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}


def _post_ephemeral(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "message_ts": fake.next_ts()}


def _update(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}


def _history(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    messages = fake.state.history.get(str(args.get("channel")), [])
    return {"ok": True, "messages": messages, "has_more": False}


def _replies(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    key = (str(args.get("channel")), str(args.get("ts")))
    return {"ok": True, "messages": fake.state.replies.get(key, []), "has_more": False}


def _users_info(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    user = str(args.get("user"))
    name = fake.state.usernames.get(user, user.lower())
    return {"ok": True, "user": {"id": user, "name": name}}


def _ok(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True}


def _connections_open(fake: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    if fake.state.socket_url is None:
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"ok": True, "url": fake.state.socket_url}


_ANSWERS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": _auth_test,
    "apps.connections.open": _connections_open,
    "chat.postMessage": _post_message,
    "chat.postEphemeral": _post_ephemeral,
    "chat.update": _update,
    "conversations.history": _history,
    "conversations.replies": _replies,
    "users.info": _users_info,
    "views.publish": _ok,
    "assistant.threads.setStatus": _ok,
    "assistant.threads.setSuggestedPrompts": _ok,
    "assistant.threads.setTitle": _ok,
    "reactions.add": _ok,
    "reactions.remove": _ok,
}


async def _arguments(request: Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    if not body:
        return args
    if request.headers.get("content-type", "").startswith("application/json"):
        parsed = json.loads(body)
        return args | (parsed if isinstance(parsed, dict) else {})
    return args | dict(parse_qsl(body.decode()))


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(ready: Callable[[], bool], what: str, timeout_sec: float = 20.0) -> None:
    """Poll `ready` until it holds (bounded).

    Raises:
        AssertionError: it did not hold within the timeout.
    """
    deadline = time.monotonic() + timeout_sec
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def run_in_thread(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve an ASGI app (lifespan on) from a thread on an ephemeral port; returns the server,
    its thread and its base URL once it accepts connections."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "the service")
    if not server.started:
        raise AssertionError("the service did not start")
    return server, thread, f"http://127.0.0.1:{port}"
