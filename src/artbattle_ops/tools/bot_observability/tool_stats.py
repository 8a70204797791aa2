"""`get_bot_tool_stats` (tools.md §8.3): tool usage, reliability, latency and gateway denials.

Only calls that reached a handler have an execution row; a failure is an execution whose caller
got `ok: false`, that is, one with a `result_code` (observability.md §2.2).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block

TOP_USERS = 10
DENIAL_EVENTS = (
    "role_denied",
    "call_limit_exceeded",
    "mutating_tool_blocked",
    "confirmation_required",
)

BY_TOOL_SQL = """
SELECT tool_name, domain, count(*) AS calls,
       count(result_code) AS failed,
       round(avg(duration_ms))::int AS avg_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS p95_ms,
       max(duration_ms) AS max_ms,
       count(*) OVER () AS total
  FROM public.esbmcp_tool_executions
 WHERE created_at >= %(since)s
 GROUP BY tool_name, domain
 ORDER BY count(*) DESC, tool_name, domain
 LIMIT %(limit)s
"""

BY_DOMAIN_SQL = """
SELECT domain, count(*) AS calls, count(result_code) AS failed
  FROM public.esbmcp_tool_executions
 WHERE created_at >= %(since)s
 GROUP BY domain
 ORDER BY count(*) DESC, domain
"""

BY_USER_SQL = """
SELECT slack_user_id, user_role, count(*) AS calls, count(DISTINCT tool_name) AS distinct_tools,
       count(*) OVER () AS total
  FROM public.esbmcp_tool_executions
 WHERE created_at >= %(since)s
 GROUP BY slack_user_id, user_role
 ORDER BY count(*) DESC, slack_user_id, user_role
 LIMIT %(top_users)s
"""

FAILURES_SQL = """
SELECT result_code AS code, count(*) AS count
  FROM public.esbmcp_tool_executions
 WHERE created_at >= %(since)s AND result_code IS NOT NULL
 GROUP BY result_code
 ORDER BY count(*) DESC, result_code
"""

TOTALS_SQL = """
SELECT count(*) AS calls, count(result_code) AS failed,
       count(DISTINCT slack_user_id) AS unique_users
  FROM public.esbmcp_tool_executions
 WHERE created_at >= %(since)s
"""

DENIALS_SQL = """
SELECT event_type, count(*) AS count
  FROM public.esbmcp_audit_log
 WHERE event_type = ANY(%(events)s)
   AND created_at >= %(since)s
   AND source = 'gateway'
 GROUP BY event_type
"""


@read_tool("get_bot_tool_stats")
async def get_bot_tool_stats(call: ToolCall) -> dict[str, Any]:
    """Calls, failures and latency per tool and domain, top users, failure codes, denials."""
    hours = int(call.arguments["hours_back"])
    params = {
        "since": call.now - timedelta(hours=hours),
        "limit": call.arguments["limit"],
        "top_users": TOP_USERS,
        "events": list(DENIAL_EVENTS),
    }

    tools = await call.db.fetch_all(BY_TOOL_SQL, params)
    domains = await call.db.fetch_all(BY_DOMAIN_SQL, params)
    users = await call.db.fetch_all(BY_USER_SQL, params)
    failures = await call.db.fetch_all(FAILURES_SQL, params)
    totals = await call.db.fetch_one(TOTALS_SQL, params) or {}
    denials = {
        row["event_type"]: int(row["count"]) for row in await call.db.fetch_all(DENIALS_SQL, params)
    }

    calls, failed = int(totals.get("calls") or 0), int(totals.get("failed") or 0)
    return {
        "period_hours": hours,
        "by_tool": block([_tool(row) for row in tools], total=_total(tools)),
        "by_domain": block([_counts(row, "domain", "calls", "failed") for row in domains]),
        "by_user": block(
            [
                _counts(row, "slack_user_id", "user_role", "calls", "distinct_tools")
                for row in users
            ],
            total=_total(users),
        ),
        "failures_by_code": block([_counts(row, "code", "count") for row in failures]),
        "denials": {event: denials.get(event, 0) for event in DENIAL_EVENTS},
        "totals": {
            "calls": calls,
            "ok": calls - failed,
            "failed": failed,
            "unique_users": int(totals.get("unique_users") or 0),
        },
    }


def failure_rate_pct(failed: int, calls: int) -> float | None:
    """Failed calls as a percentage with one decimal; None without calls."""
    return round(100.0 * failed / calls, 1) if calls else None


def _total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"]) if rows else 0


def _counts(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: row[key] for key in keys}


def _tool(row: dict[str, Any]) -> dict[str, Any]:
    calls, failed = int(row["calls"]), int(row["failed"])
    return {
        "tool_name": row["tool_name"],
        "domain": row["domain"],
        "calls": calls,
        "ok": calls - failed,
        "failed": failed,
        "failure_rate_pct": failure_rate_pct(failed, calls),
        "avg_ms": row["avg_ms"],
        "p95_ms": row["p95_ms"],
        "max_ms": row["max_ms"],
    }
