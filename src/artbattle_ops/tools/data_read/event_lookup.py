"""lookup_event (tools.md §3.1): find events by EID, city or local date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Final

from artbattle_ops.tools.formats import name_words
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    EVENT_END_SQL,
    EVENT_SELECT,
    Event,
    event_money,
    event_phase,
    event_time,
    event_zone,
    resolve_event,
    word_clauses,
)
from artbattle_ops.tools.timefmt import zone

MAX_PAST_ITEMS: Final = 5
MAX_QUERY_WORDS: Final = 8

# Candidates: scheduled events, either around `on_date` (every zone's day overlaps this UTC
# window) or not yet over / started within `past_days`. The local date is checked in Python.
SEARCH_WHERE: Final = (
    "WHERE e.event_start_datetime IS NOT NULL AND {city} AND ("
    "  (%(window_from)s::timestamptz IS NOT NULL"
    "   AND e.event_start_datetime >= %(window_from)s::timestamptz"
    "   AND e.event_start_datetime < %(window_to)s::timestamptz)"
    "  OR (%(window_from)s::timestamptz IS NULL"
    "   AND (" + EVENT_END_SQL + " >= %(now)s"
    "        OR e.event_start_datetime >= %(past_from)s)))"
    " ORDER BY e.event_start_datetime, e.id"
)


def event_object(call: ToolCall, event: Event, *, full: bool = True) -> dict[str, Any]:
    """The event object of §3.1; search items leave out meta_ads_budget and the venue address."""
    item: dict[str, Any] = {
        "id": event.id,
        "eid": event.eid,
        "name": event.name,
        "event_level": event.event_level,
        "phase": event_phase(event.start, event.end, call.now),
        "start": event_time(call, event, event.start),
        "end": event_time(call, event, event.end),
        "timezone": event.timezone_icann,
        "enabled": event.enabled,
        "show_in_app": event.show_in_app,
        "visible_in_app": event.is_visible,
        "currency": event.currency,
        "capacity": event.capacity,
        "eventbrite_id": event.eventbrite_id,
        "city": _city(event),
        "venue": _venue(event, full=full),
    }
    if full:
        item["meta_ads_budget"] = event_money(call, event.meta_ads_budget, event)
    return item


def _city(event: Event) -> dict[str, Any] | None:
    if event.city_id is None:
        return None
    return {"id": event.city_id, "name": event.city_name, "country_code": event.country_code}


def _venue(event: Event, *, full: bool) -> dict[str, Any] | None:
    if event.venue_id is None:
        return None
    venue = {"id": event.venue_id, "name": event.venue_name}
    return {**venue, "address": event.venue_address} if full else venue


def local_date(event: Event) -> date | None:
    """The event's start date in its own zone (§1.5 zone rule)."""
    if event.start is None:
        return None
    tz = zone(event_zone(event)[0])
    return event.start.astimezone(tz).date() if tz else event.start.date()


@read_tool("lookup_event")
async def lookup_event(call: ToolCall) -> dict[str, Any]:
    """One event by EID, or upcoming and recent past events by city and/or local date."""
    args = call.arguments
    if args.get("eid"):
        return {"event": event_object(call, await resolve_event(call, args["eid"]))}

    on_date = date.fromisoformat(args["on_date"]) if args.get("on_date") else None
    events = await _candidates(call, args.get("city"), on_date, int(args["past_days"]))
    if on_date is not None:
        events = [event for event in events if local_date(event) == on_date]
    limit = int(args["limit"])

    upcoming = [e for e in events if event_phase(e.start, e.end, call.now) != "past"]
    past_from = call.now - timedelta(days=int(args["past_days"]))
    past = [
        e
        for e in events
        if event_phase(e.start, e.end, call.now) == "past"
        and (on_date is not None or (e.start is not None and e.start >= past_from))
    ]
    past.sort(key=lambda e: (-_epoch(e.start), e.id))
    return {
        "search": {"city": args.get("city"), "on_date": args.get("on_date")},
        "upcoming": _items(call, upcoming, limit),
        "recent_past": _items(call, past, min(limit, MAX_PAST_ITEMS)),
    }


def _epoch(instant: datetime | None) -> float:
    return instant.timestamp() if instant else 0.0


def _items(call: ToolCall, events: list[Event], limit: int) -> dict[str, Any]:
    shown = [event_object(call, event, full=False) for event in events[:limit]]
    return block(shown, total=len(events))


async def _candidates(
    call: ToolCall, city: str | None, on_date: date | None, past_days: int
) -> list[Event]:
    words = name_words(city or "")[:MAX_QUERY_WORDS]
    city_sql, city_params = word_clauses("c.name", words, "city_word")
    name_sql, name_params = word_clauses("e.name", words, "name_word")
    city_filter = f"({city_sql} OR {name_sql})" if words else "TRUE"

    window_from = None
    if on_date is not None:
        window_from = datetime.combine(on_date, datetime.min.time(), call.now.tzinfo)
        window_from -= timedelta(days=1)
    params: dict[str, Any] = {**city_params, **name_params}
    params |= {
        "window_from": window_from,
        "window_to": window_from + timedelta(days=3) if window_from else None,
        "now": call.now,
        "past_from": call.now - timedelta(days=past_days),
    }
    rows = await call.db.fetch_all(EVENT_SELECT + SEARCH_WHERE.format(city=city_filter), params)
    return [Event.from_row(row) for row in rows]
