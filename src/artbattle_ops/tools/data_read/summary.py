"""`get_event_summary` (tools.md §3.9): one-screen totals of an event's art, sales, bids, votes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.shared import (
    SALE_PRICE_SQL,
    WEIGHTED_VOTES_SQL,
    Event,
    event_money,
    event_phase,
    event_time,
    resolve_event,
)

ART_STATUSES: Final = ("inactive", "active", "closed", "sold", "cancelled", "paid")

# Each aggregate runs in its own subquery over one table, so no join multiplies rows (§3.9).
# Only the shared SQL constants are composed in; every value is bound.
SUMMARY_SQL: Final = (
    """
SELECT art.total, art.inactive, art.active, art.closed, art.sold, art.cancelled, art.paid,
       art.unique_artists, art.gross_sales, art.paid_sales, art.awaiting_payment,
       art.highest_sale, art.average_sale,
       bid.total_bids, bid.unique_bidders,
       vote.total_votes, vote.unique_voters, vote.weighted_votes
FROM (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE s.status = 'inactive') AS inactive,
           count(*) FILTER (WHERE s.status = 'active') AS active,
           count(*) FILTER (WHERE s.status = 'closed') AS closed,
           count(*) FILTER (WHERE s.status = 'sold') AS sold,
           count(*) FILTER (WHERE s.status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE s.status = 'paid') AS paid,
           count(DISTINCT s.artist_id) AS unique_artists,
           sum(s.sale_price) AS gross_sales,
           sum(s.sale_price) FILTER (WHERE s.status = 'paid') AS paid_sales,
           sum(s.sale_price) FILTER (WHERE s.status = 'sold') AS awaiting_payment,
           max(s.sale_price) AS highest_sale,
           avg(s.sale_price) AS average_sale
    FROM (SELECT a.status, a.artist_id, """
    + SALE_PRICE_SQL
    + """ AS sale_price
          FROM art a
          WHERE a.event_id = %(event_id)s) s
) art
CROSS JOIN (
    SELECT count(b.id) AS total_bids, count(DISTINCT b.person_id) AS unique_bidders
    FROM art a
    JOIN bids b ON b.art_id = a.id
    WHERE a.event_id = %(event_id)s
) bid
CROSS JOIN (
    SELECT count(v.id) AS total_votes, count(DISTINCT v.person_id) AS unique_voters, """
    + WEIGHTED_VOTES_SQL
    + """ AS weighted_votes
    FROM votes v
    WHERE v.event_id = %(event_id)s
) vote
"""
)


@read_tool("get_event_summary")
async def get_event_summary(call: ToolCall) -> dict[str, Any]:
    """Totals for one event: artworks by status, sales as money, bids and votes."""
    event = await resolve_event(call, call.arguments["eid"])
    [row] = await call.db.fetch_all(SUMMARY_SQL, {"event_id": event.id})

    return {
        "event": event_header(call, event),
        "artworks": artworks_section(row),
        "sales": sales_section(call, event, row),
        "bids": {"total_bids": row["total_bids"], "unique_bidders": row["unique_bidders"]},
        "votes": {
            "total_votes": row["total_votes"],
            "unique_voters": row["unique_voters"],
            "weighted_votes": float(row["weighted_votes"]),
        },
    }


def event_header(call: ToolCall, event: Event) -> dict[str, Any]:
    """{eid, name, phase, currency, enabled, start, end}."""
    return {
        "eid": event.eid,
        "name": event.name,
        "phase": event_phase(event.start, event.end, call.now),
        "currency": event.currency,
        "enabled": event.enabled,
        "start": event_time(call, event, event.start),
        "end": event_time(call, event, event.end),
    }


def artworks_section(row: dict[str, Any]) -> dict[str, Any]:
    """Counts by status; unsold is every work not sold or paid, closed works included."""
    sold = row["sold"] + row["paid"]
    return {
        "total": row["total"],
        "by_status": {status: row[status] for status in ART_STATUSES},
        "sold_count": sold,
        "unsold_count": row["total"] - sold,
        "unique_artists": row["unique_artists"],
    }


def sales_section(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """Sales as money in the event currency; sums of no sold works are 0, extremes null."""
    sums = {
        key: event_money(call, row[key] if row[key] is not None else Decimal(0), event)
        for key in ("gross_sales", "paid_sales", "awaiting_payment")
    }
    extremes = {key: event_money(call, row[key], event) for key in ("highest_sale", "average_sale")}
    return sums | extremes
