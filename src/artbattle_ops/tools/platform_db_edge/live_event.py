"""`live_event_diagnostic` (tools.md §7.5): rounds, contestants, auctions, activity and cache."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from artbattle_ops.tools.platform_db_edge.live_issues import LiveState, live_issues
from artbattle_ops.tools.platform_db_edge.live_sql import (
    ARTWORKS_SQL,
    CACHE_SQL,
    CONTESTANTS_SQL,
    ROUNDS_SQL,
)
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, event_money, event_phase, event_time, resolve_event

RECENT = timedelta(minutes=10)
WEIGHT_PLACES = Decimal("0.01")


@read_tool("live_event_diagnostic")
async def live_event_diagnostic(call: ToolCall) -> dict[str, Any]:
    """The event's live state and the issues found in it; runs whatever the phase."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "eid": event.eid, "recent": call.now - RECENT}

    rounds = await call.db.fetch_all(ROUNDS_SQL, params)
    contestants = await call.db.fetch_all(CONTESTANTS_SQL, params)
    artworks = await call.db.fetch_all(ARTWORKS_SQL, params)
    cache = await call.db.fetch_all(CACHE_SQL, params)

    phase = event_phase(event.start, event.end, call.now)
    state = LiveState(
        eid=event.eid,
        phase=phase,
        visible=event.is_visible,
        now=call.now,
        rounds=rounds,
        contestants=contestants,
        artworks=artworks,
        newest_activity=_newest(
            event.updated_at,
            *(a["last_bid_at"] for a in artworks),
            *(a["last_vote_at"] for a in artworks),
        ),
        newest_cache=cache[0]["last_updated"] if cache else None,
    )
    return {
        "event": _event(call, event, phase),
        "summary": _summary(call, event, rounds, contestants, artworks),
        "rounds": block([_round(call, event, r, contestants) for r in rounds]),
        "contestants": block([_contestant(c) for c in contestants]),
        "artworks": block([_artwork(call, event, a) for a in artworks]),
        "cache": _cache(call, event, cache),
        "issues": block(live_issues(state)),
    }


def _newest(*instants: datetime | None) -> datetime | None:
    present = [instant for instant in instants if instant is not None]
    return max(present) if present else None


def _weighted(value: Decimal | None) -> float:
    return float((value or Decimal(0)).quantize(WEIGHT_PLACES))


def _event(call: ToolCall, event: Event, phase: str) -> dict[str, Any]:
    return {
        "eid": event.eid,
        "name": event.name,
        "phase": phase,
        "start": event_time(call, event, event.start),
        "end": event_time(call, event, event.end),
        "visible_in_app": event.is_visible,
        "city": event.city_name,
        "venue": event.venue_name,
    }


def _summary(
    call: ToolCall,
    event: Event,
    rounds: list[dict[str, Any]],
    contestants: list[dict[str, Any]],
    artworks: list[dict[str, Any]],
) -> dict[str, Any]:
    finished = sum(1 for r in rounds if r["is_finished"])
    # A round is active when its painting timer has been started and it is not finished.
    active = sum(1 for r in rounds if not r["is_finished"] and r["closing_time"] is not None)
    return {
        "round_count": len(rounds),
        "finished_rounds": finished,
        "active_rounds": active,
        "contestant_count": len(contestants),
        "artwork_count": len(artworks),
        "total_bids": sum(int(a["bid_count"]) for a in artworks),
        "total_votes": sum(int(a["vote_count"]) for a in artworks),
        "weighted_votes": _weighted(sum((a["weighted_votes"] for a in artworks), Decimal(0))),
        "bids_last_10_min": sum(int(a["recent_bids"]) for a in artworks),
        "votes_last_10_min": sum(int(a["recent_votes"]) for a in artworks),
        "last_bid_at": event_time(call, event, _newest(*(a["last_bid_at"] for a in artworks))),
        "last_vote_at": event_time(call, event, _newest(*(a["last_vote_at"] for a in artworks))),
    }


def _round(
    call: ToolCall, event: Event, row: dict[str, Any], contestants: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "round_number": row["round_number"],
        "is_finished": row["is_finished"],
        "painting_timer_ends_at": event_time(call, event, row["closing_time"]),
        "contestants": sum(1 for c in contestants if c["round_number"] == row["round_number"]),
    }


def _contestant(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "round_number": row["round_number"],
        "easel_number": row["easel_number"],
        "artist_name": row["artist_name"],
        "art_code": row["art_code"],
        "art_status": row["art_status"],
        "is_winner": row["is_winner"] > 0,
    }


def _artwork(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "art_code": row["art_code"],
        "status": row["status"],
        "current_bid": event_money(call, row["current_bid"], event),
        "bid_count": int(row["bid_count"]),
        "vote_count": int(row["vote_count"]),
        "weighted_votes": _weighted(row["weighted_votes"]),
        "closing_time": event_time(call, event, row["closing_time"]),
        "last_bid_at": event_time(call, event, row["last_bid_at"]),
    }


def _cache(call: ToolCall, event: Event, rows: list[dict[str, Any]]) -> dict[str, Any]:
    newest = rows[0]["last_updated"] if rows else None
    age = None if newest is None else int((call.now - newest).total_seconds() // 60)
    paths = [
        {
            "endpoint_path": r["endpoint_path"],
            "last_updated": event_time(call, event, r["last_updated"]),
        }
        for r in rows
    ]
    return {
        "newest_update": event_time(call, event, newest),
        "age_minutes": age,
        "paths": block(paths),
    }
