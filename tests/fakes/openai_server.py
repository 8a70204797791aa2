"""A fake OpenAI-compatible server: `POST /v1/chat/completions` over real HTTP, scripted per test.

Each test scripts the answers in order (text, tool calls, delays, HTTP errors, malformed tool-call
JSON); a step may be a function of the request body, to answer from what the model was sent. Every
request received is recorded, so tests assert on the tools offered, the system prompt and the
tool results the assistant sent back.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DEFAULT_MODEL = "gpt-4o-mini-2024-07-18"


@dataclass(frozen=True)
class Answer:
    """One scripted HTTP answer."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    delay_sec: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


Step = Answer | Callable[[dict[str, Any]], Answer]


def completion(
    content: str | None,
    tool_calls: list[dict[str, Any]] | None = None,
    *,
    model: str = DEFAULT_MODEL,
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
) -> dict[str, Any]:
    """A Chat Completions body with one choice."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if tool_calls else "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def text(content: str, **usage: Any) -> Answer:
    """A final text answer."""
    return Answer(body=completion(content, **usage))


def calls(*requested: tuple[str, dict[str, Any] | str], **usage: Any) -> Answer:
    """Tool calls: (name, arguments) pairs; a str argument is sent as is (e.g. broken JSON)."""
    items = [
        {
            "id": f"call_{index}_{time.monotonic_ns()}",
            "type": "function",
            "function": {
                "name": name,
                "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
            },
        }
        for index, (name, arguments) in enumerate(requested)
    ]
    return Answer(body=completion(None, items, **usage))


def error(status: int, message: str, *, param: str | None = None, **headers: str) -> Answer:
    """An OpenAI-style error answer."""
    body = {"error": {"message": message, "type": "invalid_request_error", "param": param}}
    return Answer(status=status, body=body, headers=dict(headers))


def slow(seconds: float, answer: Answer) -> Answer:
    """`answer`, after a delay."""
    return Answer(answer.status, answer.body, seconds, answer.headers)


def last_tool_results(body: dict[str, Any]) -> list[str]:
    """The tool messages of the latest round, in order."""
    results: list[str] = []
    for message in reversed(body.get("messages", [])):
        if message.get("role") != "tool":
            break
        results.insert(0, str(message.get("content")))
    return results


class FakeOpenAI:
    """The server's script and the requests it received; thread-safe."""

    def __init__(self) -> None:
        self.url = ""
        self._lock = threading.Lock()
        self._steps: list[Step] = []
        self._requests: list[dict[str, Any]] = []
        self.fallback: Answer = text("(no scripted answer left)")

    def script(self, *steps: Step) -> None:
        """Replace the script and forget earlier requests."""
        with self._lock:
            self._steps = list(steps)
            self._requests = []

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Bodies received, in order."""
        with self._lock:
            return list(self._requests)

    def _next(self, body: dict[str, Any]) -> Answer:
        with self._lock:
            self._requests.append(body)
            step = self._steps.pop(0) if self._steps else self.fallback
        return step(body) if callable(step) else step

    async def _completions(self, request: Request) -> Response:
        body = await request.json()
        answer = self._next(body)
        if answer.delay_sec:
            await asyncio.sleep(answer.delay_sec)
        return JSONResponse(answer.body, answer.status, headers=answer.headers)

    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(
            routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])]
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_fake_openai() -> Iterator[FakeOpenAI]:
    """Run a `FakeOpenAI` on a free loopback port in a thread; `url` is its `/v1` base."""
    fake = FakeOpenAI()
    port = _free_port()
    config = uvicorn.Config(
        fake.app(), host="127.0.0.1", port=port, log_config=None, timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake OpenAI server did not start")
        time.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(timeout=10)
