"""Shared fixtures: a real PostgreSQL server and a fresh database per test that asks for one.

The server is the one at `TEST_DATABASE_URL` when that is set (CI runs the suite once against
PostgreSQL 15 this way), otherwise an embedded PostgreSQL 16 started for the test session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from artbattle_ops.db.embedded import EmbeddedPostgres

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """Admin URL of the test server (database `postgres`).

    The embedded server's data lives in its own temporary folder, not under pytest's rotating
    base folder, which another pytest run on the same machine may delete while this one runs.
    """
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    folder = Path(tempfile.mkdtemp(prefix="artbattle-test-pg-"))
    server = EmbeddedPostgres(folder / "data")
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def server_version(server_url: str) -> int:
    """`server_version_num` of the test server, e.g. 150010."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0])


def _database_url(server_url: str, name: str) -> str:
    params = conninfo_to_dict(server_url)
    params["dbname"] = name
    return make_conninfo(**params)  # type: ignore[arg-type]


@pytest.fixture
def database_url(server_url: str) -> Iterator[str]:
    """URL of a new, empty database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    yield _database_url(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def psql_path() -> str:
    """A psql client: the system one, else the one shipped with the embedded server."""
    found = shutil.which("psql")
    if found:
        return found
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "psql"
    if not bundled.exists():
        pytest.skip("no psql client: install postgresql-client")
    return str(bundled)


@dataclass(frozen=True)
class SeededDemo:
    """A database holding the demo data, and what the generator said it created."""

    url: str
    as_of: datetime
    fixtures: dict[str, Any]
    summary: dict[str, Any]
    row_counts: dict[str, int]


@pytest.fixture(scope="session")
def seeded_demo(server_url: str) -> Iterator[SeededDemo]:
    """One demo-scale database per test session (seed 1, as_of now to the minute); read only."""
    from artbattle_ops.db.migrations import migrate
    from artbattle_ops.demo.generator import generate
    from artbattle_ops.demo.loader import seed_database

    name = f"demo_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = _database_url(server_url, name)
    as_of = datetime.now(UTC).replace(second=0, microsecond=0)
    dataset = generate("demo", 1, as_of)
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
    seed_database(url, dataset)
    yield SeededDemo(url, as_of, dataset.fixtures, dataset.summary, dataset.row_counts())
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
