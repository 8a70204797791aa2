"""The write tools end to end: a gateway with the mutating gate open, the Edge Function emulator,
and a database of their own.

The session's `seeded_demo` is shared and read-only, so writes run on a copy: one demo database is
seeded once as a template (nobody connects to it afterwards), and each test module gets a fresh
`CREATE DATABASE … TEMPLATE` clone, with its own emulator and gateway in front of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
import uvicorn
from psycopg import sql
from starlette.types import ASGIApp

from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.app import create_app
from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session
from tests.conftest import _database_url

TOKEN = "writes-test-token-8f2a61"
SECRET = b"writes-test-secret-5d90c3"
JWT_SECRET = "writes-test-jwt-secret-0b7e44-long-enough-for-hs256"
SERVICE_ROLE_KEY_TTL_SEC = 3600
# One user per role, and a second ops user to confirm someone else's pending write.
USERS = {
    "UOPS": "ops",
    "UOPS2": "ops",
    "UPROD": "event-producer",
    "UFIN": "finance",
    "UMKT": "marketing",
    "UVIEW": "viewer",
}
ROLE_USER = {"ops": "UOPS", "event-producer": "UPROD", "finance": "UFIN"} | {
    "marketing": "UMKT",
    "viewer": "UVIEW",
}


@dataclass(frozen=True)
class DemoTemplate:
    """A seeded demo database used only as a template for clones."""

    server_url: str
    name: str
    as_of: datetime
    fixtures: dict[str, Any]


@dataclass
class WriteStack:
    """A gateway with writes enabled, the emulator, and the database they share."""

    url: str
    gated_url: str
    db_url: str
    edge_url: str | None
    fixtures: dict[str, Any]
    as_of: datetime

    def call(
        self,
        tool: str,
        arguments: dict[str, Any],
        *,
        user: str = "UOPS",
        confirmation_id: str | None = None,
        gated: bool = False,
    ) -> dict[str, Any]:
        """The envelope of one call made by Slack user `user`; `gated` sends it to a second
        gateway on the same database whose mutating gate is closed (the default policy)."""
        caller = CallerMeta(slack_user_id=user, confirmation_id=confirmation_id)
        url = self.gated_url if gated else self.url

        async def run() -> dict[str, Any]:
            async with gateway_session(url, TOKEN, SECRET) as client:
                return await call_tool(client, tool, arguments, caller)

        return asyncio.run(run())

    def confirm(
        self, tool: str, arguments: dict[str, Any], *, user: str = "UOPS"
    ) -> dict[str, Any]:
        """Preview, then confirm as the same user; the envelope of the confirmed call."""
        preview = self.call(tool, arguments, user=user)
        error = preview.get("error") or {}
        assert error.get("code") == "confirmation_required", preview
        return self.call(tool, arguments, user=user, confirmation_id=error["confirmation_id"])

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of an independent query on this stack's database."""
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> None:
        """Change the database directly (to arrange a case), committed."""
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            conn.execute(statement, params)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _url(server_url: str, name: str) -> str:
    return _database_url(server_url, name)


@pytest.fixture(scope="session")
def demo_template(server_url: str) -> Iterator[DemoTemplate]:
    """The demo data seeded once into a database that only serves as a template."""
    from artbattle_ops.db.migrations import migrate
    from artbattle_ops.demo.generator import generate
    from artbattle_ops.demo.loader import seed_database

    name = f"wtpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = _url(server_url, name)
    as_of = datetime.now(UTC).replace(second=0, microsecond=0)
    dataset = generate("demo", 1, as_of)
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
    seed_database(url, dataset)
    yield DemoTemplate(server_url, name, as_of, dataset.fixtures)
    _drop(server_url, name)


def _drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def clone_database(template: DemoTemplate) -> str:
    """A new database copied from the template; returns its name."""
    name = f"wdb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(template.server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template.name)
            )
        )
    return name


class _Served:
    """An ASGI app served by uvicorn from a thread."""

    def __init__(self, app: ASGIApp) -> None:
        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("a test server did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def _edge_credentials(db_url: str) -> tuple[ASGIApp, str, str]:
    """The emulator app and the two tokens the gateway sends it (service key, admin token)."""
    from artbattle_ops.config.settings import EdgeSettings
    from artbattle_ops.demo.edge.app import create_edge_app
    from artbattle_ops.demo.edge.tokens import demo_admin_token, service_token

    settings = load(
        EdgeSettings, APP_ENV="test", SUPABASE_DB_URL=db_url, SUPABASE_JWT_SECRET=JWT_SECRET
    )
    service = service_token(JWT_SECRET, ttl_sec=SERVICE_ROLE_KEY_TTL_SEC)
    admin = demo_admin_token(db_url, JWT_SECRET, ttl_sec=SERVICE_ROLE_KEY_TTL_SEC)
    return create_edge_app(settings), service, admin


@pytest.fixture(scope="module")
def write_stack(demo_template: DemoTemplate) -> Iterator[WriteStack]:
    """A fresh clone of the demo data with the emulator and a write-enabled gateway on it."""
    name = clone_database(demo_template)
    db_url = _url(demo_template.server_url, name)
    edge_app, service, admin = _edge_credentials(db_url)
    with _Served(edge_app) as edge_url:
        settings = load(
            GatewaySettings,
            APP_ENV="test",
            SUPABASE_DB_URL=db_url,
            MCP_GATEWAY_AUTH_TOKEN=TOKEN,
            MCP_REQUEST_SIGNING_SECRET=SECRET.decode(),
            RBAC_USER_MAP_JSON=json.dumps(USERS),
            ENABLE_MUTATING_TOOLS=True,
            SUPABASE_URL=edge_url,
            SUPABASE_SERVICE_ROLE_KEY=service,
            SUPABASE_EDGE_ADMIN_TOKEN=admin,
            DB_POOL_MAX_SIZE=4,
        )
        gated = settings.model_copy(update={"enable_mutating_tools": False})
        with _Served(create_app(settings)) as gateway_url, _Served(create_app(gated)) as gated_url:
            yield WriteStack(
                f"{gateway_url}/mcp",
                f"{gated_url}/mcp",
                db_url,
                edge_url,
                demo_template.fixtures,
                demo_template.as_of,
            )
    _drop(demo_template.server_url, name)


def profile_edit_key(tool: str, profile_id: str, value: str, updated_at: datetime) -> str:
    """The ledger key of a profile edit previewed at `updated_at` (written out independently)."""
    fields = (tool, profile_id, value, updated_at.astimezone(UTC).isoformat())
    return hashlib.sha256("|".join(fields).encode()).hexdigest()


def updated_at_of(stack: WriteStack, profile_id: str) -> datetime:
    """The profile's `updated_at` now: the version a preview taken now is keyed by."""
    [(updated_at,)] = stack.sql(
        "SELECT updated_at FROM artist_profiles WHERE id = %s", (profile_id,)
    )
    assert isinstance(updated_at, datetime)
    return updated_at
