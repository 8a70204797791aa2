"""`get_bid_history` and `get_auction_timing` (tools.md §3.10, §3.11): bids and closing times."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, event_money, event_phase, event_time, resolve_event
from artbattle_ops.tools.shared.art_reference import resolve_art_reference

MAX_ITEMS: Final = 200

# The top bid is the highest; of equal amounts, the one placed first.
BIDS_SQL: Final = """
SELECT b.id AS bid_id, b.amount, b.created_at, b.person_id,
       a.id AS art_id, a.art_code, a.round, a.easel,
       COALESCE(b.person_id = a.winner_id, false) AS is_winner,
       row_number() OVER (
           PARTITION BY b.art_id ORDER BY b.amount DESC, b.created_at, b.id
       ) = 1 AS is_top_bid,
       p.first_name, p.last_name, p.name, p.email, p.phone,
       count(*) OVER () AS total
FROM art a
JOIN bids b ON b.art_id = a.id
LEFT JOIN people p ON p.id = b.person_id
WHERE a.event_id = %(event_id)s
  AND (%(art_id)s::uuid IS NULL OR a.id = %(art_id)s::uuid)
ORDER BY a.round, a.easel, b.amount DESC, b.created_at DESC, b.id
LIMIT %(limit)s
"""

AUCTION_SETTINGS_SQL: Final = """
SELECT e.auction_close_starts_at, e.auction_close_round_delay
FROM events e
WHERE e.id = %(event_id)s
"""

ROUNDS_SQL: Final = """
SELECT r.id, r.round_number, r.is_finished, r.closing_time, r.created_at,
       count(*) OVER () AS total
FROM rounds r
WHERE r.event_id = %(event_id)s
ORDER BY r.round_number, r.id
LIMIT %(limit)s
"""

ARTWORKS_SQL: Final = """
SELECT a.id, a.art_code, a.round, a.easel, a.status::text AS status, ap.name AS artist_name,
       a.closing_time, a.auction_extended, a.extension_count,
       count(*) OVER () AS total,
       count(*) FILTER (WHERE a.status = 'active') OVER () AS active_works
FROM art a
LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
WHERE a.event_id = %(event_id)s
ORDER BY a.closing_time NULLS LAST, a.art_code, a.id
LIMIT %(limit)s
"""


@read_tool("get_bid_history")
async def get_bid_history(call: ToolCall) -> dict[str, Any]:
    """Individual bids of an event, or of one of its works, with the bidder's identity."""
    event = await resolve_event(call, call.arguments["eid"])
    art_id = None
    if call.arguments.get("art_id"):
        art = await resolve_art_reference(call, call.arguments["art_id"], event.eid)
        art_id = art.id

    params = {"event_id": event.id, "art_id": art_id, "limit": call.arguments["limit"]}
    rows = await call.db.fetch_all(BIDS_SQL, params)

    bids = [bid_item(call, event, row) for row in rows]
    return {
        "event": {"eid": event.eid, "name": event.name, "currency": event.currency},
        "bids": block(bids, _total(rows)),
    }


def bid_item(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """One bid with its work, flags and bidder."""
    return {
        "bid_id": str(row["bid_id"]),
        "art_id": str(row["art_id"]),
        "art_code": row["art_code"],
        "round": row["round"],
        "easel": row["easel"],
        "amount": event_money(call, row["amount"], event),
        "created_at": event_time(call, event, row["created_at"]),
        "is_top_bid": row["is_top_bid"],
        "is_winner": row["is_winner"],
        "bidder": {
            "person_id": str(row["person_id"]),
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "name": row["name"],
            "email": row["email"],
            "phone": row["phone"],
        },
    }


@read_tool("get_auction_timing")
async def get_auction_timing(call: ToolCall) -> dict[str, Any]:
    """Auction closing times per work, the round painting timers and what closes next."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "limit": MAX_ITEMS}
    [settings] = await call.db.fetch_all(AUCTION_SETTINGS_SQL, params)
    rounds = await call.db.fetch_all(ROUNDS_SQL, params)
    works = await call.db.fetch_all(ARTWORKS_SQL, params)

    artworks = [artwork_item(call, event, row) for row in works]
    upcoming = [item for item in artworks if item["closes_in_minutes"] is not None]
    return {
        "event": timing_header(call, event, settings),
        "rounds": block([round_item(call, event, row) for row in rounds], _total(rounds)),
        "artworks": block(artworks, _total(works)),
        "next_closing": upcoming[0] if upcoming else None,
        "all_auctions_closed": not works or works[0]["active_works"] == 0,
    }


def timing_header(call: ToolCall, event: Event, settings: dict[str, Any]) -> dict[str, Any]:
    """{eid, name, phase, start, end, auction_close_starts_at, auction_close_round_delay}."""
    return {
        "eid": event.eid,
        "name": event.name,
        "phase": event_phase(event.start, event.end, call.now),
        "start": event_time(call, event, event.start),
        "end": event_time(call, event, event.end),
        "auction_close_starts_at": event_time(call, event, settings["auction_close_starts_at"]),
        "auction_close_round_delay": settings["auction_close_round_delay"],
    }


def round_item(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """A round; its `closing_time` is the painting timer, not an auction close."""
    return {
        "round_number": row["round_number"],
        "is_finished": row["is_finished"],
        "painting_timer_ends_at": event_time(call, event, row["closing_time"]),
        "created_at": event_time(call, event, row["created_at"]),
    }


def artwork_item(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """A work's auction close, with whole minutes left when it is active and still open."""
    return {
        "art_code": row["art_code"],
        "round": row["round"],
        "easel": row["easel"],
        "status": row["status"],
        "artist_name": row["artist_name"],
        "closing_time": event_time(call, event, row["closing_time"]),
        "closes_in_minutes": closes_in_minutes(row["status"], row["closing_time"], call.now),
        "auction_extended": row["auction_extended"],
        "extension_count": row["extension_count"],
    }


def closes_in_minutes(status: str, closing_time: datetime | None, now: datetime) -> int | None:
    """Whole minutes until an active work closes; None for other works or a past close."""
    if status != "active" or closing_time is None or closing_time <= now:
        return None
    return int((closing_time - now).total_seconds() // 60)


def _total(rows: list[dict[str, Any]]) -> int:
    return int(rows[0]["total"]) if rows else 0
