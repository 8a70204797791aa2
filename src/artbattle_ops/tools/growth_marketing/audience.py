"""get_sms_audience_count (tools.md §6.3): how many people an SMS campaign could reach."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.formats import PHONE_KEY_SQL
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.shared import Event, resolve_event

GLOBAL_AUDIENCE: Final = "all_with_phone"

# Who took part in the events of `event_ids`: voted, bid, or made a valid QR scan.
VOTERS: Final = "SELECT v.person_id FROM votes v WHERE v.event_id = ANY(%(event_ids)s::uuid[])"
BIDDERS: Final = """SELECT b.person_id FROM bids b JOIN art a ON a.id = b.art_id
WHERE a.event_id = ANY(%(event_ids)s::uuid[])"""
SCANNERS: Final = """SELECT s.person_id FROM people_qr_scans s
WHERE s.event_id = ANY(%(event_ids)s::uuid[]) AND s.is_valid IS TRUE"""
ATTENDEES: Final = "\nUNION\n".join((VOTERS, BIDDERS, SCANNERS))
WITH_PHONE: Final = "SELECT p.id AS person_id FROM people p WHERE p.phone IS NOT NULL"

AUDIENCES: Final = {
    "event_attendees": ATTENDEES,
    "event_voters": VOTERS,
    "event_bidders": BIDDERS,
    "city_audience": ATTENDEES,
    GLOBAL_AUDIENCE: WITH_PHONE,
}

DEFINITIONS: Final = {
    "event_attendees": "People who voted, bid or made a valid QR scan at {eid}.",
    "event_voters": "People who voted at {eid}.",
    "event_bidders": "People who bid on an artwork at {eid}.",
    "city_audience": "People who voted, bid or made a valid QR scan at any event in {city}.",
    GLOBAL_AUDIENCE: "Everyone with a phone number on file.",
}

# A valid phone key has 8-15 digits (§1.2); a non-zero message_blocked forbids marketing SMS.
COUNT_SQL: Final = """
WITH audience AS ({audience})
SELECT count(*) AS people,
       count(*) FILTER (WHERE length(k.phone_key) BETWEEN 8 AND 15) AS with_phone,
       count(*) FILTER (WHERE length(k.phone_key) BETWEEN 8 AND 15
                          AND COALESCE(p.message_blocked, 0) = 0) AS reachable
FROM people p
CROSS JOIN LATERAL (SELECT {phone_key} AS phone_key) k
WHERE p.id IN (SELECT a.person_id FROM audience a)
"""

COUNT_QUERIES: Final = {
    name: COUNT_SQL.format(
        audience=audience,
        phone_key=PHONE_KEY_SQL.format(column="p.phone"),
    )
    for name, audience in AUDIENCES.items()
}

CITY_EVENTS_SQL: Final = "SELECT e.id FROM events e WHERE e.city_id = %(city_id)s ORDER BY e.id"


@read_tool("get_sms_audience_count")
async def get_sms_audience_count(call: ToolCall) -> dict[str, Any]:
    """Counts of the audience: people, those with a valid phone, and those reachable."""
    audience = call.arguments["audience_filter"]
    eid = call.arguments.get("eid")
    if eid is None and audience != GLOBAL_AUDIENCE:
        message = f"Provide eid: the {audience} audience is built from an event."
        raise InvalidArgumentsError(message, argument="eid", details=[message])

    event = None if audience == GLOBAL_AUDIENCE or eid is None else await resolve_event(call, eid)
    event_ids = await audience_events(call, event, audience)
    [row] = await call.db.fetch_all(COUNT_QUERIES[audience], {"event_ids": event_ids})

    return {
        "eid": None if event is None else event.eid,
        "audience_filter": audience,
        "definition": definition(event, audience),
        **{name: int(row[name]) for name in ("people", "with_phone", "reachable")},
    }


async def audience_events(call: ToolCall, event: Event | None, audience: str) -> list[str]:
    """The events the audience comes from: the event, or every event of its city."""
    if event is None:
        return []
    if audience != "city_audience":
        return [event.id]
    if event.city_id is None:
        call.warn("partial_data", f"{event.eid} has no city; the city audience is its own only.")
        return [event.id]
    rows = await call.db.fetch_all(CITY_EVENTS_SQL, {"city_id": event.city_id})
    return [str(row["id"]) for row in rows]


def definition(event: Event | None, audience: str) -> str:
    """One sentence the model can repeat."""
    eid = "" if event is None else event.eid
    city = (event.city_name if event else None) or eid
    return DEFINITIONS[audience].format(eid=eid, city=city)
