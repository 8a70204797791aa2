"""A fake Slack Socket Mode endpoint: a real WebSocket server (aiohttp in a thread) that greets a
client with `hello`, sends it envelopes, and records the acknowledgements it sends back.

`FakeSlack` hands out its URL from `apps.connections.open` once `state.socket_url` is set,
so the Socket Mode client of the SDK finds it exactly as it finds Slack's.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.slack_server import free_port, wait_until


class FakeSocketMode:
    """The server; use as a context manager (`with FakeSocketMode() as sockets:`)."""

    def __init__(self) -> None:
        self.url = ""
        self.acks: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._clients: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        port = free_port()
        asyncio.run_coroutine_threadsafe(self._start(port), self._loop).result(timeout=10)
        self.url = f"ws://127.0.0.1:{port}/link"
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def wait_connected(self, timeout_sec: float = 10.0) -> None:
        """Wait (bounded) until a client holds a connection."""
        wait_until(lambda: bool(self._clients), "a Socket Mode client", timeout_sec)

    def send_events_api(self, body: dict[str, Any]) -> str:
        """Send an Events API payload the way Slack does over a socket; its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": "events_api",
            "payload": body,
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        future = asyncio.run_coroutine_threadsafe(self._send(envelope), self._loop)
        future.result(timeout=10)
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout_sec: float = 10.0) -> dict[str, Any]:
        """The acknowledgement the client sent for `envelope_id`, once it arrived (bounded)."""
        wait_until(lambda: self._ack(envelope_id) is not None, f"ack of {envelope_id}", timeout_sec)
        ack = self._ack(envelope_id)
        assert ack is not None
        return ack

    def _ack(self, envelope_id: str) -> dict[str, Any] | None:
        with self._lock:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

    async def _start(self, port: int) -> None:
        app = web.Application()
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()

    async def _stop(self) -> None:
        for client in list(self._clients):
            await client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send(self, envelope: dict[str, Any]) -> None:
        await self._clients[-1].send_str(json.dumps(envelope))

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
        await ws.send_str(json.dumps(hello))
        self._clients.append(ws)
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    with self._lock:
                        self.acks.append(json.loads(message.data))
        finally:
            self._clients.remove(ws)
        return ws
