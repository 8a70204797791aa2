"""The operator views of observability.md §3 return the specified figures from crafted rows, and
every operator query of §3 and §3.9 runs as written."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

Connection = psycopg.Connection[tuple[Any, ...]]
InsertRow = Callable[..., uuid.UUID]

NOW = datetime.now(UTC)
TODAY_UTC = NOW.date()


def utc(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=UTC)


def fetch_dicts(conn: Connection, query: str) -> list[dict[str, Any]]:
    cursor = conn.execute(query)
    names = [column.name for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


VIEW_COLUMNS = {
    "esbmcp_v_tool_usage_30d": [
        "tool_name", "domain", "total_calls", "success_count", "failure_count",
        "error_result_count", "success_rate_pct", "avg_duration_ms", "p95_duration_ms",
        "max_duration_ms", "unique_users", "first_call", "last_call", "last_failure",
    ],
    "esbmcp_v_user_activity_30d": [
        "slack_user_id", "slack_username", "user_role", "total_sessions", "completed_sessions",
        "error_sessions", "denied_sessions", "rate_limited_sessions", "avg_session_ms",
        "total_tokens", "estimated_cost_usd", "total_tool_calls", "failed_tool_calls",
        "tools_used", "first_session", "last_session",
    ],
    "esbmcp_v_error_digest_7d": [
        "tool_name", "domain", "error_type", "error_code", "error_pattern", "sample_message",
        "occurrence_count", "affected_users", "affected_sessions", "first_seen", "last_seen",
        "resolved_count", "unresolved_count", "latest_error_id",
    ],
    "esbmcp_v_daily_volume": [
        "day", "total_sessions", "completed", "errors", "denied", "rate_limited",
        "unique_users", "total_tool_calls", "failed_tool_calls", "avg_duration_ms",
        "p95_duration_ms", "total_tokens", "estimated_cost_usd",
    ],
    "esbmcp_v_hourly_heatmap_7d": [
        "day_of_week", "day_name", "hour_utc", "session_count", "unique_users", "error_count",
    ],
    "esbmcp_v_audit_denials_7d": [
        "event_type", "source", "slack_user_id", "user_role", "tool_name", "slack_username",
        "denial_count", "first_denial", "last_denial", "reasons", "ip_addresses",
    ],
    "esbmcp_v_unresolved_errors": [
        "id", "execution_id", "session_id", "request_id", "tool_name", "domain", "error_type",
        "error_code", "error_message", "error_hint", "error_detail", "error_pattern",
        "sql_query_preview", "arguments_preview", "slack_user_id", "user_role", "created_at",
        "triggering_prompt",
    ],
    "esbmcp_v_negative_feedback": [
        "feedback_id", "session_id", "feedback_at", "slack_user_id", "session_user_id",
        "rating", "source", "reaction", "comment", "slack_channel_id", "reply_ts",
        "user_prompt", "ai_response", "tools_called", "session_status", "session_error",
        "session_created_at",
    ],
}  # fmt: skip


@pytest.mark.parametrize("view", VIEW_COLUMNS)
def test_view_columns_come_in_the_specified_order(view: str, db: Connection) -> None:
    rows = db.execute(
        """
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = %s
        ORDER BY ordinal_position
        """,
        (view,),
    ).fetchall()

    assert [row[0] for row in rows] == VIEW_COLUMNS[view]


# -- §3.1 Tool usage --------------------------------------------------------------------------

TOOL_USAGE_QUERY = "SELECT * FROM esbmcp_v_tool_usage_30d ORDER BY total_calls DESC"


def test_tool_usage_counts_outcomes_and_rounds_rate_mean_and_p95(
    db: Connection, insert_row: InsertRow
) -> None:
    outcomes = [(10, {}), (20, {}), (30, {"has_error_field": True, "result_code": "not_found"})]
    outcomes += [(40, {"ok": False}), (51, {"ok": False})]
    for minutes, (duration, extra) in enumerate(outcomes):
        user = "U1" if minutes % 2 else "U2"
        at = NOW - timedelta(minutes=60 - minutes)
        insert_row(
            "esbmcp_tool_executions",
            duration_ms=duration,
            created_at=at,
            slack_user_id=user,
            **extra,
        )
    insert_row("esbmcp_tool_executions", tool_name="get_vote_data")
    insert_row("esbmcp_tool_executions", created_at=NOW - timedelta(days=31), duration_ms=999)

    top = fetch_dicts(db, TOOL_USAGE_QUERY)[0]

    assert {k: top[k] for k in list(top)[:11]} == {
        "tool_name": "lookup_event",
        "domain": "data-read",
        "total_calls": 5,
        "success_count": 3,
        "failure_count": 2,
        "error_result_count": 1,
        "success_rate_pct": Decimal("60.0"),
        "avg_duration_ms": 30,
        "p95_duration_ms": 49,
        "max_duration_ms": 51,
        "unique_users": 2,
    }
    assert top["last_failure"] == NOW - timedelta(minutes=56)


def test_tool_usage_rounds_half_milliseconds_away_from_zero(
    db: Connection, insert_row: InsertRow
) -> None:
    for duration in (10, 11):
        insert_row("esbmcp_tool_executions", duration_ms=duration)

    row = db.execute(
        "SELECT avg_duration_ms, p95_duration_ms, success_rate_pct FROM esbmcp_v_tool_usage_30d"
    ).fetchone()

    assert row == (11, 11, Decimal("100.0"))


def test_tool_usage_rounds_the_success_rate_to_one_decimal(
    db: Connection, insert_row: InsertRow
) -> None:
    for ok in (True, True, False):
        insert_row("esbmcp_tool_executions", ok=ok)

    row = db.execute("SELECT success_rate_pct FROM esbmcp_v_tool_usage_30d").fetchone()

    assert row == (Decimal("66.7"),)


# -- §3.2 User activity -----------------------------------------------------------------------

USER_ACTIVITY_QUERY = "SELECT * FROM esbmcp_v_user_activity_30d ORDER BY total_sessions DESC"


def test_user_activity_is_not_inflated_by_tool_calls(db: Connection, insert_row: InsertRow) -> None:
    session_id = insert_row(
        "esbmcp_chat_sessions",
        slack_user_id="U1",
        status="error",
        error_message="RuntimeError: boom",
        total_duration_ms=700,
        total_tokens=120,
    )
    for _ in range(10):
        insert_row("esbmcp_tool_executions", slack_user_id="U1", session_id=session_id)

    row = fetch_dicts(db, USER_ACTIVITY_QUERY)[0]

    assert {k: row[k] for k in list(row)[3:14]} == {
        "total_sessions": 1,
        "completed_sessions": 0,
        "error_sessions": 1,
        "denied_sessions": 0,
        "rate_limited_sessions": 0,
        "avg_session_ms": 700,
        "total_tokens": 120,
        "estimated_cost_usd": Decimal("0"),
        "total_tool_calls": 10,
        "failed_tool_calls": 0,
        "tools_used": ["lookup_event"],
    }


def test_user_activity_takes_the_latest_known_name_and_role(
    db: Connection, insert_row: InsertRow
) -> None:
    for hours, name, role in ((3, "older", "viewer"), (2, "newer", "ops"), (1, None, None)):
        insert_row(
            "esbmcp_chat_sessions",
            slack_user_id="U1",
            slack_username=name,
            user_role=role,
            created_at=NOW - timedelta(hours=hours),
        )

    row = db.execute(
        "SELECT slack_username, user_role, total_sessions FROM esbmcp_v_user_activity_30d"
    ).fetchone()

    assert row == ("newer", "ops", 3)


def test_user_activity_sums_costs_with_missing_cost_as_zero(
    db: Connection, insert_row: InsertRow
) -> None:
    for cost in (Decimal("0.25"), None, Decimal("0.50")):
        insert_row("esbmcp_chat_sessions", slack_user_id="U1", estimated_cost_usd=cost)

    row = db.execute("SELECT estimated_cost_usd FROM esbmcp_v_user_activity_30d").fetchone()

    assert row == (Decimal("0.750000"),)


def test_user_activity_lists_sorted_distinct_tools_and_zero_for_users_without_calls(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row("esbmcp_chat_sessions", slack_user_id="U1")
    insert_row("esbmcp_chat_sessions", slack_user_id="U2")
    for tool in ("get_vote_data", "lookup_event", "get_vote_data"):
        insert_row("esbmcp_tool_executions", slack_user_id="U1", tool_name=tool, ok=False)

    rows = db.execute(
        """
        SELECT slack_user_id, total_tool_calls, failed_tool_calls, tools_used
        FROM esbmcp_v_user_activity_30d ORDER BY slack_user_id
        """
    ).fetchall()

    assert rows == [("U1", 3, 3, ["get_vote_data", "lookup_event"]), ("U2", 0, 0, [])]


# -- §3.3 Error digest ------------------------------------------------------------------------

DIGEST_QUERY = "SELECT * FROM esbmcp_v_error_digest_7d WHERE tool_name = 'lookup_event'"


def failed_call(insert_row: InsertRow, minutes_ago: int, **error: Any) -> uuid.UUID:
    """A failed execution and its error row; returns the error id."""
    at = NOW - timedelta(minutes=minutes_ago)
    session_id = insert_row("esbmcp_chat_sessions", created_at=at)
    execution_id = insert_row(
        "esbmcp_tool_executions", ok=False, created_at=at, session_id=session_id
    )
    return insert_row(
        "esbmcp_tool_errors",
        execution_id=execution_id,
        session_id=session_id,
        created_at=at,
        **error,
    )


def test_error_digest_counts_resolved_and_unresolved_occurrences(
    db: Connection, insert_row: InsertRow
) -> None:
    failed_call(insert_row, 30, resolved=True, resolved_at=NOW, resolved_by="U9")
    failed_call(insert_row, 20)
    newest = failed_call(insert_row, 10, error_message="column y does not exist " + "x" * 400)

    row = fetch_dicts(db, DIGEST_QUERY)[0]

    assert (row["occurrence_count"], row["resolved_count"], row["unresolved_count"]) == (3, 1, 2)
    assert row["affected_sessions"] == 3
    assert row["latest_error_id"] == newest
    assert row["sample_message"] == ("column y does not exist " + "x" * 400)[:300]


def test_error_digest_keeps_failed_executions_without_an_error_row(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row(
        "esbmcp_tool_executions",
        ok=False,
        error_type="timeout",
        error_code="57014",
        error_message="canceling statement due to statement timeout",
    )

    rows = db.execute(
        """
        SELECT error_type, error_code, error_pattern, occurrence_count, resolved_count,
               latest_error_id
        FROM esbmcp_v_error_digest_7d
        """
    ).fetchall()

    assert rows == [
        ("timeout", "57014", "canceling statement due to statement timeout", 1, 0, None)
    ]


def test_error_digest_ignores_failures_older_than_seven_days(
    db: Connection, insert_row: InsertRow
) -> None:
    failed_call(insert_row, 8 * 24 * 60)

    assert fetch_dicts(db, DIGEST_QUERY) == []


# -- §3.4 Daily volume ------------------------------------------------------------------------

DAILY_QUERY = "SELECT * FROM esbmcp_v_daily_volume ORDER BY day DESC"


def test_daily_volume_buckets_by_utc_day_whatever_the_session_time_zone(
    db: Connection, insert_row: InsertRow
) -> None:
    yesterday = TODAY_UTC - timedelta(days=1)
    insert_row("esbmcp_chat_sessions", created_at=utc(yesterday, 23, 30))
    db.execute("SET TimeZone = 'Asia/Tokyo'")

    rows = db.execute("SELECT day, total_sessions FROM esbmcp_v_daily_volume").fetchall()

    assert rows == [(yesterday, 1)]


def test_daily_volume_is_not_inflated_by_tool_calls(db: Connection, insert_row: InsertRow) -> None:
    day = TODAY_UTC - timedelta(days=2)
    for duration, tokens, status in ((100, 10, "completed"), (301, 20, "denied")):
        insert_row(
            "esbmcp_chat_sessions",
            created_at=utc(day, 12),
            total_duration_ms=duration,
            total_tokens=tokens,
            status=status,
            error_message=None if status == "completed" else "no_role",
        )
    for ok in (True, True, True, False, False):
        insert_row("esbmcp_tool_executions", created_at=utc(day, 13), ok=ok)

    row = fetch_dicts(db, DAILY_QUERY)[0]

    assert row == {
        "day": day,
        "total_sessions": 2,
        "completed": 1,
        "errors": 0,
        "denied": 1,
        "rate_limited": 0,
        "unique_users": 1,
        "total_tool_calls": 5,
        "failed_tool_calls": 2,
        "avg_duration_ms": 201,
        "p95_duration_ms": 291,
        "total_tokens": 30,
        "estimated_cost_usd": Decimal("0"),
    }


def test_daily_volume_window_starts_at_midnight_utc_89_days_ago(
    db: Connection, insert_row: InsertRow
) -> None:
    first_day = TODAY_UTC - timedelta(days=89)
    insert_row("esbmcp_chat_sessions", created_at=utc(first_day, 0, 0, 1))
    insert_row("esbmcp_chat_sessions", created_at=utc(first_day) - timedelta(seconds=1))

    rows = db.execute("SELECT day FROM esbmcp_v_daily_volume").fetchall()

    assert rows == [(first_day,)]


# -- §3.5 Hourly heatmap ----------------------------------------------------------------------


def test_hourly_heatmap_uses_utc_weekday_and_hour(db: Connection, insert_row: InsertRow) -> None:
    day = TODAY_UTC - timedelta(days=2)
    insert_row("esbmcp_chat_sessions", created_at=utc(day, 3, 15), slack_user_id="U1")
    insert_row(
        "esbmcp_chat_sessions",
        created_at=utc(day, 3, 45),
        slack_user_id="U2",
        status="error",
        error_message="RuntimeError: x",
    )
    db.execute("SET TimeZone = 'America/Los_Angeles'")

    rows = db.execute("SELECT * FROM esbmcp_v_hourly_heatmap_7d").fetchall()

    weekday = (day.isoweekday()) % 7
    day_name = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][weekday]
    assert rows == [(weekday, day_name, 3, 2, 2, 1)]


# -- §3.6 Audit denials -----------------------------------------------------------------------

DENIALS_QUERY = "SELECT * FROM esbmcp_v_audit_denials_7d WHERE event_type = 'rate_limit_exceeded'"


def test_audit_denials_group_reasons_and_take_the_latest_known_name(
    db: Connection, insert_row: InsertRow
) -> None:
    cases = [
        (4, "older", "user_rate_limit_exceeded"),
        (3, "newer", "channel_rate_limit_exceeded"),
        (2, None, "user_rate_limit_exceeded"),
    ]
    for hours, name, reason in cases:
        insert_row(
            "esbmcp_audit_log",
            source="slack",
            event_type="rate_limit_exceeded",
            decision="deny",
            slack_user_id="U1",
            user_role="ops",
            slack_username=name,
            detail={"reason": reason},
            created_at=NOW - timedelta(hours=hours),
        )
    insert_row("esbmcp_audit_log", event_type="rate_limit_exceeded", decision="info")
    insert_row(
        "esbmcp_audit_log",
        event_type="rate_limit_exceeded",
        source="slack",
        slack_user_id="U1",
        user_role="ops",
        created_at=NOW - timedelta(days=8),
    )

    rows = fetch_dicts(db, DENIALS_QUERY)

    assert [{k: r[k] for k in ("slack_username", "denial_count", "reasons")} for r in rows] == [
        {
            "slack_username": "newer",
            "denial_count": 3,
            "reasons": ["channel_rate_limit_exceeded", "user_rate_limit_exceeded"],
        }
    ]


def test_audit_denials_list_sorted_distinct_client_addresses(
    db: Connection, insert_row: InsertRow
) -> None:
    for address in ("10.0.0.9", None, "10.0.0.1", "10.0.0.9"):
        insert_row(
            "esbmcp_audit_log",
            event_type="signature_denied",
            ip_address=address,
            detail={"reason": "invalid_signature"},
        )

    row = db.execute("SELECT denial_count, ip_addresses FROM esbmcp_v_audit_denials_7d").fetchone()

    assert row == (4, ["10.0.0.1", "10.0.0.9"])


# -- §3.7 Unresolved errors -------------------------------------------------------------------

UNRESOLVED_QUERY = """
SELECT tool_name, error_type, error_code, error_message, error_hint, sql_query_preview, created_at
FROM esbmcp_v_unresolved_errors ORDER BY created_at DESC
"""


def test_unresolved_errors_list_only_unresolved_newest_first(
    db: Connection, insert_row: InsertRow
) -> None:
    failed_call(insert_row, 30, error_hint="check the column")
    failed_call(insert_row, 10, sql_query_preview="SELECT x FROM art WHERE id = $1")
    failed_call(insert_row, 5, resolved=True, resolved_at=NOW, resolved_by="U9")

    rows = db.execute(UNRESOLVED_QUERY).fetchall()

    assert [(r[4], r[5], r[6]) for r in rows] == [
        (None, "SELECT x FROM art WHERE id = $1", NOW - timedelta(minutes=10)),
        ("check the column", None, NOW - timedelta(minutes=30)),
    ]


def test_unresolved_errors_show_the_prompt_until_the_session_is_deleted(
    db: Connection, insert_row: InsertRow
) -> None:
    failed_call(insert_row, 10)
    insert_row("esbmcp_tool_errors", execution_id=uuid.uuid4(), session_id=uuid.uuid4())

    rows = db.execute(
        "SELECT triggering_prompt FROM esbmcp_v_unresolved_errors ORDER BY created_at"
    ).fetchall()

    assert rows == [("how did AB4001 go?",), (None,)]


# -- §3.8 Negative feedback -------------------------------------------------------------------

NEGATIVE_QUERY = "SELECT * FROM esbmcp_v_negative_feedback ORDER BY feedback_at DESC"


def test_negative_feedback_joins_the_rated_session(db: Connection, insert_row: InsertRow) -> None:
    session_id = insert_row(
        "esbmcp_chat_sessions",
        slack_user_id="U1",
        slack_channel_id="C1",
        reply_ts="1.5",
        ai_response="AB4001 sold 12 works.",
    )
    insert_row(
        "esbmcp_feedback",
        session_id=session_id,
        slack_user_id="U2",
        rating=-1,
        reaction="thumbsdown",
        slack_message_ts="1.5",
    )
    insert_row(
        "esbmcp_feedback",
        session_id=session_id,
        slack_user_id="U3",
        rating=1,
        reaction="thumbsup",
        slack_message_ts="1.5",
    )

    rows = fetch_dicts(db, NEGATIVE_QUERY)

    assert [
        {k: r[k] for k in ("slack_user_id", "session_user_id", "reaction", "reply_ts")}
        for r in rows
    ] == [{"slack_user_id": "U2", "session_user_id": "U1", "reaction": "thumbsdown",
           "reply_ts": "1.5"}]  # fmt: skip


# -- Every operator query, as written --------------------------------------------------------

SESSIONS_BY_USER_QUERY = """
SELECT user_prompt, ai_response, tools_called, status, error_message
FROM esbmcp_chat_sessions WHERE slack_user_id = 'U100'
"""

OPERATOR_QUERIES = {
    "tool usage": TOOL_USAGE_QUERY,
    "user activity": USER_ACTIVITY_QUERY,
    "error digest": DIGEST_QUERY,
    "daily volume": DAILY_QUERY,
    "audit denials": DENIALS_QUERY,
    "unresolved errors": UNRESOLVED_QUERY,
    "negative feedback": NEGATIVE_QUERY,
    "sessions by user": SESSIONS_BY_USER_QUERY,
}


@pytest.mark.parametrize("query", OPERATOR_QUERIES.values(), ids=OPERATOR_QUERIES.keys())
def test_operator_query_runs_as_written_on_an_empty_store(query: str, db: Connection) -> None:
    assert db.execute(query).fetchall() == []


def test_sessions_by_user_query_returns_that_users_requests(
    db: Connection, insert_row: InsertRow
) -> None:
    insert_row("esbmcp_chat_sessions", slack_user_id="U100", ai_response="Hi")
    insert_row("esbmcp_chat_sessions", slack_user_id="U200")

    rows = db.execute(SESSIONS_BY_USER_QUERY).fetchall()

    assert rows == [("how did AB4001 go?", "Hi", [], "completed", None)]


def test_sessions_by_user_query_is_served_by_the_user_index(db: Connection) -> None:
    db.execute("SET enable_seqscan = off")

    plan = db.execute("EXPLAIN " + SESSIONS_BY_USER_QUERY).fetchall()

    assert "esbmcp_chat_sessions_user_created_idx" in "\n".join(str(r[0]) for r in plan)
