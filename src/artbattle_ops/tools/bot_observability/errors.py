"""`get_bot_errors` (tools.md §8.1): recent tool errors, a summary and the unresolved count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time

MESSAGE_CHARS = 300
SUMMARY_ROWS = 20

# The filters apply to the list, the summary and the count alike (§8.1). They are constant
# fragments joined with AND; every value is bound.
FILTERS = {
    "since": "created_at >= %(since)s",
    "tool_name": "tool_name = %(tool_name)s",
    "unresolved_only": "resolved = false",
}

ERRORS_SQL = """
SELECT id, tool_name, domain, error_type, error_code,
       CASE WHEN length(error_message) > %(message_chars)s
            THEN left(error_message, %(message_chars)s - 1) || '…'
            ELSE error_message END AS error_message,
       error_hint, arguments_preview, resolved, slack_user_id, user_role, created_at,
       count(*) OVER () AS total,
       count(*) FILTER (WHERE resolved = false) OVER () AS unresolved
  FROM public.esbmcp_tool_errors
 WHERE {where}
 ORDER BY created_at DESC, id
 LIMIT %(limit)s
"""

SUMMARY_SQL = """
SELECT tool_name, error_type, count(*) AS count, count(*) OVER () AS total
  FROM public.esbmcp_tool_errors
 WHERE {where}
 GROUP BY tool_name, error_type
 ORDER BY count(*) DESC, tool_name, error_type
 LIMIT %(summary_rows)s
"""


@read_tool("get_bot_errors")
async def get_bot_errors(call: ToolCall) -> dict[str, Any]:
    """The newest errors, a summary per tool and error type, and how many are unresolved."""
    args = call.arguments
    hours = int(args["hours_back"])
    params: dict[str, Any] = {
        "since": call.now - timedelta(hours=hours),
        "tool_name": args.get("tool_name"),
        "limit": args["limit"],
        "message_chars": MESSAGE_CHARS,
        "summary_rows": SUMMARY_ROWS,
    }
    where = where_clause(FILTERS, ["since", *_chosen(args)])

    rows = await call.db.fetch_all(ERRORS_SQL.format(where=where), params)
    summary = await call.db.fetch_all(SUMMARY_SQL.format(where=where), params)

    first = rows[0] if rows else {}
    return {
        "period_hours": hours,
        "errors": block([_error(call, row) for row in rows], total=int(first.get("total") or 0)),
        "summary": block(
            [{k: row[k] for k in ("tool_name", "error_type", "count")} for row in summary],
            total=int(summary[0]["total"]) if summary else 0,
        ),
        "unresolved_count": int(first.get("unresolved") or 0),
    }


def where_clause(fragments: dict[str, str], chosen: list[str]) -> str:
    """The chosen constant filter fragments joined with AND."""
    return " AND ".join(fragments[name] for name in chosen) or "TRUE"


def _chosen(args: dict[str, Any]) -> list[str]:
    chosen = ["tool_name"] if args.get("tool_name") else []
    return [*chosen, "unresolved_only"] if args.get("unresolved_only") else chosen


def _error(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "tool_name": row["tool_name"],
        "domain": row["domain"],
        "error_type": row["error_type"],
        "error_code": row["error_code"],
        "error_message": row["error_message"],
        "error_hint": row["error_hint"],
        "arguments_preview": row["arguments_preview"],
        "resolved": row["resolved"],
        "slack_user_id": row["slack_user_id"],
        "user_role": row["user_role"],
        "created_at": display_time(call, row["created_at"]),
    }
