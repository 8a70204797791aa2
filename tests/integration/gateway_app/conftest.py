"""A real gateway served over HTTP on an ephemeral port, with stand-in handlers for two tools.

The handlers stand in for the domain tools (issues 4 and 5): a read tool (`lookup_event`) and a
write tool (`update_artist_name`) over a small table of this test database, so every check of
the pipeline is exercised with the real manifest entries, the real MCP transport, signing,
Postgres state and audit writer.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
import uvicorn

from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.gateway.app import create_app
from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session
from artbattle_ops.tools import registry
from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "test-service-token-4f0c2a9e"
SECRET = b"test-signing-secret-91d3b7"
USERS = {"UOPS": "ops", "UVIEW": "viewer", "UFIN": "finance", "UOPS2": "ops"}
NAMES_TABLE = """
CREATE TABLE test_names (id uuid PRIMARY KEY, name text NOT NULL);
INSERT INTO test_names VALUES ('11111111-1111-4111-8111-111111111111', 'Jane Roe');
"""


async def fake_lookup_event(call: ToolCall) -> dict[str, Any]:
    eid = call.arguments.get("eid")
    if eid == "AB9999":
        raise NotFoundError(f"No event found with eid {eid}.", argument="eid")
    if eid == "AB6666":
        await call.db.fetch_all("SELECT * FROM no_such_table_here")
    if eid == "AB5555":
        await call.db.fetch_all("SELECT pg_sleep(5)")
    rows = await call.db.fetch_all("SELECT %s::text AS eid", (eid or "AB4001",))
    return {"events": {"items": rows, "count": len(rows), "total": len(rows), "truncated": False}}


class FakeRename:
    """A write over `test_names`, following the two-step protocol."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        row = await call.db.fetch_one(
            "SELECT id::text AS id, name FROM test_names WHERE id = %s",
            (call.arguments["artist_profile_id"],),
        )
        if row is None:
            raise NotFoundError("No artist profile with that id.", argument="artist_profile_id")
        new_name = call.arguments["new_name"]
        if row["name"] == new_name:
            return Unchanged({"artist_profile_id": row["id"], "name": new_name})
        return WritePreview(
            summary=f"Rename {row['name']} to {new_name}.",
            target={"artist_profile_id": row["id"]},
            before={"name": row["name"]},
            after={"name": new_name},
            effects=["Updates test_names.name."],
            idempotency_key=f"rename:{row['id']}:{new_name}",
        )

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        changed = await call.db.execute(
            "UPDATE test_names SET name = %s WHERE id = %s AND name = %s",
            (preview.after["name"], preview.target["artist_profile_id"], preview.before["name"]),
        )
        return {"changed": changed == 1, "before": preview.before, "after": preview.after}


@pytest.fixture
def migrated_url(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
        conn.execute(NAMES_TABLE)
    return database_url


@pytest.fixture
def stand_in_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the two stand-ins are registered while the test runs (real ones are restored)."""
    for name in list(registry.READ_HANDLERS):
        monkeypatch.delitem(registry.READ_HANDLERS, name)
    for name in list(registry.WRITE_HANDLERS):
        monkeypatch.delitem(registry.WRITE_HANDLERS, name)
    monkeypatch.setitem(registry.READ_HANDLERS, "lookup_event", fake_lookup_event)
    monkeypatch.setitem(registry.WRITE_HANDLERS, "update_artist_name", FakeRename())
    monkeypatch.setattr(registry, "load_handlers", registry.registered_tools)
    monkeypatch.setattr("artbattle_ops.gateway.app.load_handlers", registry.registered_tools)


def gateway_settings(url: str, **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {
        "APP_ENV": "test",
        "SUPABASE_DB_URL": url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET.decode(),
        "RBAC_USER_MAP_JSON": json.dumps(USERS),
        "OPEN_VIEWER_CHANNELS": "COPEN",
        "ENABLE_MUTATING_TOOLS": True,
        "DB_POOL_MAX_SIZE": 4,
        "TOOL_STATEMENT_TIMEOUT_MS": 8000,
    }
    return load(GatewaySettings, **(values | overrides))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def serve_asgi(app: Any) -> AsyncIterator[str]:
    """Serve an ASGI app on an ephemeral port until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 20
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=20)


