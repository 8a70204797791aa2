"""get_event_config (tools.md §3.7): how an event is set up, grouped, and nothing else."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.shared import (
    Event,
    display_time,
    event_money,
    event_time,
    resolve_event,
)

DEFAULT_ROUND_DELAY_MINUTES: Final = 5

# Only the columns behind the result fields; never the event's contact email or phone.
CONFIG_SQL: Final = """
SELECT e.auction_close_starts_at, e.door_time, e.paint_time, e.showtime, e.current_round,
       e.expected_number_of_rounds, e.applications_open, e.enable_auction,
       e.auction_start_bid, e.min_bid_increment, e.tax, e.auction_close_round_delay,
       e.stripe_account_region, e.ticket_link, e.other_ads_budget, e.target_artists_booked,
       e.created_at
FROM events e
WHERE e.id = %(event_id)s
"""


def wall_time(value: time | None) -> str | None:
    """An event-local `time` column as "HH:MM", without conversion (§1.5)."""
    return None if value is None else value.strftime("%H:%M")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _schedule(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": event_time(call, event, event.start),
        "end": event_time(call, event, event.end),
        "auction_close_starts_at": event_time(call, event, row["auction_close_starts_at"]),
        "timezone": event.timezone_icann,
        "door_time": wall_time(row["door_time"]),
        "paint_time": wall_time(row["paint_time"]),
        "showtime": wall_time(row["showtime"]),
        "current_round": row["current_round"],
        "expected_number_of_rounds": row["expected_number_of_rounds"],
    }


def _auction(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    delay = row["auction_close_round_delay"]
    return {
        "enable_auction": row["enable_auction"],
        "auction_start_bid": event_money(call, row["auction_start_bid"], event),
        "min_bid_increment": event_money(call, row["min_bid_increment"], event),
        "tax_pct": _number(row["tax"]),
        "artist_auction_portion": _number(event.artist_auction_portion),
        "auction_close_round_delay": delay,
        "auction_close_round_delay_effective": (
            DEFAULT_ROUND_DELAY_MINUTES if delay is None else delay
        ),
        "stripe_account_region": row["stripe_account_region"],
    }


@read_tool("get_event_config")
async def get_event_config(call: ToolCall) -> dict[str, Any]:
    """The event's configuration, grouped as in §3.7."""
    event = await resolve_event(call, call.arguments["eid"])
    row = await call.db.fetch_one(CONFIG_SQL, {"event_id": event.id}) or {}

    return {
        "identity": {
            "id": event.id,
            "eid": event.eid,
            "name": event.name,
            "event_level": event.event_level,
        },
        "schedule": _schedule(call, event, row),
        "visibility": {
            "enabled": event.enabled,
            "show_in_app": event.show_in_app,
            "visible_in_app": event.is_visible,
            "applications_open": row["applications_open"],
        },
        "location": {"city": event.city_name, "venue": event.venue_name},
        "auction": _auction(call, event, row),
        "money": {"currency": event.currency},
        "ticketing": {
            "eventbrite_id": event.eventbrite_id,
            "ticket_link": row["ticket_link"],
            "capacity": event.capacity,
        },
        "marketing": {
            "meta_ads_budget": event_money(call, event.meta_ads_budget, event),
            "other_ads_budget": event_money(call, row["other_ads_budget"], event),
        },
        "producer": {"target_artists_booked": row["target_artists_booked"]},
        "timestamps": {
            "created_at": display_time(call, row["created_at"]),
            "updated_at": display_time(call, event.updated_at),
        },
    }
