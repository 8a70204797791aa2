"""Every SQL statement of docs/runbook.md runs against a freshly migrated database."""

from __future__ import annotations

import re

import psycopg
import pytest

from artbattle_ops.db.migrations import migrate
from tests.deploy.conftest import ROOT

RUNBOOK = ROOT / "docs" / "runbook.md"
SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.MULTILINE | re.DOTALL)


def runbook_statements() -> list[str]:
    """Each statement of each ```sql block, split on the semicolons that end a line."""
    blocks = SQL_BLOCK.findall(RUNBOOK.read_text(encoding="utf-8"))
    return [
        s.strip() for block in blocks for s in re.split(r";\s*$", block, flags=re.M) if s.strip()
    ]


def test_the_runbook_has_sql_to_check() -> None:
    assert len(runbook_statements()) >= 20


@pytest.fixture
def migrated(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
    return database_url


def test_every_runbook_statement_runs_on_a_migrated_database(migrated: str) -> None:
    failures = []
    with psycopg.connect(migrated) as conn:
        for statement in runbook_statements():
            try:
                conn.execute(statement)
            except psycopg.Error as exc:
                failures.append(f"{statement.splitlines()[0]} ... -> {exc.sqlstate}: {exc}")
            conn.rollback()

    assert failures == []
