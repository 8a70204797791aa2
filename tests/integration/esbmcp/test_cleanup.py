"""esbmcp_cleanup_old_data (observability.md §4): what it deletes and keeps, what it counts, its
serialisation and its audit row."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql

Connection = psycopg.Connection[tuple[Any, ...]]
InsertRow = Callable[..., uuid.UUID]

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=100)
RECENT = NOW - timedelta(days=10)

COUNT_KEYS = {
    "deleted_sessions",
    "deleted_executions",
    "deleted_audit",
    "deleted_errors",
    "deleted_feedback",
    "kept_unresolved_errors",
    "deleted_confirmations",
    "deleted_write_operations",
    "deleted_rate_limits",
    "deleted_request_nonces",
    "deleted_slack_event_claims",
}


def cleanup(conn: Connection, retention_days: int | None = 90) -> dict[str, Any]:
    row = conn.execute("SELECT public.esbmcp_cleanup_old_data(%s)", (retention_days,)).fetchone()
    assert row is not None
    result: dict[str, Any] = row[0]
    return result


def count(conn: Connection, table: str) -> int:
    row = conn.execute(
        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
    ).fetchone()
    assert row is not None
    return int(row[0])


def resolved(at: datetime) -> dict[str, Any]:
    return {"resolved": True, "resolved_at": at, "resolved_by": "U9", "created_at": at}


# -- Record tables --------------------------------------------------------------------------


def test_cleanup_deletes_resolved_errors_resolved_before_the_cutoff(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row("esbmcp_tool_errors", execution_id=uuid.uuid4(), **resolved(OLD))
    insert_row("esbmcp_tool_errors", execution_id=uuid.uuid4(), **resolved(RECENT))

    result = cleanup(db)

    assert (result["deleted_errors"], count(db, "esbmcp_tool_errors")) == (1, 1)


def test_cleanup_keeps_unresolved_errors_of_any_age_and_counts_the_old_ones(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row(
        "esbmcp_tool_errors", execution_id=uuid.uuid4(), created_at=NOW - timedelta(days=900)
    )
    insert_row("esbmcp_tool_errors", execution_id=uuid.uuid4(), created_at=RECENT)

    result = cleanup(db)

    assert (result["kept_unresolved_errors"], result["deleted_errors"]) == (1, 0)
    assert count(db, "esbmcp_tool_errors") == 2


def test_cleanup_counts_feedback_removed_with_old_sessions(
    db: Connection, insert_row: InsertRow
) -> None:
    old_session = insert_row("esbmcp_chat_sessions", created_at=OLD)
    recent_session = insert_row("esbmcp_chat_sessions", created_at=RECENT)
    for user in ("U1", "U2"):
        insert_row("esbmcp_feedback", session_id=old_session, slack_user_id=user)
    insert_row("esbmcp_feedback", session_id=recent_session, slack_user_id="U3", created_at=OLD)
    insert_row("esbmcp_feedback", session_id=recent_session, slack_user_id="U4")

    result = cleanup(db)

    assert (result["deleted_feedback"], result["deleted_sessions"]) == (3, 1)
    assert count(db, "esbmcp_feedback") == 1


def test_cleanup_deletes_executions_audit_events_and_sessions_older_than_the_cutoff(
    db: Connection, insert_row: InsertRow
) -> None:
    for table in ("esbmcp_chat_sessions", "esbmcp_tool_executions", "esbmcp_audit_log"):
        insert_row(table, created_at=OLD)
        insert_row(table, created_at=RECENT)

    result = cleanup(db, 30)

    assert (
        result["deleted_sessions"],
        result["deleted_executions"],
        result["deleted_audit"],
    ) == (1, 1, 1)


# -- Operational state ----------------------------------------------------------------------

EXPIRED_AND_LIVE_STATE = """
INSERT INTO public.esbmcp_confirmations
    (tool_name, requested_by, request_id, arguments, arguments_hash, state_hash,
     idempotency_key, created_at, expires_at)
VALUES
    ('update_artist_country', 'U1', 'r1', '{}', 'k1:a', 'k1:s', 'key1',
     now() - interval '10 minutes', now() - interval '5 minutes'),
    ('update_artist_country', 'U1', 'r2', '{}', 'k1:a', 'k1:s', 'key2',
     now(), now() + interval '5 minutes');

INSERT INTO public.esbmcp_write_operations
    (idempotency_key, tool_name, requested_by, role, confirmation_id, request_id,
     execution_id, arguments_hash, status, created_at, started_at, completed_at)
VALUES
    ('old-done', 't', 'U1', 'ops', gen_random_uuid(), 'r', gen_random_uuid(), 'k1:a',
     'succeeded', now() - interval '100 days', now() - interval '100 days',
     now() - interval '100 days'),
    ('new-done', 't', 'U1', 'ops', gen_random_uuid(), 'r', gen_random_uuid(), 'k1:a',
     'succeeded', now(), now(), now());

INSERT INTO public.esbmcp_rate_limits (scope, subject, window_start, expires_at)
VALUES
    ('user', 'U1', now() - interval '2 minutes', now() - interval '1 minute'),
    ('user', 'U1', now(), now() + interval '1 minute');

INSERT INTO public.esbmcp_request_nonces (nonce, signed_at, expires_at)
VALUES
    ('n-old', now() - interval '10 minutes', now() - interval '5 minutes'),
    ('n-new', now(), now() + interval '5 minutes');

