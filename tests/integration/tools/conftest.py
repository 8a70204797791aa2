"""The real gateway, with the real tool handlers, over the session's seeded demo database.

Tool tests call tools the way the assistant does: a signed MCP client over HTTP, as a Slack user
whose role comes from the gateway's own RBAC map (one user per role below).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
import uvicorn

from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.app import create_app
from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from tests.conftest import SeededDemo

TOKEN = "tools-test-token-2b7e91"
SECRET = b"tools-test-secret-c41d08"
ROLE_USERS = {
    "ops": "UOPS",
    "event-producer": "UPROD",
    "finance": "UFIN",
    "marketing": "UMKT",
    "viewer": "UVIEW",
}


@dataclass
class DemoGateway:
    """Calls tools on a gateway serving the seeded demo data."""

    url: str
    demo: SeededDemo

    def call(self, tool: str, arguments: dict[str, Any], role: str = "ops") -> dict[str, Any]:
        """The envelope of one call made as a user with `role`."""
        caller = CallerMeta(slack_user_id=ROLE_USERS[role])

        async def run() -> dict[str, Any]:
            async with gateway_session(self.url, TOKEN, SECRET) as client:
                await list_tools(client, caller)
                return await call_tool(client, tool, arguments, caller)

        return asyncio.run(run())

    def tools(self, role: str) -> list[str]:
        """Names of the tools listed for `role`."""
        caller = CallerMeta(slack_user_id=ROLE_USERS[role])

        async def run() -> list[str]:
            async with gateway_session(self.url, TOKEN, SECRET) as client:
                return [t.name for t in await list_tools(client, caller)]

        return asyncio.run(run())

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of an independent query on the demo database (for expected values)."""
        with psycopg.connect(self.demo.url) as conn:
            return conn.execute(query, params).fetchall()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def demo_gateway(seeded_demo: SeededDemo) -> Iterator[DemoGateway]:
    """A gateway on the seeded demo database, served from a thread for the whole session."""
    settings = load(
        GatewaySettings,
        APP_ENV="test",
        SUPABASE_DB_URL=seeded_demo.url,
        MCP_GATEWAY_AUTH_TOKEN=TOKEN,
        MCP_REQUEST_SIGNING_SECRET=SECRET.decode(),
        RBAC_USER_MAP_JSON=json.dumps({user: role for role, user in ROLE_USERS.items()}),
        DB_POOL_MAX_SIZE=4,
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the demo gateway did not start")
        time.sleep(0.02)
    yield DemoGateway(f"http://127.0.0.1:{port}/mcp", seeded_demo)
    server.should_exit = True
    thread.join(timeout=30)