@asynccontextmanager
async def serve(settings: GatewaySettings) -> AsyncIterator[str]:
    """Run the gateway app on an ephemeral port; yields its /mcp URL."""
    async with serve_asgi(create_app(settings)) as base:
        yield f"{base}/mcp"


@dataclass
class Harness:
    """A running gateway and helpers to call it and read what it recorded."""

    url: str
    db_url: str

    async def call(
        self, tool: str, arguments: dict[str, Any], user: str | None = "UOPS", **meta: Any
    ) -> dict[str, Any]:
        caller = CallerMeta(slack_user_id=user or "", **meta)
        async with gateway_session(self.url, TOKEN, SECRET) as client:
            return await call_tool(client, tool, arguments, caller)

    def rows(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()

    async def wait_rows(
        self, query: str, params: tuple[Any, ...] = (), *, at_least: int = 1
    ) -> list[tuple[Any, ...]]:
        """Poll until the writer has flushed (bounded: 10 s)."""
        deadline = time.monotonic() + 10
        while True:
            rows = self.rows(query, params)
            if len(rows) >= at_least or time.monotonic() > deadline:
                return rows
            await asyncio.sleep(0.1)


@pytest.fixture
async def gateway(migrated_url: str, stand_in_handlers: None) -> AsyncIterator[Harness]:
    async with serve(gateway_settings(migrated_url)) as url:
        yield Harness(url, migrated_url)


def request_id() -> str:
    return uuid.uuid4().hex


# A gateway in its own process, with the same stand-in handlers, for the replica tests.
PROCESS_SERVER = """
import sys, uvicorn
from artbattle_ops.cli.gateway import server_config
from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.app import create_app
from artbattle_ops.tools import registry
from tests.integration.gateway_app.conftest import FakeRename, fake_lookup_event

import artbattle_ops.gateway.app as gateway_app

registry.load_handlers()  # import the real domain modules first, then keep only the stand-ins
registry.READ_HANDLERS.clear()
registry.WRITE_HANDLERS.clear()
registry.READ_HANDLERS["lookup_event"] = fake_lookup_event
registry.WRITE_HANDLERS["update_artist_name"] = FakeRename()
gateway_app.load_handlers = registry.registered_tools
app = create_app(load(GatewaySettings))
uvicorn.Server(server_config(app, "127.0.0.1", int(sys.argv[1]))).run()
"""


@dataclass
class GatewayProcess:
    """A gateway running in its own process."""

    url: str
    process: asyncio.subprocess.Process


@asynccontextmanager
async def serve_process(settings_env: dict[str, str]) -> AsyncIterator[str]:
    """Run a gateway in a separate process; yields its /mcp URL once /readyz answers."""
    async with gateway_process(settings_env) as gateway:
        yield gateway.url


@asynccontextmanager
async def gateway_process(settings_env: dict[str, str]) -> AsyncIterator[GatewayProcess]:
    """Run a gateway in a separate process until the block ends (or the test stops it)."""
    port = free_port()
    env = {**os.environ, **settings_env, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PROCESS_SERVER, str(port), env=env, cwd=str(ROOT)
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        async with httpx2.AsyncClient() as http:
            while True:
                try:
                    if (await http.get(f"{base}/readyz")).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                if process.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError("gateway process did not become ready")
                await asyncio.sleep(0.1)
        yield GatewayProcess(f"{base}/mcp", process)
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), timeout=30)


def process_env(url: str) -> dict[str, str]:
    """The environment of `gateway_settings(url)` for a gateway process."""
    return {
        "APP_ENV": "test",
        "SUPABASE_DB_URL": url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET.decode(),
        "RBAC_USER_MAP_JSON": json.dumps(USERS),
        "ENABLE_MUTATING_TOOLS": "true",
        "LOG_LEVEL": "WARNING",
    }
