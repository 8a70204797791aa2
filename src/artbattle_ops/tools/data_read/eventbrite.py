"""`get_eventbrite_data` and `get_eventbrite_fees` (tools.md §3.13, §3.15): latest snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money
from artbattle_ops.tools.shared import Event, display_time, event_phase, resolve_event
from artbattle_ops.tools.shared.events import DEFAULT_EVENT_DURATION

STALE_AFTER: Final = timedelta(minutes=360)
MAX_TICKET_CLASSES: Final = 20
FAILED_STATUS: Final = "error"

# The latest snapshot only (§3.13), matched on the event's own EID as well as its eventbrite_id:
# two events may share an eventbrite_id (§3.14), and neither may report the other's snapshot.
# Served by the index (eid, fetched_at DESC).
DATA_SQL: Final = """
SELECT c.eventbrite_event_name, c.fetched_at, c.expires_at, c.total_tickets_sold,
       c.total_capacity, c.gross_revenue, c.net_deposit, c.total_fees, c.currency_code,
       c.ticket_classes, c.api_response_status, c.data_quality_score, c.data_quality_flags
FROM eventbrite_api_cache c
WHERE c.eid = %(eid)s AND c.eventbrite_id = %(eventbrite_id)s
ORDER BY c.fetched_at DESC, c.id DESC
LIMIT 1
"""

FEES_SQL: Final = """
SELECT c.gross_revenue, c.ticket_revenue, c.total_fees, c.eventbrite_fees,
       c.payment_processing_fees, c.taxes_collected, c.net_deposit, c.total_tickets_sold,
       c.currency_code, c.fetched_at, c.expires_at, c.api_response_status
FROM eventbrite_api_cache c
WHERE c.eid = %(eid)s AND c.eventbrite_id = %(eventbrite_id)s
ORDER BY c.fetched_at DESC, c.id DESC
LIMIT 1
"""


@dataclass(frozen=True)
class Freshness:
    """How old a snapshot is at `meta.generated_at`, and whether it counts as stale."""

    fetched_at: datetime
    age_minutes: int
    stale: bool


@read_tool("get_eventbrite_data")
async def get_eventbrite_data(call: ToolCall) -> dict[str, Any]:
    """Ticket sales from the event's latest Eventbrite snapshot, or `linked: false`."""
    event = await resolve_event(call, call.arguments["eid"])
    row = await latest_snapshot(call, event, DATA_SQL)
    data = {"eid": event.eid, "eventbrite_id": eventbrite_id(event), "linked": is_linked(event)}
    if row is None:
        return data | {"snapshot": None}

    fresh = freshness(call, event, row["fetched_at"], row["expires_at"])
    currency = row["currency_code"]
    classes = row["ticket_classes"] if isinstance(row["ticket_classes"], list) else []
    return data | {
        "snapshot": {
            "fetched_at": display_time(call, fresh.fetched_at),
            "age_minutes": fresh.age_minutes,
            "stale": fresh.stale,
            "eventbrite_event_name": row["eventbrite_event_name"],
            "tickets_sold": row["total_tickets_sold"],
            "total_capacity": row["total_capacity"],
            "sell_through_pct": percent(row["total_tickets_sold"], row["total_capacity"]),
            "gross_revenue": money(row["gross_revenue"], currency),
            "net_deposit": money(row["net_deposit"], currency),
            "total_fees": money(row["total_fees"], currency),
            "ticket_classes": ticket_classes(classes, currency),
            "api_response_status": row["api_response_status"],
            "data_quality_score": row["data_quality_score"],
            "data_quality_flags": row["data_quality_flags"] or [],
        }
    }


@read_tool("get_eventbrite_fees")
async def get_eventbrite_fees(call: ToolCall) -> dict[str, Any]:
    """Fees and payout from the event's latest Eventbrite snapshot, or `linked: false`."""
    event = await resolve_event(call, call.arguments["eid"])
    row = await latest_snapshot(call, event, FEES_SQL)
    data = {"eid": event.eid, "eventbrite_id": eventbrite_id(event), "linked": is_linked(event)}
    if row is None:
        return data | {"fees": None}

    fresh = freshness(call, event, row["fetched_at"], row["expires_at"])
    currency = row["currency_code"]
    amounts = (
        "gross_revenue",
        "ticket_revenue",
        "total_fees",
        "eventbrite_fees",
        "payment_processing_fees",
        "taxes_collected",
        "net_deposit",
    )
    fees = {
        "fetched_at": display_time(call, fresh.fetched_at),
        "age_minutes": fresh.age_minutes,
        "stale": fresh.stale,
        "currency": currency,
    }
    fees |= {name: money(row[name], currency) for name in amounts}
    return data | {"fees": fees | fee_ratios(row)}


