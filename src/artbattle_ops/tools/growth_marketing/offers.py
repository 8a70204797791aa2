"""get_active_offers (tools.md §6.6): live offers, where they apply, and what inventory is left."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.growth_marketing.passthrough import cut_text
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money
from artbattle_ops.tools.shared import Event, display_time, resolve_event

MAX_DESCRIPTION_CHARS: Final = 300

# Offers have no event column (schema.md §3): eid and city only filter on geography_scope, where
# an empty scope means everywhere. Each filter is a list of accepted scope entries (city name or
# uuid), compared accent- and case-folded; a null list means no filter.
OFFERS_SQL: Final = """
SELECT o.id, o.name, o.description, o.type, o.value, o.currency, o.total_inventory,
       o.start_date, o.end_date, o.geography_scope,
       (SELECT count(*) FROM offer_redemptions r WHERE r.offer_id = o.id) AS redemptions,
       count(*) OVER () AS total
FROM offers o
WHERE o.active IS TRUE
  AND (o.start_date IS NULL OR o.start_date <= %(now)s)
  AND (%(include_expired)s::boolean OR o.end_date IS NULL OR o.end_date > %(now)s)
  AND (%(event_places)s::text[] IS NULL OR COALESCE(cardinality(o.geography_scope), 0) = 0
       OR EXISTS (SELECT 1 FROM unnest(o.geography_scope) s, unnest(%(event_places)s::text[]) p
                  WHERE esbmcp_fold(btrim(s)) = esbmcp_fold(p)))
  AND (%(city)s::text IS NULL OR COALESCE(cardinality(o.geography_scope), 0) = 0
       OR EXISTS (SELECT 1 FROM unnest(o.geography_scope) s
                  WHERE esbmcp_fold(btrim(s)) = esbmcp_fold(%(city)s::text)))
ORDER BY o.end_date ASC NULLS LAST, o.name, o.id
LIMIT %(limit)s
"""


@read_tool("get_active_offers")
async def get_active_offers(call: ToolCall) -> dict[str, Any]:
    """Active offers, soonest ending first, optionally only those that apply in a city."""
    eid, city = call.arguments.get("eid"), call.arguments.get("city")
    event = None if eid is None else await resolve_event(call, eid)
    params = {
        "now": call.now,
        "include_expired": call.arguments["include_expired"],
        "event_places": None if event is None else event_places(event),
        "city": city,
        "limit": call.arguments["limit"],
    }
    rows = await call.db.fetch_all(OFFERS_SQL, params)

    total = int(rows[0]["total"]) if rows else 0
    offers = block([offer(call, row) for row in rows], total)
    return {"offers": offers, "note": None if event is None else event_note(event)}


def event_places(event: Event) -> list[str]:
    """The scope entries that cover the event: its city's name and uuid (none without a city)."""
    return [place for place in (event.city_name, event.city_id) if place]


def event_note(event: Event) -> str:
    """Why an eid filter is only a city filter."""
    if event.city_name is None:
        return (
            f"Offers are not linked to events, and {event.eid} has no city: "
            "only offers that apply everywhere are listed."
        )
    return (
        f"Offers are not linked to events: these are the offers that apply in {event.city_name}, "
        f"the city of {event.eid}, or everywhere."
    )


def offer(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    """One offer with its redemptions and remaining inventory."""
    inventory, redemptions = row["total_inventory"], int(row["redemptions"])
    remaining = None if inventory is None else inventory - redemptions
    if row["value"] is not None and row["currency"] is None:
        call.warn("currency_missing", f"Offer {row['id']} has no currency.")
    return {
        "offer_id": str(row["id"]),
        "name": row["name"],
        "description": cut_text(row["description"], MAX_DESCRIPTION_CHARS),
        "type": row["type"],
        "value": money(row["value"], row["currency"]),
        "total_inventory": inventory,
        "redemptions": redemptions,
        "remaining": remaining,
        "sold_out": remaining is not None and remaining <= 0,
        "start_date": display_time(call, row["start_date"]),
        "end_date": display_time(call, row["end_date"]),
        "geography_scope": list(row["geography_scope"] or []),
    }
