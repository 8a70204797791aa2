"""Events as every tool sees them (tools.md §1.5, §1.10): resolution, zone, phase, visibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.registry import ToolCall
from artbattle_ops.tools.results import money
from artbattle_ops.tools.timefmt import time_object, zone

EVENT_HINT: Final = "Use lookup_event with a city name to find the EID."
DEFAULT_EVENT_DURATION: Final = timedelta(hours=4)

# Event resolution (§1.10): the event with its city, country, city zone and venue, one query.
# Compose it with a WHERE clause: `EVENT_SELECT + "WHERE e.eid = %(eid)s"`.
EVENT_SELECT: Final = """
SELECT e.id, e.eid, e.name, e.event_level::text AS event_level,
       e.event_start_datetime, e.event_end_datetime, e.timezone_icann,
       e.enabled, e.show_in_app, e.currency, e.capacity, e.eventbrite_id, e.meta_ads_budget,
       e.artist_auction_portion, e.updated_at, e.city_id, e.venue_id,
       c.name AS city_name, co.code AS country_code, co.currency_code AS country_currency,
       tz.icann AS city_timezone, v.name AS venue_name, v.address AS venue_address
FROM events e
LEFT JOIN cities c ON c.id = e.city_id
LEFT JOIN countries co ON co.id = c.country_id
LEFT JOIN timezones tz ON tz.id = c.timezone_id
LEFT JOIN venues v ON v.id = e.venue_id
"""

# App visibility (§1.10): a null flag counts as not visible.
VISIBLE_SQL: Final = "(e.enabled IS TRUE AND e.show_in_app IS TRUE)"

# The instant an event counts as over (§1.5): a missing end is start + 4 h.
EVENT_END_SQL: Final = "COALESCE(e.event_end_datetime, e.event_start_datetime + interval '4 hours')"


@dataclass(frozen=True)
class Event:
    """One resolved event row (§1.10), with its city, country, city zone and venue."""

    id: str
    eid: str
    name: str | None
    event_level: str | None
    start: datetime | None
    end: datetime | None
    timezone_icann: str | None
    enabled: bool | None
    show_in_app: bool | None
    currency: str | None
    capacity: int | None
    eventbrite_id: str | None
    meta_ads_budget: Decimal | None
    artist_auction_portion: Decimal | None
    updated_at: datetime | None
    city_id: str | None
    venue_id: str | None
    city_name: str | None
    country_code: str | None
    country_currency: str | None
    city_timezone: str | None
    venue_name: str | None
    venue_address: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        """An `Event` from a row of `EVENT_SELECT`."""
        values = {name: row[name] for name in _EVENT_COLUMNS}
        return cls(
            id=str(row["id"]),
            city_id=_text(row["city_id"]),
            venue_id=_text(row["venue_id"]),
            start=row["event_start_datetime"],
            end=row["event_end_datetime"],
            **values,
        )

    @property
    def is_visible(self) -> bool:
        """App visibility (§1.10)."""
        return is_visible(self.enabled, self.show_in_app)


_EVENT_COLUMNS: Final = (
    "eid",
    "name",
    "event_level",
    "timezone_icann",
    "enabled",
    "show_in_app",
    "currency",
    "capacity",
    "eventbrite_id",
    "meta_ads_budget",
    "artist_auction_portion",
    "updated_at",
    "city_name",
    "country_code",
    "country_currency",
    "city_timezone",
    "venue_name",
    "venue_address",
)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


async def resolve_event(call: ToolCall, eid: str) -> Event:
    """The event with this (normalised) EID (§1.10).

    Raises:
        NotFoundError: no event has this EID.
    """
    row = await call.db.fetch_one(EVENT_SELECT + "WHERE e.eid = %(eid)s", {"eid": eid})
    if row is None:
        raise NotFoundError(f"No event found with eid {eid}.", argument="eid", hint=EVENT_HINT)
    return Event.from_row(row)


def is_visible(enabled: bool | None, show_in_app: bool | None) -> bool:
    """App visibility (§1.10): `enabled IS TRUE AND show_in_app IS TRUE`."""
    return enabled is True and show_in_app is True


def event_zone(event: Event) -> tuple[str, str]:
    """The zone of an event's instants and its basis (§1.5): event, then city, then UTC."""
    if event.timezone_icann and zone(event.timezone_icann) is not None:
        return event.timezone_icann, "event"
    if event.city_timezone and zone(event.city_timezone) is not None:
        return event.city_timezone, "city"
    return "UTC", "utc_fallback"


def event_time(call: ToolCall, event: Event, instant: datetime | None) -> dict[str, Any] | None:
    """A time object for an instant that belongs to `event` (§1.5).

    Falling back to UTC adds one `timezone_assumed` warning naming the EID.
    """
    if instant is None:
        return None
    name, basis = event_zone(event)
    if basis == "utc_fallback":
        warn_once(call, "timezone_assumed", f"{event.eid} has no valid timezone; times are in UTC.")
    return time_object(instant, name, basis)


def display_time(call: ToolCall, instant: datetime | None) -> dict[str, Any] | None:
    """A time object for an instant that belongs to no event (`DISPLAY_TIMEZONE`, §1.5)."""
    return time_object(instant, call.settings.display_timezone, "display")


def warn_once(call: ToolCall, code: str, message: str) -> None:
    """Add a warning unless the same one is already in the result."""
    if {"code": code, "message": message} not in call.warnings:
        call.warn(code, message)


def event_phase(start: datetime | None, end: datetime | None, now: datetime) -> str:
    """upcoming, in_progress, past or unscheduled (§1.5); a missing end is start + 4 h."""
    if start is None:
        return "unscheduled"
    if now < start:
        return "upcoming"
    if now <= (end or start + DEFAULT_EVENT_DURATION):
        return "in_progress"
    return "past"


def event_money(call: ToolCall, amount: Decimal | None, event: Event) -> dict[str, Any] | None:
    """A money object in the event currency (§1.6); warns `currency_missing` when it has none."""
    if amount is not None and not event.currency:
        warn_once(call, "currency_missing", f"{event.eid} has no currency; amounts have none.")
    return money(amount, event.currency or None)