INSERT INTO public.esbmcp_slack_event_claims (slack_event_id, claimed_at, expires_at)
VALUES
    ('Ev-old', now() - interval '2 days', now() - interval '1 day'),
    ('Ev-new', now(), now() + interval '1 day');
"""

STATE_TABLES = {
    "deleted_confirmations": "esbmcp_confirmations",
    "deleted_write_operations": "esbmcp_write_operations",
    "deleted_rate_limits": "esbmcp_rate_limits",
    "deleted_request_nonces": "esbmcp_request_nonces",
    "deleted_slack_event_claims": "esbmcp_slack_event_claims",
}


def test_cleanup_deletes_expired_operational_state_with_a_count_per_table(
    db: Connection,
) -> None:
    db.execute(EXPIRED_AND_LIVE_STATE.encode())

    result = cleanup(db)

    assert {key: result[key] for key in STATE_TABLES} == dict.fromkeys(STATE_TABLES, 1)
    assert {t: count(db, t) for t in STATE_TABLES.values()} == dict.fromkeys(
        STATE_TABLES.values(), 1
    )


@pytest.mark.parametrize("status", ["started", "unknown"])
def test_cleanup_keeps_unsettled_writes_whatever_their_age(status: str, db: Connection) -> None:
    db.execute(
        """
        INSERT INTO public.esbmcp_write_operations
            (idempotency_key, tool_name, requested_by, role, confirmation_id, request_id,
             execution_id, arguments_hash, status, error_code, created_at, started_at,
             completed_at)
        VALUES ('k', 't', 'U1', 'ops', gen_random_uuid(), 'r', gen_random_uuid(), 'k1:a',
                %(status)s, CASE WHEN %(status)s = 'unknown' THEN 'timeout' END,
                now() - interval '400 days', now() - interval '400 days',
                CASE WHEN %(status)s = 'unknown' THEN now() - interval '400 days' END)
        """,
        {"status": status},
    )

    result = cleanup(db)

    assert (result["deleted_write_operations"], count(db, "esbmcp_write_operations")) == (0, 1)


# -- Serialisation, audit, result -------------------------------------------------------------


def test_a_second_concurrent_cleanup_returns_skipped(migrated_url: str, db: Connection) -> None:
    with psycopg.connect(migrated_url) as holder:
        cleanup(holder)

        result = cleanup(db)

        holder.rollback()
    assert result["skipped"] is True
    assert result["reason"] == "already_running"
    assert {key: result[key] for key in COUNT_KEYS} == dict.fromkeys(COUNT_KEYS, 0)


def test_a_skipped_cleanup_deletes_nothing(
    migrated_url: str, db: Connection, insert_row: InsertRow
) -> None:
    insert_row("esbmcp_chat_sessions", created_at=OLD)
    with psycopg.connect(migrated_url) as holder:
        holder.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('esbmcp_cleanup_old_data', 0))"
        )

        cleanup(db)

        holder.rollback()
    assert count(db, "esbmcp_chat_sessions") == 1


def test_cleanup_writes_one_db_audit_row_holding_its_result(db: Connection) -> None:
    result = cleanup(db)

    rows = db.execute(
        """
        SELECT source, event_type, decision, service_version, detail, session_id, request_id
        FROM public.esbmcp_audit_log
        """
    ).fetchall()

    assert rows == [("db", "retention_cleanup", "info", "002", result, None, None)]


def test_a_skipped_cleanup_is_audited_too(migrated_url: str, db: Connection) -> None:
    with psycopg.connect(migrated_url) as holder:
        cleanup(holder)
        result = cleanup(db)
        holder.rollback()

    rows = db.execute("SELECT detail FROM public.esbmcp_audit_log").fetchall()

    assert rows == [(result,)]


def test_cleanup_run_again_right_away_deletes_nothing_more(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row("esbmcp_chat_sessions", created_at=OLD)
    cleanup(db)

    result = cleanup(db)

    assert {key: result[key] for key in COUNT_KEYS} == dict.fromkeys(COUNT_KEYS, 0)


def test_cleanup_result_has_the_specified_keys_and_a_utc_cutoff(db: Connection) -> None:
    db.execute("SET TimeZone = 'America/Toronto'")

    row = db.execute(
        """
        SELECT result, now() - interval '90 days'
        FROM (SELECT public.esbmcp_cleanup_old_data(90) AS result) AS run
        """
    ).fetchone()

    assert row is not None
    result, cutoff = row
    assert set(result) == COUNT_KEYS | {"retention_days", "cutoff", "skipped"}
    assert (result["retention_days"], result["skipped"]) == (90, False)
    assert datetime.strptime(result["cutoff"], "%Y-%m-%dT%H:%M:%S.%f%z") == cutoff
    assert result["cutoff"].endswith("Z")


@pytest.mark.parametrize("retention_days", [0, -5, None], ids=["zero", "negative", "null"])
def test_cleanup_refuses_a_retention_below_one_day(
    retention_days: int | None, db: Connection
) -> None:
    with pytest.raises(errors.InvalidParameterValue):
        cleanup(db, retention_days)


def test_cleanup_runs_without_the_migration_ledger_table(db: Connection) -> None:
    ledger = db.execute("SELECT to_regclass('public.esbmcp_schema_migrations')").fetchone()

    result = cleanup(db)

    assert ledger == (None,)
    assert result["skipped"] is False
