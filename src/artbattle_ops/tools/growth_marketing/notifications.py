"""get_notification_status (tools.md §6.5): an event's SMS campaign delivery and queue health."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, resolve_event

MAX_CAMPAIGNS: Final = 50
MAX_FAILURE_REASONS: Final = 5
OUTBOUND_STATUSES: Final = ("pending", "sent", "delivered", "failed", "undelivered")
QUEUE_STATUSES: Final = ("pending", "processing", "sent", "failed")

CAMPAIGNS_SQL: Final = """
SELECT c.id, c.name, c.status, c.messages_sent, c.messages_delivered, c.messages_failed,
       count(*) OVER () AS total
FROM sms_marketing_campaigns c
WHERE c.event_id = %(event_id)s
ORDER BY c.created_at DESC NULLS LAST, c.id DESC
LIMIT %(limit)s
"""

# Outbound rows reach the event only through their campaign (sms_outbound.campaign_id).
OUTBOUND_SQL: Final = """
SELECT o.status, count(*) AS count
FROM sms_outbound o
WHERE o.campaign_id IN (SELECT c.id FROM sms_marketing_campaigns c WHERE c.event_id = %(event_id)s)
GROUP BY o.status
ORDER BY o.status
"""

FAILURES_SQL: Final = """
SELECT o.error_message, count(*) AS count, count(*) OVER () AS total
FROM sms_outbound o
WHERE o.campaign_id IN (SELECT c.id FROM sms_marketing_campaigns c WHERE c.event_id = %(event_id)s)
  AND o.error_message IS NOT NULL
GROUP BY o.error_message
ORDER BY count(*) DESC, o.error_message
LIMIT %(limit)s
"""

# message_queue has no campaign or event column (schema.md §3): the whole queue in the window,
# and the event's rows found only through metadata->>'event_id' (the uuid as text).
QUEUE_SQL: Final = """
SELECT q.status::text AS status, q.channel, count(*) AS count,
       count(*) FILTER (WHERE q.metadata ->> 'event_id' = %(event_id)s) AS event_linked,
       min(q.created_at) FILTER (WHERE q.status = 'pending') AS oldest_pending_at
FROM message_queue q
WHERE q.created_at >= %(since)s
GROUP BY q.status, q.channel
ORDER BY q.status, q.channel
"""


@read_tool("get_notification_status")
async def get_notification_status(call: ToolCall) -> dict[str, Any]:
    """SMS delivery of the event's campaigns and the outbound queue over `hours_back` hours."""
    event = await resolve_event(call, call.arguments["eid"])
    hours = call.arguments["hours_back"]
    return {
        "event": {"eid": event.eid, "name": event.name},
        "sms": await sms_section(call, event),
        "queue": await queue_section(call, event, hours),
    }


async def sms_section(call: ToolCall, event: Event) -> dict[str, Any]:
    """Campaigns, outbound counts by status and the top failure reasons."""
    params = {"event_id": event.id, "limit": MAX_CAMPAIGNS}
    campaigns = await call.db.fetch_all(CAMPAIGNS_SQL, params)
    outbound = await call.db.fetch_all(OUTBOUND_SQL, params)
    failures = await call.db.fetch_all(FAILURES_SQL, params | {"limit": MAX_FAILURE_REASONS})

    counts = {row["status"]: int(row["count"]) for row in outbound}
    reasons = [{"error_message": r["error_message"], "count": int(r["count"])} for r in failures]
    return {
        "campaigns": block([campaign(row) for row in campaigns], _total(campaigns)),
        "outbound_by_status": {status: counts.get(status, 0) for status in OUTBOUND_STATUSES},
        "total_outbound": sum(counts.values()),
        "failure_reasons": block(reasons, _total(failures)),
    }


def campaign(row: dict[str, Any]) -> dict[str, Any]:
    """One campaign's message counters."""
    return {
        "campaign_id": str(row["id"]),
        "name": row["name"],
        "status": row["status"],
        "messages_sent": row["messages_sent"],
        "messages_delivered": row["messages_delivered"],
        "messages_failed": row["messages_failed"],
    }


async def queue_section(call: ToolCall, event: Event, hours: int) -> dict[str, Any]:
    """Queue counts by status and channel, the oldest pending age, and the event's rows."""
    params = {"event_id": event.id, "since": call.now - timedelta(hours=hours)}
    rows = await call.db.fetch_all(QUEUE_SQL, params)

    by_status, by_channel, linked = Counter[str](), Counter[str](), Counter[str]()
    for row in rows:
        by_status[row["status"]] += int(row["count"])
        by_channel[row["channel"]] += int(row["count"])
        linked[row["status"]] += int(row["event_linked"])
    pending = [row["oldest_pending_at"] for row in rows if row["oldest_pending_at"] is not None]
    oldest_age = int((call.now - min(pending)).total_seconds() // 60) if pending else None
    return {
        "window_hours": hours,
        "by_status": _statuses(by_status),
        "by_channel": dict(sorted(by_channel.items())),
        "oldest_pending_age_minutes": oldest_age,
        "event_linked_by_status": _statuses(linked),
    }


def _statuses(counts: Counter[str]) -> dict[str, int]:
    return {status: counts.get(status, 0) for status in QUEUE_STATUSES}


def _total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"]) if rows else 0
