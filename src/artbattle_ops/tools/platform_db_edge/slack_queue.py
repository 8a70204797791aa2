"""`get_slack_queue_health` (tools.md §7.1): is the platform's Slack notification queue flowing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time

STATUSES = ("pending", "pending_lookup", "sent", "failed")
MAX_FAILURE_RATE_PCT = 5.0
MAX_BACKLOG_AGE_MINUTES = 15
RECENT_FAILURES = 10

# Both statements filter on status first, so they use (status, created_at DESC). The payload is
# never read.
WINDOW_SQL = """
SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'pending_lookup') AS pending_lookup,
       count(*) FILTER (WHERE status = 'sent') AS sent,
       count(*) FILTER (WHERE status = 'failed') AS failed
  FROM public.slack_notifications
 WHERE status IN ('pending', 'pending_lookup', 'sent', 'failed')
   AND created_at >= %(since)s
"""

BACKLOG_SQL = """
SELECT count(*) AS count, min(created_at) AS oldest
  FROM public.slack_notifications
 WHERE status IN ('pending', 'pending_lookup')
"""

FAILURES_SQL = """
SELECT n.id, n.message_type, n.channel_id, e.eid AS event_eid, n.attempts, n.error, n.created_at
  FROM public.slack_notifications n
  LEFT JOIN public.events e ON e.id = n.event_id
 WHERE n.status = 'failed'
   AND n.created_at >= %(since)s
 ORDER BY n.created_at DESC, n.id
 LIMIT %(limit)s
"""


@read_tool("get_slack_queue_health")
async def get_slack_queue_health(call: ToolCall) -> dict[str, Any]:
    """Window counts by status, the backlog regardless of the window, and the latest failures."""
    hours = int(call.arguments["hours_back"])
    since = call.now - timedelta(hours=hours)

    window = await call.db.fetch_one(WINDOW_SQL, {"since": since}) or {}
    by_status = {status: int(window.get(status) or 0) for status in STATUSES}
    backlog = await call.db.fetch_one(BACKLOG_SQL) or {}
    failures = await call.db.fetch_all(FAILURES_SQL, {"since": since, "limit": RECENT_FAILURES})

    rate = failure_rate_pct(by_status["failed"], sum(by_status.values()))
    oldest_age = age_minutes(call.now, backlog.get("oldest"))
    issues = queue_issues(by_status["failed"], rate, oldest_age)
    return {
        "window_hours": hours,
        "window_by_status": by_status,
        "failure_rate_pct": rate,
        "backlog": {"count": int(backlog.get("count") or 0), "oldest_age_minutes": oldest_age},
        "recent_failures": block(
            [_failure(call, row) for row in failures], total=by_status["failed"]
        ),
        "healthy": not issues,
        "issues": block(issues),
    }


def failure_rate_pct(failed: int, total: int) -> float | None:
    """Failures as a percentage with one decimal; None when the window holds no rows."""
    if total == 0:
        return None
    return round(100.0 * failed / total, 1)


def age_minutes(now: datetime, instant: datetime | None) -> int | None:
    """Whole minutes from `instant` to `now`, or None for no instant."""
    if instant is None:
        return None
    return int((now - instant).total_seconds() // 60)


def queue_issues(failed: int, rate: float | None, oldest_age: int | None) -> list[dict[str, str]]:
    """The health conditions that fail: too many failures, or a backlog that is too old."""
    issues = []
    if failed and rate is not None and rate >= MAX_FAILURE_RATE_PCT:
        issues.append(
            {
                "code": "failure_rate_high",
                "message": f"{rate}% of the window's notifications failed "
                f"(healthy is under {MAX_FAILURE_RATE_PCT:g}%).",
            }
        )
    if oldest_age is not None and oldest_age > MAX_BACKLOG_AGE_MINUTES:
        issues.append(
            {
                "code": "backlog_stale",
                "message": f"The oldest pending notification is {oldest_age} minutes old "
                f"(healthy is at most {MAX_BACKLOG_AGE_MINUTES}).",
            }
        )
    return issues


def _failure(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "message_type": row["message_type"],
        "channel_id": row["channel_id"],
        "event_eid": row["event_eid"],
        "attempts": row["attempts"],
        "error": row["error"],
        "created_at": display_time(call, row["created_at"]),
    }
