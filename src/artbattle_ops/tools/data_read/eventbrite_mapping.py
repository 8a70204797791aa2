"""`get_eventbrite_mapping` (tools.md §3.14): how events link to Eventbrite, and shared ids."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from artbattle_ops.tools.data_read.eventbrite import as_utc, eventbrite_id
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    EVENT_SELECT,
    Event,
    display_time,
    event_time,
    resolve_event,
)

MAX_EVENTS: Final = 200

# Events starting within the window; `only_missing` keeps those without an eventbrite_id.
UPCOMING_FILTER: Final = """
WHERE e.event_start_datetime >= %(now)s AND e.event_start_datetime < %(until)s
  AND (NOT %(only_missing)s OR NULLIF(btrim(e.eventbrite_id), '') IS NULL)
"""

UPCOMING_SQL: Final = (
    EVENT_SELECT + UPCOMING_FILTER + "ORDER BY e.event_start_datetime, e.id\nLIMIT %(limit)s\n"
)

UPCOMING_COUNT_SQL: Final = "SELECT count(*) AS total FROM events e" + UPCOMING_FILTER

# The last fetch is matched on the event's own EID and id (index (eid, fetched_at DESC)); the
# other events with the same id are found through the index on eventbrite_id.
LINKS_SQL: Final = """
SELECT e.id,
       (SELECT max(c.fetched_at)
          FROM eventbrite_api_cache c
         WHERE c.eid = e.eid AND c.eventbrite_id = e.eventbrite_id) AS last_fetched_at,
       ARRAY(SELECT o.eid
               FROM events o
              WHERE o.eventbrite_id = e.eventbrite_id AND o.id <> e.id
                AND btrim(e.eventbrite_id) <> ''
              ORDER BY o.eid) AS shared_with
FROM events e
WHERE e.id = ANY(%(event_ids)s::uuid[])
"""


@read_tool("get_eventbrite_mapping")
async def get_eventbrite_mapping(call: ToolCall) -> dict[str, Any]:
    """One event's Eventbrite link, or the links of the events starting in the next days."""
    if call.arguments.get("eid"):
        event = await resolve_event(call, call.arguments["eid"])
        return {"events": await mapping_block(call, [event], 1)}

    params = {
        "now": call.now,
        "until": call.now + timedelta(days=call.arguments["days_ahead"]),
        "only_missing": call.arguments["only_missing"],
        "limit": MAX_EVENTS,
    }
    rows = await call.db.fetch_all(UPCOMING_SQL, params)
    [count] = await call.db.fetch_all(UPCOMING_COUNT_SQL, params)
    events = [Event.from_row(row) for row in rows]
    return {"events": await mapping_block(call, events, int(count["total"]))}


async def mapping_block(call: ToolCall, events: list[Event], total: int) -> dict[str, Any]:
    """The list block of mapping items, in the order of `events`."""
    rows = await call.db.fetch_all(LINKS_SQL, {"event_ids": [event.id for event in events]})
    links = {str(row["id"]): row for row in rows}
    return block([mapping_item(call, event, links[event.id]) for event in events], total)


def mapping_item(call: ToolCall, event: Event, link: dict[str, Any]) -> dict[str, Any]:
    """{eid, name, start, visible_in_app, eventbrite_id, linked, last_fetched_at, shared_with}."""
    linked_id = eventbrite_id(event)
    fetched = link["last_fetched_at"]
    return {
        "eid": event.eid,
        "name": event.name,
        "start": event_time(call, event, event.start),
        "visible_in_app": event.is_visible,
        "eventbrite_id": linked_id,
        "linked": linked_id is not None,
        "last_fetched_at": None if fetched is None else display_time(call, as_utc(fetched)),
        "shared_with": list(link["shared_with"] or []),
    }
