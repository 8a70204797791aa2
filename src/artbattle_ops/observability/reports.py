"""Operator reports over the `esbmcp_` tables and views, and the two operator writes on them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

# Every report covers the last `days` days, counted back from now(); day buckets are UTC days,
# as in the views (observability.md §3).
DAILY_VOLUME = """
SELECT day, total_sessions, completed, errors, denied, rate_limited, unique_users,
       total_tool_calls, failed_tool_calls, avg_duration_ms, p95_duration_ms, total_tokens,
       estimated_cost_usd
FROM public.esbmcp_v_daily_volume
WHERE day > (now() AT TIME ZONE 'UTC')::date - %(days)s
ORDER BY day DESC
"""

TOP_USERS = """
SELECT slack_user_id,
       (array_agg(slack_username ORDER BY created_at DESC)
            FILTER (WHERE slack_username IS NOT NULL))[1] AS slack_username,
       (array_agg(user_role ORDER BY created_at DESC)
            FILTER (WHERE user_role IS NOT NULL))[1] AS user_role,
       count(*) AS total_sessions,
       count(*) FILTER (WHERE status = 'error') AS error_sessions,
       count(*) FILTER (WHERE status IN ('denied', 'rate_limited')) AS refused_sessions,
       sum(tool_call_count) AS tool_calls,
       sum(total_tokens) AS total_tokens,
       max(created_at) AS last_session
FROM public.esbmcp_chat_sessions
WHERE created_at >= now() - make_interval(days => %(days)s)
GROUP BY slack_user_id
ORDER BY total_sessions DESC, slack_user_id
LIMIT %(limit)s
"""

TOOL_USAGE = """
SELECT tool_name, domain,
       count(*) AS total_calls,
       count(*) FILTER (WHERE NOT ok) AS failed_calls,
       count(*) FILTER (WHERE ok AND has_error_field) AS error_results,
       round(avg(duration_ms))::int AS avg_duration_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS p95_duration_ms,
       count(DISTINCT slack_user_id) AS unique_users,
       max(created_at) AS last_call
FROM public.esbmcp_tool_executions
WHERE created_at >= now() - make_interval(days => %(days)s)
GROUP BY tool_name, domain
ORDER BY total_calls DESC, tool_name
"""

ERRORS = """
SELECT (array_agg(id ORDER BY created_at DESC))[1] AS latest_error_id,
       tool_name, error_type, error_code, error_pattern,
       count(*) AS occurrences,
       count(DISTINCT slack_user_id) AS affected_users,
       min(created_at) AS first_seen,
       max(created_at) AS last_seen
FROM public.esbmcp_tool_errors
WHERE NOT resolved AND created_at >= now() - make_interval(days => %(days)s)
GROUP BY tool_name, error_type, error_code, error_pattern
ORDER BY occurrences DESC, last_seen DESC
"""

DENIALS = """
SELECT event_type, source, detail->>'reason' AS reason,
       count(*) AS denials,
       count(DISTINCT slack_user_id) AS users,
       max(created_at) AS last_denial
FROM public.esbmcp_audit_log
WHERE decision = 'deny' AND created_at >= now() - make_interval(days => %(days)s)
GROUP BY event_type, source, detail->>'reason'
ORDER BY denials DESC, event_type, reason
"""

FEEDBACK = """
SELECT feedback_at, session_id, slack_user_id, source, reaction, comment,
       left(user_prompt, 80) AS user_prompt, session_status
FROM public.esbmcp_v_negative_feedback
WHERE feedback_at >= now() - make_interval(days => %(days)s)
ORDER BY feedback_at DESC
LIMIT %(limit)s
"""

REPORTS: dict[str, str] = {
    "daily-volume": DAILY_VOLUME,
    "top-users": TOP_USERS,
    "tool-usage": TOOL_USAGE,
    "errors": ERRORS,
    "denials": DENIALS,
    "feedback": FEEDBACK,
}

CLEANUP = "SELECT public.esbmcp_cleanup_old_data(%s) AS result"

FIND_ERROR = "SELECT tool_name, error_pattern FROM public.esbmcp_tool_errors WHERE id = %s"

# observability.md §2.3: one UPDATE resolves every unresolved row of the same tool and pattern.
RESOLVE_ERRORS = """
UPDATE public.esbmcp_tool_errors
SET resolved = true, resolved_at = now(), resolved_by = %(by)s, resolution_note = %(note)s
WHERE NOT resolved AND tool_name = %(tool_name)s AND error_pattern = %(error_pattern)s
RETURNING id
"""


@dataclass(frozen=True)
class Report:
    """The rows of one report, with its column names in order."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Resolution:
    """What `resolve_error` did: the group it resolved and how many rows changed."""

    tool_name: str
    error_pattern: str
    resolved_ids: list[uuid.UUID]


def run_report(conn: psycopg.Connection, name: str, days: int, limit: int = 20) -> Report:
    """Run the report called `name` over the last `days` days."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(REPORTS[name], {"days": days, "limit": limit})
        columns = [column.name for column in cur.description or ()]
        rows = cur.fetchall()
    return Report(name, columns, rows)


def cleanup_old_data(conn: psycopg.Connection, days: int) -> dict[str, Any]:
    """Run `esbmcp_cleanup_old_data(days)` and return its result object."""
    row = conn.execute(CLEANUP, (days,)).fetchone()
    assert row is not None
    result: dict[str, Any] = row[0]
    return result


def resolve_error(
    conn: psycopg.Connection, error_id: uuid.UUID, *, by: str, note: str
) -> Resolution | None:
    """Resolve `error_id` and its unresolved siblings; None when the id is unknown."""
    found = conn.execute(FIND_ERROR, (error_id,)).fetchone()
    if found is None:
        return None

    tool_name, error_pattern = found
    params = {"by": by, "note": note, "tool_name": tool_name, "error_pattern": error_pattern}
    rows = conn.execute(RESOLVE_ERRORS, params).fetchall()
    return Resolution(tool_name, error_pattern, [row[0] for row in rows])
