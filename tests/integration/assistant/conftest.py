"""The assistant core end to end: the real gateway over HTTP on a seeded demo database of its own
(writes enabled, the Edge emulator beside it), the fake OpenAI server over HTTP, and the assistant
built with `open_assistant` on the same database, as in production.

The database is this directory's own (seeded once per test session), so the session and audit
rows the assistant writes never reach the shared read-only `seeded_demo`.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
import uvicorn
from psycopg import sql
from starlette.types import ASGIApp

from artbattle_ops.assistant.contract import Inbound, InteractionType
from artbattle_ops.assistant.service import AssistantService, open_assistant
from artbattle_ops.config.settings import AssistantSettings, EdgeSettings, GatewaySettings, load
from artbattle_ops.demo.edge.app import create_edge_app
from artbattle_ops.demo.edge.tokens import demo_admin_token, service_token
from artbattle_ops.gateway.app import create_app
from tests.conftest import _database_url
from tests.fakes.openai_server import FakeOpenAI, serve_fake_openai, text

TOKEN = "assistant-test-token-61d0a9"
SECRET = "assistant-test-secret-9e27b4"
# The gateway's own role map. UGHOST has a role on the assistant's side only, so the gateway
# lists no tool for it.
GATEWAY_USERS = {
    "UOPS": "ops",
    "UOPS2": "ops",
    "UPROD": "event-producer",
    "UFIN": "finance",
    "UMKT": "marketing",
    "UVIEW": "viewer",
}
ASSISTANT_USERS = GATEWAY_USERS | {"UGHOST": "viewer"}
JWT_SECRET = "assistant-test-jwt-secret-3a8c52-long-enough-for-hs256"
TOKEN_TTL_SEC = 3600


@dataclass(frozen=True)
class Stack:
    """The servers the assistant talks to, and the database they share."""

    db_url: str
    gateway_url: str
    fixtures: dict[str, Any]
    as_of: datetime

    def sql(self, query: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        """Rows of an independent query."""
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(query, params).fetchall()

    def execute(self, statement: str, params: tuple[Any, ...] = ()) -> None:
        """Change the database directly (to arrange a case), committed."""
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            conn.execute(statement, params)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: ASGIApp) -> Iterator[str]:
    """`app` served by uvicorn from a thread on a free loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("a test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def assistant_db(server_url: str) -> Iterator[tuple[str, datetime, dict[str, Any]]]:
    """A migrated database with the demo data, for this directory only."""
    from artbattle_ops.db.migrations import migrate
    from artbattle_ops.demo.generator import generate
    from artbattle_ops.demo.loader import seed_database

    name = f"asst_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = _database_url(server_url, name)
    as_of = datetime.now(UTC).replace(second=0, microsecond=0)
    dataset = generate("demo", 1, as_of)
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
    seed_database(url, dataset)
    yield url, as_of, dataset.fixtures
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def stack(assistant_db: tuple[str, datetime, dict[str, Any]]) -> Iterator[Stack]:
    """The gateway (writes enabled) and the Edge emulator on the directory's database."""
    db_url, as_of, fixtures = assistant_db
    edge_settings = load(
        EdgeSettings, APP_ENV="test", SUPABASE_DB_URL=db_url, SUPABASE_JWT_SECRET=JWT_SECRET
    )
    service = service_token(JWT_SECRET, ttl_sec=TOKEN_TTL_SEC)
    admin = demo_admin_token(db_url, JWT_SECRET, ttl_sec=TOKEN_TTL_SEC)
    with served(create_edge_app(edge_settings)) as edge_url:
        settings = load(
            GatewaySettings,
            APP_ENV="test",
            SUPABASE_DB_URL=db_url,
            MCP_GATEWAY_AUTH_TOKEN=TOKEN,
            MCP_REQUEST_SIGNING_SECRET=SECRET,
            RBAC_USER_MAP_JSON=json.dumps(GATEWAY_USERS),
            ENABLE_MUTATING_TOOLS=True,
            SUPABASE_URL=edge_url,
            SUPABASE_SERVICE_ROLE_KEY=service,
            SUPABASE_EDGE_ADMIN_TOKEN=admin,
            DB_POOL_MAX_SIZE=4,
        )
        with served(create_app(settings)) as gateway_url:
            yield Stack(db_url, f"{gateway_url}/mcp", fixtures, as_of)


@pytest.fixture(scope="session")
def fake_model_server() -> Iterator[FakeOpenAI]:
    """One fake OpenAI server for the test session."""
    with serve_fake_openai() as fake:
        yield fake


@pytest.fixture
def fake_model(fake_model_server: FakeOpenAI) -> FakeOpenAI:
    """The fake server with an empty script, the default fallback and no recorded requests."""
    fake_model_server.script()
    fake_model_server.fallback = text("(no scripted answer left)")
    return fake_model_server


def assistant_settings(stack: Stack, fake: FakeOpenAI, **overrides: Any) -> AssistantSettings:
    """Settings of an assistant wired to the stack and the fake model; `overrides` by env name."""
    return load(AssistantSettings, **(assistant_env(stack, fake) | overrides))


def assistant_env(stack: Stack, fake: FakeOpenAI) -> dict[str, Any]:
    """The environment of `assistant_settings`, by variable name."""
    return {
        "APP_ENV": "test",
        "SUPABASE_DB_URL": stack.db_url,
        "MCP_GATEWAY_URL": stack.gateway_url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET,
        "RBAC_USER_MAP_JSON": json.dumps(ASSISTANT_USERS),
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "sk-fake-model-key-4f1c",
        "OPENAI_MODEL": "gpt-4o-mini",
        "OPENAI_TIMEOUT_MS": 5000,
        "OPENAI_MAX_RETRIES": 2,
        "ENABLE_MUTATING_TOOLS": True,
        "RATE_LIMIT_USER_MAX": 10_000,
        "RATE_LIMIT_CHANNEL_MAX": 10_000,
        "DB_POOL_MAX_SIZE": 4,
        # These tests are about the model path; test_offline_answers turns the router on.
        "OFFLINE_ROUTER_ENABLED": False,
    }


OpenAssistant = Callable[..., Any]


@pytest.fixture
def open_stack_assistant(stack: Stack, fake_model: FakeOpenAI) -> Callable[..., Any]:
    """`async with open_stack_assistant(**env_overrides) as assistant:`."""

    @asynccontextmanager
    async def opened(**overrides: Any) -> AsyncIterator[AssistantService]:
        async with open_assistant(assistant_settings(stack, fake_model, **overrides)) as service:
            yield service

    return opened


def inbound(
    text: str,
    user: str = "UOPS",
    *,
    channel: str | None = None,
    interaction: InteractionType = "app_mention",
    **extra: Any,
) -> Inbound:
    """A request in a channel of its own (so channel counters never mix between tests)."""
    return Inbound(
        text=text,
        slack_user_id=user,
        interaction_type=interaction,
        slack_team_id="T0TEST",
        slack_channel_id=channel or f"C{uuid.uuid4().hex[:10].upper()}",
        slack_username=f"{user.lower()}-name",
        slack_event_id=f"Ev{uuid.uuid4().hex[:12]}",
        **extra,
    )


async def flushed(assistant: AssistantService) -> None:
    """Wait until every queued observability row is written."""
    await assistant.deps.writer.flush()
    assert assistant.deps.writer.stats().queue_depth == 0


def session_row(stack: Stack, session_id: str) -> dict[str, Any]:
    """The `esbmcp_chat_sessions` row of a session, as a dict."""
    with psycopg.connect(stack.db_url) as conn:
        cursor = conn.execute("SELECT * FROM esbmcp_chat_sessions WHERE id = %s", (session_id,))
        names = [column.name for column in cursor.description or []]
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


def audit_rows(stack: Stack, session_id: str, source: str = "slack") -> list[dict[str, Any]]:
    """The session's audit rows from `source`, oldest first."""
    with psycopg.connect(stack.db_url) as conn:
        cursor = conn.execute(
            "SELECT event_type, decision, detail, tool_name, request_id, user_role"
            " FROM esbmcp_audit_log WHERE session_id = %s AND source = %s ORDER BY created_at",
            (session_id, source),
        )
        names = [column.name for column in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def wait_for_rows(
    stack: Stack, query: str, params: tuple[Any, ...], count: int, timeout_sec: float = 10.0
) -> list[Any]:
    """Rows of `query` once there are `count` of them (another process's writer flushes on its
    own schedule); fails after `timeout_sec`."""
    deadline = time.monotonic() + timeout_sec
    while True:
        rows = stack.sql(query, params)
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)