def fee_ratios(row: dict[str, Any]) -> dict[str, Any]:
    """taxes_broken_out, tickets_sold, fees_per_ticket and fee_pct_of_gross.

    The ratios are null on a zero divisor. Zero taxes mean "not reported", not "no tax".
    """
    fees, sold, gross = row["total_fees"], row["total_tickets_sold"], row["gross_revenue"]
    per_ticket = fees / sold if fees is not None and sold else None
    return {
        "taxes_broken_out": bool(row["taxes_collected"]),
        "tickets_sold": sold,
        "fees_per_ticket": money(per_ticket, row["currency_code"]),
        "fee_pct_of_gross": percent(fees, gross),
    }


def is_linked(event: Event) -> bool:
    """The event has an Eventbrite page."""
    return eventbrite_id(event) is not None


def eventbrite_id(event: Event) -> str | None:
    """The event's eventbrite_id, None when missing or blank."""
    value = (event.eventbrite_id or "").strip()
    return value or None


async def latest_snapshot(call: ToolCall, event: Event, query: str) -> dict[str, Any] | None:
    """The event's newest cache row from `query`, or None when unlinked or never fetched.

    Adds the `currency_missing`, `currency_mismatch` and failed-fetch `partial_data` warnings.
    """
    linked_id = eventbrite_id(event)
    if linked_id is None:
        return None
    row = await call.db.fetch_one(query, {"eid": event.eid, "eventbrite_id": linked_id})
    if row is None:
        return None

    currency = row["currency_code"]
    if not currency:
        call.warn("currency_missing", f"The Eventbrite snapshot of {event.eid} has no currency.")
    elif event.currency and currency != event.currency:
        message = f"Eventbrite reports {currency} for {event.eid}; the event uses {event.currency}."
        call.warn("currency_mismatch", message)
    if row["api_response_status"] == FAILED_STATUS:
        message = f"The latest Eventbrite fetch for {event.eid} failed; its figures are zero."
        call.warn("partial_data", message)
    return row


def freshness(
    call: ToolCall, event: Event, fetched_at: datetime, expires_at: datetime | None
) -> Freshness:
    """Age and staleness (§3.13); `fetched_at` and `expires_at` are UTC wall times.

    A final snapshot, fetched after the end of a past event, is never stale. A stale snapshot
    adds a `stale_data` warning giving its age.
    """
    fetched = as_utc(fetched_at)
    age_minutes = int((call.now - fetched).total_seconds() // 60)
    expired = expires_at is not None and call.now > as_utc(expires_at)
    stale = not is_final(event, fetched, call.now) and (
        age_minutes > STALE_AFTER.total_seconds() // 60 or expired
    )
    if stale:
        hours = age_minutes // 60
        message = f"The Eventbrite snapshot of {event.eid} is {age_minutes} minutes old"
        call.warn("stale_data", f"{message} (about {hours} h); sales may have changed since.")
    return Freshness(fetched, age_minutes, stale)


def is_final(event: Event, fetched: datetime, now: datetime) -> bool:
    """Fetched after the end (start + 4 h when missing) of an event that is over (§1.5)."""
    if event.start is None or event_phase(event.start, event.end, now) != "past":
        return False
    return fetched > (event.end or event.start + DEFAULT_EVENT_DURATION)


def as_utc(value: datetime) -> datetime:
    """A `timestamp without time zone` holding UTC, made aware."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def percent(part: Decimal | int | None, whole: Decimal | int | None) -> float | None:
    """part ÷ whole as a percentage with one decimal; None without a non-zero whole."""
    if part is None or not whole:
        return None
    ratio = Decimal(part) * 100 / Decimal(whole)
    return float(ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ticket_classes(classes: list[Any], currency: str | None) -> dict[str, Any]:
    """At most 20 ticket classes, in stored order, with the true total."""
    items = [
        {
            "name": entry.get("name"),
            "price": money(_decimal(entry.get("price")), currency),
            "quantity_sold": entry.get("quantity_sold"),
            "quantity_total": entry.get("quantity_total"),
            "on_sale_status": entry.get("on_sale_status"),
        }
        for entry in classes[:MAX_TICKET_CLASSES]
        if isinstance(entry, dict)
    ]
    return block(items, len(classes))


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None
