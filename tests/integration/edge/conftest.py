"""The edge emulator over real HTTP, on its own seeded copy of the demo database.

The shared `seeded_demo` database is read-only, so this folder seeds its own (the emulator
writes) and drops it at the end of the session. Emulators with other settings (test hook off,
auto-complete on, a short statement timeout) serve the same database.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2
import psycopg
import pytest
import uvicorn
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from artbattle_ops.config.settings import EdgeSettings, load
from artbattle_ops.demo.edge.app import create_edge_app
from artbattle_ops.demo.edge.tokens import demo_admin_token, mint_token, service_token

JWT_SECRET = "edge-test-jwt-secret-5f1a9c0b"
ADMIN_EMAIL = "ops-assistant@artbattle.example"
# `Edge.post(token=AS_ADMIN)`: send the demo admin's token (the default).
AS_ADMIN = "<demo admin token>"
# Tables the three functions write; a refusal must leave every one unchanged.
WRITTEN_TABLES = (
    "artist_invitations",
    "email_logs",
    "artist_payments",
    "system_logs",
    "sms_outbound",
    "payment_reminders",
)


@dataclass
class Edge:
    """An emulator's base URL, the database it serves and tokens for it."""

    url: str
    db_url: str
    admin_token: str

    def post(
        self,
        function: str,
        body: Any = None,
        *,
        token: str | None = AS_ADMIN,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx2.Response:
        """POST `body` as JSON (or raw `content`) with the admin token unless told otherwise."""
        sent = dict(headers or {})
        bearer = self.admin_token if token == AS_ADMIN else token
        if bearer is not None:
            sent["Authorization"] = f"Bearer {bearer}"
        if content is None:
            content = b"{}" if body is None else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
        with httpx2.Client(timeout=30) as client:
            return client.post(f"{self.url}/functions/v1/{function}", content=content, headers=sent)

    def rows(self, query: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of an independent query on the emulator's database."""
        with psycopg.connect(self.db_url) as conn:
            return conn.cursor(row_factory=dict_row).execute(query, params).fetchall()

    def row(self, query: str, params: tuple[Any, ...] = ()) -> dict[str, Any]:
        """The one row an independent query must return."""
        rows = self.rows(query, params)
        assert rows, f"no row for {query!r}"
        return rows[0]

    def counts(self) -> dict[str, int]:
        """Row counts of every table the functions write."""
        counts: dict[str, int] = {}
        with psycopg.connect(self.db_url) as conn:
            for table in WRITTEN_TABLES:
                query = sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table))
                found = conn.execute(query).fetchone()
                counts[table] = 0 if found is None else int(found[0])
        return counts


def user_token(claims: dict[str, Any], *, ttl_sec: int = 600) -> str:
    """A user token signed with the test secret."""
    return mint_token(JWT_SECRET, {"role": "authenticated", **claims}, ttl_sec=ttl_sec)


def admin_token_for(edge: Edge, email: str) -> str:
    """A user token for the demo admin `email` (whatever its level or state)."""
    row = edge.row("SELECT user_id, email FROM public.abhq_admin_users WHERE email = %s", (email,))
    return user_token({"sub": str(row["user_id"]), "email": row["email"]})


def service() -> str:
    """A service-role token signed with the test secret."""
    return service_token(JWT_SECRET, 600)


def _database_url(server_url: str, name: str) -> str:
    params = conninfo_to_dict(server_url)
    params["dbname"] = name
    return make_conninfo(**params)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def edge_db(server_url: str) -> Iterator[str]:
    """A fresh database with the demo data (seed 1, as_of now), dropped at the end."""
    from artbattle_ops.db.migrations import migrate
    from artbattle_ops.demo.generator import generate
    from artbattle_ops.demo.loader import seed_database

    name = f"edge_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = _database_url(server_url, name)
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
    seed_database(url, generate("demo", 1, datetime.now(UTC).replace(second=0, microsecond=0)))
    yield url
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db_url: str, **overrides: Any) -> Iterator[Edge]:
    """An emulator on `db_url`, served from a thread until the block ends."""
    settings = load(
        EdgeSettings,
        **{
            "APP_ENV": "test",
            "SUPABASE_DB_URL": db_url,
            "SUPABASE_JWT_SECRET": JWT_SECRET,
            "DB_POOL_MAX_SIZE": 4,
            **overrides,
        },
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_edge_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the edge emulator did not start")
        time.sleep(0.02)
    try:
        yield Edge(f"http://127.0.0.1:{port}", db_url, demo_admin_token(db_url, JWT_SECRET, 600))
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def edge(edge_db: str) -> Iterator[Edge]:
    """The emulator in test mode with default settings."""
    with serving(edge_db) as running:
        yield running


@pytest.fixture
def unchanged(edge: Edge) -> Iterator[None]:
    """Asserts after the test that no table the functions write gained or lost a row."""
    before = edge.counts()
    yield
    assert edge.counts() == before
