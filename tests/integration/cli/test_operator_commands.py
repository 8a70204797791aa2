"""`artbattle-ops migrate`: applies the track, and bad input ends in one line naming the cause."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from artbattle_ops.db.migrations import SQL_DIR, list_files


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "artbattle_ops", *args],
        env=base | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_applies_every_shipped_file(database_url: str, tmp_path: Path) -> None:
    result = run_cli("migrate", env={"SUPABASE_DB_URL": database_url}, cwd=tmp_path)

    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT filename FROM esbmcp_schema_migrations").fetchall()
    assert result.returncode == 0, result.stderr
    assert sorted(r[0] for r in rows) == [f.name for f in list_files(SQL_DIR)]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "error: SUPABASE_DB_URL is not set"),
        (
            {"SUPABASE_DB_URL": "postgresql://postgres@127.0.0.1:1/postgres"},
            "error: cannot connect to the database",
        ),
        (
            {"SUPABASE_DB_URL": "postgresql://postgres:changeme@db.example/postgres"},
            "error: invalid settings: SUPABASE_DB_URL holds a placeholder password",
        ),
        ({"DB_POOL_MAX_SIZE": "many"}, "error: DB_POOL_MAX_SIZE: "),
    ],
    ids=["no-url", "unreachable", "placeholder", "malformed-setting"],
)
def test_bad_configuration_ends_in_one_line(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = run_cli("migrate", env=env, cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.startswith(expected)
    assert len(result.stderr.strip().splitlines()) == 1


def test_wrong_database_name_is_named_in_the_error(server_url: str, tmp_path: Path) -> None:
    url = psycopg.conninfo.make_conninfo(server_url, dbname="no_such_database_here")

    result = run_cli("migrate", env={"SUPABASE_DB_URL": url}, cwd=tmp_path)

    assert result.returncode == 1
    assert "no_such_database_here" in result.stderr
    assert "Traceback" not in result.stderr
