"""get_sms_campaigns (tools.md §6.2): SMS marketing campaigns, their copy and delivery figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.data_read.eventbrite import percent
from artbattle_ops.tools.growth_marketing.passthrough import cut_json, cut_text
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money
from artbattle_ops.tools.shared import EVENT_SELECT, Event, display_time, event_time, resolve_event
from artbattle_ops.tools.timefmt import time_object, zone

MAX_MESSAGE_CHARS: Final = 1600
MAX_TARGETING_ITEMS: Final = 20
COST_CURRENCY: Final = "USD"
CAMPAIGN_BASIS: Final = "campaign"

# Only three keys of metadata are read: recipient lists are never read (§6.2).
CAMPAIGNS_SQL: Final = """
SELECT c.id, c.event_id, c.name, c.status,
       c.metadata ->> 'message_template' AS message_template,
       c.metadata ->> 'scheduled_timezone' AS scheduled_timezone,
       c.metadata ->> 'scheduled_local_time' AS scheduled_local_time,
       c.targeting_criteria, c.scheduled_at, c.started_at, c.completed_at, c.total_recipients,
       c.messages_sent, c.messages_delivered, c.messages_failed, c.replies_received, c.opt_outs,
       c.total_cost_cents, c.created_at, count(*) OVER () AS total
FROM sms_marketing_campaigns c
WHERE (%(event_id)s::uuid IS NULL OR c.event_id = %(event_id)s::uuid)
  AND (%(status)s::text IS NULL OR c.status = %(status)s::text)
ORDER BY c.created_at DESC NULLS LAST, c.id DESC
LIMIT %(limit)s
"""

EVENTS_BY_ID_SQL: Final = EVENT_SELECT + "WHERE e.id = ANY(%(ids)s::uuid[])"


@read_tool("get_sms_campaigns")
async def get_sms_campaigns(call: ToolCall) -> dict[str, Any]:
    """Campaigns newest first, optionally of one event or in one status."""
    eid = call.arguments.get("eid")
    event = None if eid is None else await resolve_event(call, eid)
    params = {
        "event_id": None if event is None else event.id,
        "status": call.arguments.get("status"),
        "limit": call.arguments["limit"],
    }
    rows = await call.db.fetch_all(CAMPAIGNS_SQL, params)
    events = await campaign_events(call, rows)

    items = [campaign(call, row, events.get(str(row["event_id"]))) for row in rows]
    return {"campaigns": block(items, int(rows[0]["total"]) if rows else 0)}


async def campaign_events(call: ToolCall, rows: list[dict[str, Any]]) -> dict[str, Event]:
    """The events the campaigns are linked to, by uuid (a link may point at no event)."""
    ids = sorted({str(row["event_id"]) for row in rows if row["event_id"] is not None})
    if not ids:
        return {}
    found = await call.db.fetch_all(EVENTS_BY_ID_SQL, {"ids": ids})
    return {str(row["id"]): Event.from_row(row) for row in found}


def campaign(call: ToolCall, row: dict[str, Any], event: Event | None) -> dict[str, Any]:
    """One campaign with its derived figures."""
    cents = row["total_cost_cents"]
    criteria = row["targeting_criteria"]
    return {
        "campaign_id": str(row["id"]),
        "name": row["name"],
        "status": row["status"],
        "event_eid": None if event is None else event.eid,
        "event_name": None if event is None else event.name,
        "message_body": cut_text(row["message_template"], MAX_MESSAGE_CHARS),
        "scheduled_at": scheduled_at(call, row, event),
        "scheduled_local_time": row["scheduled_local_time"],
        "started_at": schedule_time(call, event, row["started_at"]),
        "completed_at": schedule_time(call, event, row["completed_at"]),
        "total_recipients": row["total_recipients"],
        "messages_sent": row["messages_sent"],
        "messages_delivered": row["messages_delivered"],
        "messages_failed": row["messages_failed"],
        "replies_received": row["replies_received"],
        "opt_outs": row["opt_outs"],
        "delivery_rate_pct": percent(row["messages_delivered"], row["messages_sent"]),
        "total_cost": None if cents is None else money(cents / 100, COST_CURRENCY),
        "targeting_criteria": None if criteria is None else cut_json(criteria, MAX_TARGETING_ITEMS),
        "created_at": display_time(call, row["created_at"]),
    }


def scheduled_at(call: ToolCall, row: dict[str, Any], event: Event | None) -> dict[str, Any] | None:
    """The event's zone for an event campaign; else the campaign's own zone when valid (§6.2)."""
    instant, tz = row["scheduled_at"], row["scheduled_timezone"]
    if event is None and tz and zone(tz) is not None:
        return time_object(instant, tz, CAMPAIGN_BASIS)
    return schedule_time(call, event, instant)


def schedule_time(
    call: ToolCall, event: Event | None, instant: datetime | None
) -> dict[str, Any] | None:
    """An instant of the campaign's run: in the event's zone when it has one (§1.5)."""
    if event is None:
        return display_time(call, instant)
    return event_time(call, event, instant)
