"""`artbattle-ops report`, `cleanup` and `errors resolve` against a migrated database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from artbattle_ops.cli import main
from artbattle_ops.db.migrations import migrate

NOW = datetime.now(UTC)


@dataclass
class Store:
    """Inserts observability rows of a given age into the test database."""

    conn: psycopg.Connection

    def session(
        self, user: str, *, age: timedelta = timedelta(0), status: str = "completed"
    ) -> str:
        error = None if status == "completed" else "boom"
        row = self.conn.execute(
            "INSERT INTO esbmcp_chat_sessions (request_id, slack_user_id, user_prompt, status,"
            " error_message, total_tokens, service_version, created_at)"
            " VALUES ('r', %s, 'how many tickets?', %s, %s, 10, 't', %s) RETURNING id",
            (user, status, error, NOW - age),
        ).fetchone()
        assert row is not None
        return str(row[0])

    def execution(self, tool: str, user: str, *, ok: bool = True) -> str:
        failure = (None, None, None) if ok else ("internal_error", "sql_error", "x")
        row = self.conn.execute(
            "INSERT INTO esbmcp_tool_executions (request_id, slack_user_id, user_role, tool_name,"
            " domain, risk_level, arguments_hash, ok, result_code, error_type, error_message,"
            " queued_at, started_at, duration_ms, service_version)"
            " VALUES ('r', %s, 'ops', %s, 'data_read', 'read', 'k1:h', %s, %s, %s, %s,"
            " now(), now(), 10, 't') RETURNING id",
            (user, tool, ok, *failure),
        ).fetchone()
        assert row is not None
        return str(row[0])

    def error(self, tool: str, pattern: str, *, age: timedelta = timedelta(0)) -> str:
        row = self.conn.execute(
            "INSERT INTO esbmcp_tool_errors (execution_id, request_id, slack_user_id, user_role,"
            " tool_name, domain, arguments_hash, error_type, error_code, error_message,"
            " error_pattern, service_version, created_at)"
            " VALUES (gen_random_uuid(), 'r', 'U1', 'ops', %s, 'data_read', 'k1:h', 'sql_error',"
            " '42703', %s, %s, 't', %s) RETURNING id",
            (tool, pattern, pattern, NOW - age),
        ).fetchone()
        assert row is not None
        return str(row[0])

    def denial(self, event_type: str, reason: str, user: str) -> None:
        self.conn.execute(
            "INSERT INTO esbmcp_audit_log (source, event_type, decision, slack_user_id, detail,"
            " service_version) VALUES ('gateway', %s, 'deny', %s, %s, 't')",
            (event_type, user, Jsonb({"reason": reason})),
        )

    def feedback(self, session_id: str, rating: int, reaction: str) -> None:
        self.conn.execute(
            "INSERT INTO esbmcp_feedback (session_id, slack_user_id, rating, reaction,"
            " slack_message_ts) VALUES (%s, 'U9', %s, %s, '1.2')",
            (session_id, rating, reaction),
        )

    def resolved_ids(self) -> set[str]:
        rows = self.conn.execute("SELECT id FROM esbmcp_tool_errors WHERE resolved").fetchall()
        return {str(r[0]) for r in rows}


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Store]:
    """A migrated database that the commands reach through SUPABASE_DB_URL."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUPABASE_DB_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
        yield Store(conn)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert status == 0
    return json.loads(out)


