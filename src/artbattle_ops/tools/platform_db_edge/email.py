"""`get_email_queue_stats` and `get_email_log` (tools.md §7.2, §7.3): outbound email delivery."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from artbattle_ops.tools.formats import escape_like
from artbattle_ops.tools.platform_db_edge.slack_queue import failure_rate_pct
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, resolve_event

RECENT_ERRORS = 10
SUBJECT_CHARS = 200
EVENT_NOTE = "Most emails are not linked to an event; search by recipient instead."

# An email's time is COALESCE(sent_at, created_at) (§7.2).
STATS_SQL = """
SELECT count(*) AS total,
       count(*) FILTER (WHERE status = 'sent') AS sent,
       count(*) FILTER (WHERE status = 'failed') AS failed
  FROM public.email_logs
 WHERE COALESCE(sent_at, created_at) >= %(since)s
"""

BY_METHOD_SQL = """
SELECT method, count(*) AS count
  FROM public.email_logs
 WHERE COALESCE(sent_at, created_at) >= %(since)s
 GROUP BY method
 ORDER BY count(*) DESC, method NULLS LAST
"""

RECENT_ERRORS_SQL = """
SELECT id, recipient, subject, error_message, COALESCE(sent_at, created_at) AS at
  FROM public.email_logs
 WHERE status = 'failed'
   AND COALESCE(sent_at, created_at) >= %(since)s
 ORDER BY COALESCE(sent_at, created_at) DESC, id
 LIMIT %(limit)s
"""

# Filters are constant fragments joined with AND; every value is bound.
LOG_SQL = """
SELECT l.id, l.recipient,
       CASE WHEN length(l.subject) > %(subject_chars)s
            THEN left(l.subject, %(subject_chars)s - 1) || '…' ELSE l.subject END AS subject,
       l.status, l.method, l.error_message, COALESCE(l.sent_at, l.created_at) AS at,
       e.eid AS event_eid, count(*) OVER () AS total
  FROM public.email_logs l
  LEFT JOIN public.events e ON e.id = l.event_id
 WHERE {where}
 ORDER BY COALESCE(l.sent_at, l.created_at) DESC, l.id
 LIMIT %(limit)s
"""

LOG_FILTERS = {
    "address": "l.recipient ILIKE %(recipient_pattern)s AND lower(l.recipient) = %(recipient)s",
    "fragment": "l.recipient ILIKE %(recipient_pattern)s",
    "event_id": "l.event_id = %(event_id)s",
    "status": "l.status = %(status)s",
    "since": "COALESCE(l.sent_at, l.created_at) >= %(since)s",
}


@read_tool("get_email_queue_stats")
async def get_email_queue_stats(call: ToolCall) -> dict[str, Any]:
    """Counts by status and method in the window, the failure rate and the newest errors."""
    hours = int(call.arguments["hours_back"])
    params = {"since": call.now - timedelta(hours=hours), "limit": RECENT_ERRORS}

    stats = await call.db.fetch_one(STATS_SQL, params) or {}
    methods = await call.db.fetch_all(BY_METHOD_SQL, params)
    errors = await call.db.fetch_all(RECENT_ERRORS_SQL, params)

    total, failed = int(stats.get("total") or 0), int(stats.get("failed") or 0)
    return {
        "window_hours": hours,
        "total": total,
        "by_status": {"sent": int(stats.get("sent") or 0), "failed": failed},
        "by_method": block([{"method": r["method"], "count": r["count"]} for r in methods]),
        "failure_rate_pct": failure_rate_pct(failed, total),
        "error_count": failed,
        "recent_errors": block([_error(call, row) for row in errors], total=failed),
    }


@read_tool("get_email_log")
async def get_email_log(call: ToolCall) -> dict[str, Any]:
    """Emails matching the filters, newest first; with no filter, the latest emails."""
    args = call.arguments
    params: dict[str, Any] = {"limit": args["limit"], "subject_chars": SUBJECT_CHARS}
    filters = _recipient_filter(args.get("recipient"), params)

    if args.get("eid"):
        params["event_id"] = (await resolve_event(call, args["eid"])).id
        filters.append("event_id")
    if args.get("status"):
        params["status"] = args["status"]
        filters.append("status")
    if args.get("hours_back"):
        params["since"] = call.now - timedelta(hours=int(args["hours_back"]))
        filters.append("since")

    where = " AND ".join(LOG_FILTERS[name] for name in filters) or "TRUE"
    rows = await call.db.fetch_all(LOG_SQL.format(where=where), params)
    return {
        "emails": block([_email(call, row) for row in rows], total=_total(rows)),
        "note": EVENT_NOTE if args.get("eid") else None,
    }


def _recipient_filter(recipient: str | None, params: dict[str, Any]) -> list[str]:
    """A whole address matches case-insensitively; a value without `@` is a substring."""
    if not recipient:
        return []
    if "@" in recipient:
        params["recipient"] = recipient
        params["recipient_pattern"] = escape_like(recipient)
        return ["address"]
    params["recipient_pattern"] = f"%{escape_like(recipient)}%"
    return ["fragment"]


def _total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"]) if rows else 0


def _error(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "recipient": row["recipient"],
        "subject": row["subject"],
        "error_message": row["error_message"],
        "at": display_time(call, row["at"]),
    }


def _email(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "recipient": row["recipient"],
        "subject": row["subject"],
        "status": row["status"],
        "method": row["method"],
        "error_message": row["error_message"],
        "at": display_time(call, row["at"]),
        "event_eid": row["event_eid"],
    }
