"""lookup_artwork_bids (tools.md §3.4): one row per artwork of an event, with its bid figures."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    SALE_PRICE_SQL,
    Event,
    event_money,
    event_time,
    resolve_event,
)

MAX_ARTWORKS: Final = 200
PROFILE_HINT: Final = "Use lookup_artist_profile to find the artist_profile_id."

# Bids are aggregated per artwork in a lateral subquery, so no join multiplies rows.
ARTWORKS_SQL: Final = (
    """
SELECT a.id, a.art_code, a.round, a.easel, a.status::text AS status, a.current_bid,
       a.final_price, """
    + SALE_PRICE_SQL
    + """ AS sale_price, a.closing_time, a.winner_id IS NOT NULL AS has_winner,
       a.artist_id, ap.name AS artist_name,
       b.bid_count, b.top_bid, b.lowest_bid, b.last_bid_at,
       count(*) OVER () AS total_artworks
FROM art a
LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
CROSS JOIN LATERAL (
    SELECT count(*) AS bid_count, max(x.amount) AS top_bid, min(x.amount) AS lowest_bid,
           max(x.created_at) AS last_bid_at
    FROM bids x
    WHERE x.art_id = a.id
) b
WHERE a.event_id = %(event_id)s
  AND (%(round)s::int IS NULL OR a.round = %(round)s::int)
  AND (%(artist_id)s::uuid IS NULL OR a.artist_id = %(artist_id)s::uuid)
ORDER BY a.round, a.easel, a.art_code, a.id
LIMIT %(limit)s
"""
)


async def ensure_profile_exists(call: ToolCall, artist_profile_id: str) -> None:
    """Raise `not_found` for a well-formed artist_profile_id that has no row (§1.2)."""
    row = await call.db.fetch_one(
        "SELECT 1 AS found FROM artist_profiles WHERE id = %(id)s", {"id": artist_profile_id}
    )
    if row is None:
        raise NotFoundError(
            f"No artist profile found with artist_profile_id {artist_profile_id}.",
            argument="artist_profile_id",
            hint=PROFILE_HINT,
        )


def _artwork(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    artist = None
    if row["artist_id"] is not None:
        artist = {"artist_profile_id": str(row["artist_id"]), "name": row["artist_name"]}
    return {
        "art_id": str(row["id"]),
        "art_code": row["art_code"],
        "round": row["round"],
        "easel": row["easel"],
        "status": row["status"],
        "artist": artist,
        "bid_count": int(row["bid_count"]),
        "top_bid": event_money(call, row["top_bid"], event),
        "lowest_bid": event_money(call, row["lowest_bid"], event),
        "last_bid_at": event_time(call, event, row["last_bid_at"]),
        "current_bid": event_money(call, row["current_bid"], event),
        "final_price": event_money(call, row["final_price"], event),
        "sale_price": event_money(call, row["sale_price"], event),
        "has_winner": row["has_winner"],
        "closing_time": event_time(call, event, row["closing_time"]),
    }


@read_tool("lookup_artwork_bids")
async def lookup_artwork_bids(call: ToolCall) -> dict[str, Any]:
    """Every artwork of an event (or one artist's, or one round's), by round and easel."""
    event = await resolve_event(call, call.arguments["eid"])
    artist_id = call.arguments.get("artist_profile_id")
    if artist_id:
        await ensure_profile_exists(call, artist_id)

    params = {
        "event_id": event.id,
        "round": call.arguments.get("round"),
        "artist_id": artist_id or None,
        "limit": MAX_ARTWORKS,
    }
    rows = await call.db.fetch_all(ARTWORKS_SQL, params)

    total = int(rows[0]["total_artworks"]) if rows else 0
    return {
        "event": {"eid": event.eid, "name": event.name, "currency": event.currency},
        "artworks": block([_artwork(call, event, row) for row in rows], total=total),
    }