def test_tool_usage_counts_calls_and_failures_per_tool(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    for user in ("U1", "U2", "U1"):
        store.execution("lookup_event", user)
    store.execution("lookup_event", "U3", ok=False)
    store.execution("list_events", "U1")

    rows = run_json(capsys, "report", "tool-usage", "--days", "1")

    summary = {
        r["tool_name"]: (r["total_calls"], r["failed_calls"], r["unique_users"]) for r in rows
    }
    assert summary == {"lookup_event": (4, 1, 3), "list_events": (1, 0, 1)}


def test_daily_volume_keeps_only_days_inside_the_window(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.session("U1")
    store.session("U2", status="error")
    store.session("U1", age=timedelta(days=3))

    rows = run_json(capsys, "report", "daily-volume", "--days", "1")

    today = datetime.now(UTC).date().isoformat()
    assert [(r["day"], r["total_sessions"], r["errors"]) for r in rows] == [(today, 2, 1)]


def test_top_users_are_ordered_by_sessions(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    for user in ("U2", "U1", "U2", "U2", "U1", "U3"):
        store.session(user)

    rows = run_json(capsys, "report", "top-users", "--limit", "2")

    assert [(r["slack_user_id"], r["total_sessions"]) for r in rows] == [("U2", 3), ("U1", 2)]


def test_errors_report_groups_unresolved_errors_by_pattern_with_the_latest_id(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.error("lookup_event", "column <value> does not exist", age=timedelta(hours=2))
    latest = store.error("lookup_event", "column <value> does not exist", age=timedelta(hours=1))
    store.error("list_events", "timeout")

    rows = run_json(capsys, "report", "errors")

    grouped = {r["error_pattern"]: (r["occurrences"], r["latest_error_id"]) for r in rows}
    assert grouped["column <value> does not exist"] == (2, latest)
    assert grouped["timeout"][0] == 1


def test_denials_are_counted_per_event_type_and_reason(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.denial("role_denied", "role_not_allowed", "U1")
    store.denial("role_denied", "role_not_allowed", "U2")
    store.denial("rate_limit_exceeded", "user_rate_limit_exceeded", "U1")

    rows = run_json(capsys, "report", "denials")

    counts = {(r["event_type"], r["reason"]): (r["denials"], r["users"]) for r in rows}
    assert counts == {
        ("role_denied", "role_not_allowed"): (2, 2),
        ("rate_limit_exceeded", "user_rate_limit_exceeded"): (1, 1),
    }


def test_feedback_report_lists_only_negative_ratings(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    session = store.session("U1")
    store.feedback(session, -1, "thumbsdown")
    store.feedback(session, 1, "thumbsup")

    rows = run_json(capsys, "report", "feedback")

    assert [(r["session_id"], r["reaction"]) for r in rows] == [(session, "thumbsdown")]


def test_report_without_json_prints_a_titled_table(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.execution("lookup_event", "U1")

    status = main(["report", "tool-usage", "--days", "2"])

    out = capsys.readouterr().out
    assert status == 0
    assert "tool-usage, last 2 day(s)" in out
    assert "lookup_event" in out


def test_a_piped_report_table_shows_every_value_whole(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    tools = ["get_artist_payment_ledger", "get_artist_stripe_status"]
    for tool in tools:
        store.execution(tool, "U1")

    main(["report", "tool-usage", "--days", "2"])

    lines = capsys.readouterr().out.splitlines()
    assert all(any(tool in line for line in lines) for tool in tools)
    assert "…" not in "".join(lines)


def test_an_empty_errors_report_says_there_are_no_unresolved_errors(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["report", "errors", "--days", "3"])

    assert capsys.readouterr().out == "errors: no unresolved tool errors in the last 3 day(s)\n"


def test_cleanup_deletes_sessions_older_than_the_retention(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.session("U1", age=timedelta(days=40))
    store.session("U1", age=timedelta(days=10))

    result = run_json(capsys, "cleanup", "--days", "30")

    remaining = store.conn.execute("SELECT count(*) FROM esbmcp_chat_sessions").fetchone()
    assert (result["retention_days"], result["deleted_sessions"]) == (30, 1)
    assert remaining == (1,)


def test_resolve_marks_the_error_and_its_unresolved_siblings(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    first = store.error("lookup_event", "column <value> does not exist")
    second = store.error("lookup_event", "column <value> does not exist")
    store.error("lookup_event", "timeout")

    status = main(["errors", "resolve", first, "--note", "fixed in #12", "--by", "U42"])

    capsys.readouterr()
    row = store.conn.execute(
        "SELECT resolved_by, resolution_note FROM esbmcp_tool_errors WHERE id = %s", (first,)
    ).fetchone()
    assert status == 0
    assert store.resolved_ids() == {first, second}
    assert row == ("U42", "fixed in #12")


def test_resolve_of_an_unknown_id_is_one_clear_error(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = str(uuid.uuid4())

    status = main(["errors", "resolve", unknown, "--note", "n"])

    assert status == 1
    assert capsys.readouterr().err == f"error: no tool error with id {unknown}\n"


def test_report_refuses_a_window_of_zero_days(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "errors", "--days", "0"])

    assert exit_info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
