"""`get_auction_revenue` (tools.md §3.12): sold and paid works at their sale price, by group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    SALE_PRICE_SQL,
    Event,
    artist_share,
    event_money,
    resolve_event,
)

MAX_ROWS: Final = 200
HUNDRED: Final = Decimal(100)
DEFAULT_PORTION: Final = Decimal("0.5")

# The works of the event with their sale price (§1.6): null unless the work is sold or paid.
PRICED_ART: Final = (
    "(SELECT a.status, a.round, a.artist_id, "
    + SALE_PRICE_SQL
    + " AS sale_price FROM art a WHERE a.event_id = %(event_id)s) s"
)

# The figures of every row (§3.12), over the priced works `s`.
ROW_FIGURES: Final = """
count(*) FILTER (WHERE s.status IN ('sold', 'paid')) AS works_sold,
sum(s.sale_price) AS gross,
sum(s.sale_price) FILTER (WHERE s.status = 'paid') AS paid,
sum(s.sale_price) FILTER (WHERE s.status = 'sold') AS awaiting_payment,
max(s.sale_price) AS highest,
avg(s.sale_price) AS average
"""

TAX_SQL: Final = "SELECT e.tax FROM events e WHERE e.id = %(event_id)s"

TOTAL_SQL: Final = (
    "SELECT count(*) FILTER (WHERE s.status NOT IN ('sold', 'paid')) AS unsold_count,"
    + ROW_FIGURES
    + "FROM "
    + PRICED_ART
)

BY_ARTIST_SQL: Final = (
    "SELECT s.artist_id, ap.name AS artist_name, count(*) OVER () AS total,"
    + ROW_FIGURES
    + "FROM "
    + PRICED_ART
    + """
LEFT JOIN artist_profiles ap ON ap.id = s.artist_id
WHERE s.status IN ('sold', 'paid')
GROUP BY s.artist_id, ap.name
ORDER BY sum(s.sale_price) DESC, s.artist_id NULLS LAST
LIMIT %(limit)s
"""
)

BY_ROUND_SQL: Final = (
    "SELECT s.round, count(*) OVER () AS total,"
    + ROW_FIGURES
    + "FROM "
    + PRICED_ART
    + """
WHERE s.status IN ('sold', 'paid')
GROUP BY s.round
ORDER BY s.round
LIMIT %(limit)s
"""
)


@read_tool("get_auction_revenue")
async def get_auction_revenue(call: ToolCall) -> dict[str, Any]:
    """Auction revenue of one event: one summary, or a breakdown per artist or per round."""
    event = await resolve_event(call, call.arguments["eid"])
    group_by = call.arguments["group_by"]
    params = {"event_id": event.id, "limit": MAX_ROWS}
    [tax_row] = await call.db.fetch_all(TAX_SQL, params)
    tax = tax_row["tax"]

    data = {"event": revenue_header(event, tax), "group_by": group_by}
    if group_by == "total":
        [row] = await call.db.fetch_all(TOTAL_SQL, params)
        return data | {"summary": total_summary(call, event, tax, row)}

    query = BY_ARTIST_SQL if group_by == "artist" else BY_ROUND_SQL
    rows = await call.db.fetch_all(query, params)
    items = [breakdown_row(call, event, group_by, row) for row in rows]
    return data | {"breakdown": block(items, int(rows[0]["total"]) if rows else 0)}


def revenue_header(event: Event, tax: Decimal | None) -> dict[str, Any]:
    """{eid, name, currency, tax_pct, artist_auction_portion}."""
    return {
        "eid": event.eid,
        "name": event.name,
        "currency": event.currency,
        "tax_pct": None if tax is None else float(tax),
        "artist_auction_portion": float(portion_of(event)),
    }


def portion_of(event: Event) -> Decimal:
    """The artist's share of a sale, 0.5 when the event has none (§1.6)."""
    portion = event.artist_auction_portion
    return DEFAULT_PORTION if portion is None else portion


def row_figures(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """works_sold, gross, paid, awaiting_payment, highest and average, as money."""
    sums = {
        key: event_money(call, row[key] if row[key] is not None else Decimal(0), event)
        for key in ("gross", "paid", "awaiting_payment")
    }
    extremes = {key: event_money(call, row[key], event) for key in ("highest", "average")}
    return {"works_sold": row["works_sold"]} | sums | extremes


def total_summary(
    call: ToolCall, event: Event, tax: Decimal | None, row: dict[str, Any]
) -> dict[str, Any]:
    """The row figures, unsold works, the gross with tax, and the artist and house shares."""
    gross = row["gross"] if row["gross"] is not None else Decimal(0)
    share = artist_share(gross, portion_of(event)) or Decimal(0)
    with_tax = None if tax is None else gross * (1 + tax / HUNDRED)
    return row_figures(call, event, row) | {
        "unsold_count": row["unsold_count"],
        "gross_with_tax": event_money(call, with_tax, event),
        "artist_share": event_money(call, share, event),
        "house_share": event_money(call, gross - share, event),
    }


def breakdown_row(
    call: ToolCall, event: Event, group_by: str, row: dict[str, Any]
) -> dict[str, Any]:
    """One artist's or one round's figures; works with no artist share one row, artist null."""
    if group_by == "round":
        return {"round": row["round"]} | row_figures(call, event, row)
    artist = None
    if row["artist_id"] is not None:
        artist = {"artist_profile_id": str(row["artist_id"]), "name": row["artist_name"]}
    return {"artist": artist} | row_figures(call, event, row)
