"""Fixtures for the esbmcp_ migration tests: migrated databases, extra databases, Supabase roles
and a row factory that fills the NOT NULL columns the test does not care about."""

from __future__ import annotations

import contextlib
import subprocess
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
MIGRATIONS = (
    SQL_DIR / "001_create_esbmcp_tables.sql",
    SQL_DIR / "002_create_esbmcp_views.sql",
)
SUPABASE_ROLES = ("anon", "authenticated")
PSQL_TIMEOUT_SEC = 120

_REQUIRED: dict[str, dict[str, Any]] = {
    "esbmcp_chat_sessions": {
        "request_id": "0" * 32,
        "slack_user_id": "U000",
        "user_prompt": "how did AB4001 go?",
        "service_version": "test",
    },
    "esbmcp_tool_executions": {
        "request_id": "0" * 32,
        "slack_user_id": "U000",
        "user_role": "ops",
        "tool_name": "lookup_event",
        "domain": "data-read",
        "risk_level": "read",
        "arguments_hash": "k1:00",
        "duration_ms": 5,
        "service_version": "test",
    },
    "esbmcp_tool_errors": {
        "request_id": "0" * 32,
        "slack_user_id": "U000",
        "user_role": "ops",
        "tool_name": "lookup_event",
        "domain": "data-read",
        "arguments_hash": "k1:00",
        "error_type": "sql_error",
        "error_code": "42703",
        "error_message": "column x does not exist",
        "error_pattern": "column x does not exist",
        "service_version": "test",
    },
    "esbmcp_audit_log": {
        "source": "gateway",
        "event_type": "role_denied",
        "decision": "deny",
        "service_version": "test",
    },
    "esbmcp_feedback": {
        "slack_user_id": "U000",
        "rating": -1,
        "slack_message_ts": "1700000000.000100",
    },
}
_FAILED_EXECUTION = {
    "result_code": "internal_error",
    "error_type": "sql_error",
    "error_code": "42703",
    "error_message": "column x does not exist",
}

InsertRow = Callable[..., uuid.UUID]


RunPsql = Callable[[str, Path, bool], None]


def _apply_migrations(url: str) -> None:
    with psycopg.connect(url) as conn:
        for path in MIGRATIONS:
            conn.execute(path.read_bytes())
            conn.commit()


@pytest.fixture(scope="session")
def migrations() -> tuple[Path, ...]:
    """The esbmcp_ track's files, in order: 001 then 002."""
    return MIGRATIONS


@pytest.fixture(scope="session")
def apply_migrations() -> Callable[[str], None]:
    """Apply 001 and 002 the way the runner does: each file as one script in one transaction."""
    return _apply_migrations


@pytest.fixture(scope="session")
def run_psql(psql_path: str) -> RunPsql:
    """Run one file with psql, stopping at its first error (`single_transaction` as asked)."""

    def run(url: str, path: Path, single_transaction: bool) -> None:
        command = [psql_path, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(path)]
        if single_transaction:
            command.insert(1, "--single-transaction")
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PSQL_TIMEOUT_SEC, check=False
        )
        assert done.returncode == 0, f"psql failed on {path.name}: {done.stderr}"

    return run


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """A new database holding 001 and 002."""
    _apply_migrations(database_url)
    return database_url


@pytest.fixture
def db(migrated_url: str) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """An autocommit connection, as the database owner, to a migrated database."""
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def insert_row(db: psycopg.Connection[tuple[Any, ...]]) -> InsertRow:
    """Insert one row into an esbmcp_ record table and return its id.

    Columns not given get harmless values; a failed execution gets a consistent error outcome,
    and queued_at and started_at follow created_at.
    """

    def insert(table: str, **values: Any) -> uuid.UUID:
        row = {**_REQUIRED.get(table, {}), **values}
        if table == "esbmcp_tool_executions":
            at = row.get("created_at", datetime.now(UTC))
            row.setdefault("queued_at", at)
            row.setdefault("started_at", at)
            if row.get("ok") is False:
                row = {**_FAILED_EXECUTION, **row}
        params = [Jsonb(v) if isinstance(v, dict | list) else v for v in row.values()]
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
            sql.Identifier("public", table),
            sql.SQL(", ").join(sql.Identifier(column) for column in row),
            sql.SQL(", ").join(sql.Placeholder() * len(row)),
        )
        returned = db.execute(query, params).fetchone()
        assert returned is not None
        return uuid.UUID(str(returned[0]))

    return insert


@pytest.fixture
def make_database(server_url: str) -> Iterator[Callable[[], str]]:
    """Create further empty databases on the test server; all are dropped after the test."""
    names: list[str] = []

    def create() -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        names.append(name)
        params = conninfo_to_dict(server_url)
        params["dbname"] = name
        return make_conninfo(**params)  # type: ignore[arg-type]

    yield create
    with psycopg.connect(server_url, autocommit=True) as conn:
        for name in names:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def supabase_roles(server_url: str) -> tuple[str, ...]:
    """Supabase's `anon` and `authenticated`, created in the cluster when missing.

    Roles are cluster-wide and other test runs may create them at the same moment, so a
    concurrent creation is tolerated.
    """
    with psycopg.connect(server_url, autocommit=True) as conn:
        for role in SUPABASE_ROLES:
            found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if found is not None:
                continue
            with contextlib.suppress(errors.DuplicateObject, errors.UniqueViolation):
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    return SUPABASE_ROLES
