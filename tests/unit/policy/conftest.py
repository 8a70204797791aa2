"""A fake role directory served over real HTTP on an ephemeral port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

STOP_TIMEOUT_SEC = 10


@dataclass
class FakeDirectory:
    """Answers `GET /roles?user_id=`: a role, 404 for unknown users, or a forced status."""

    url: str = ""
    roles: dict[str, str | None] = field(default_factory=dict)
    status: int | None = None
    hang: bool = False
    requests: list[tuple[str, str]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def answer(self, request: Request) -> Response:
        user_id = request.query_params.get("user_id", "")
        self.requests.append((user_id, request.headers.get("authorization", "")))
        if self.hang:
            await self.release.wait()
        if self.status is not None:
            return JSONResponse({"error": "forced"}, status_code=self.status)
        if user_id not in self.roles:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"role": self.roles[user_id]})


@pytest.fixture
async def directory() -> AsyncIterator[FakeDirectory]:
    """A running fake directory; its `url` is the full endpoint."""
    fake = FakeDirectory()
    app = Starlette(routes=[Route("/roles", fake.answer)])
    # Bound before serving, so the port is known and early connections wait in the backlog.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    fake.url = f"http://127.0.0.1:{sock.getsockname()[1]}/roles"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))

    yield fake

    fake.release.set()
    server.should_exit = True
    await asyncio.wait_for(task, STOP_TIMEOUT_SEC)
    sock.close()
