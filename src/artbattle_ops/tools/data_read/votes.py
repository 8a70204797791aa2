"""get_vote_data (tools.md §3.5): raw and weighted vote totals per round and per artwork."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    VOTES_WITHOUT_FACTOR_SQL,
    WEIGHTED_VOTES_SQL,
    Event,
    event_time,
    resolve_event,
)

MAX_ARTWORKS: Final = 200
PCT: Final = Decimal("0.1")

# Votes join art on art_uuid (§1.10). Without a round, totals cover every vote of the event;
# with one, only the votes on that round's works (unattributed votes have no round).
TOTALS_SQL: Final = (
    """
SELECT count(v.id) AS votes, count(DISTINCT v.person_id) AS unique_voters,
       """
    + WEIGHTED_VOTES_SQL
    + """ AS weighted_votes,
       """
    + VOTES_WITHOUT_FACTOR_SQL
    + """ AS votes_without_factor
FROM votes v
LEFT JOIN art a ON a.id = v.art_uuid AND a.event_id = v.event_id
WHERE v.event_id = %(event_id)s AND (%(round)s::int IS NULL OR a.round = %(round)s::int)
"""
)

# The existence test sits in a FILTER so it runs as a per-vote probe of art's primary key;
# written as an anti-join, the planner hashes all of art instead (a full scan at bench scale).
UNATTRIBUTED_SQL: Final = """
SELECT count(v.id) FILTER (
    WHERE v.art_uuid IS NULL OR NOT EXISTS (SELECT 1 FROM art a WHERE a.id = v.art_uuid)
) AS unattributed
FROM votes v
WHERE v.event_id = %(event_id)s
"""

# Joining art on the event as well lets the planner read art through its event index; a vote
# always names an artwork of its own event (schema.md §8.17).
ROUNDS_SQL: Final = (
    """
SELECT a.round, count(v.id) AS votes, count(DISTINCT v.person_id) AS unique_voters,
       """
    + WEIGHTED_VOTES_SQL
    + """ AS weighted_votes,
       min(v.created_at) AS first_vote_at, max(v.created_at) AS last_vote_at
FROM votes v
JOIN art a ON a.id = v.art_uuid AND a.event_id = v.event_id
WHERE v.event_id = %(event_id)s AND (%(round)s::int IS NULL OR a.round = %(round)s::int)
GROUP BY a.round
ORDER BY a.round
"""
)

ARTWORKS_SQL: Final = (
    """
WITH per_art AS (
    SELECT v.art_uuid, count(v.id) AS votes, """
    + WEIGHTED_VOTES_SQL
    + """ AS weighted_votes
    FROM votes v
    WHERE v.event_id = %(event_id)s AND v.art_uuid IS NOT NULL
    GROUP BY v.art_uuid
), ranked AS (
    SELECT a.id, a.round, a.easel, a.art_code, ap.name AS artist_name,
           COALESCE(p.votes, 0) AS votes, COALESCE(p.weighted_votes, 0) AS weighted_votes,
           sum(COALESCE(p.weighted_votes, 0)) OVER (PARTITION BY a.round) AS round_weighted,
           rank() OVER (PARTITION BY a.round ORDER BY COALESCE(p.weighted_votes, 0) DESC)
               AS rank
    FROM art a
    LEFT JOIN per_art p ON p.art_uuid = a.id
    LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
    WHERE a.event_id = %(event_id)s AND (%(round)s::int IS NULL OR a.round = %(round)s::int)
)
SELECT id, round, easel, art_code, artist_name, votes, weighted_votes, round_weighted, rank,
       count(*) OVER () AS total_artworks
FROM ranked
ORDER BY round, rank, easel, id
LIMIT %(limit)s
"""
)


def share_pct(part: Decimal, whole: Decimal) -> float | None:
    """`part` as a percentage of `whole`, one decimal half-up; None when the whole is zero."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(PCT, rounding=ROUND_HALF_UP))


def _round(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "round": row["round"],
        "votes": int(row["votes"]),
        "unique_voters": int(row["unique_voters"]),
        "weighted_votes": float(row["weighted_votes"]),
        "first_vote_at": event_time(call, event, row["first_vote_at"]),
        "last_vote_at": event_time(call, event, row["last_vote_at"]),
    }


def _artwork(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "round": row["round"],
        "easel": row["easel"],
        "art_code": row["art_code"],
        "artist_name": row["artist_name"],
        "votes": int(row["votes"]),
        "weighted_votes": float(row["weighted_votes"]),
        "weighted_share_pct": share_pct(row["weighted_votes"], row["round_weighted"]),
        "rank": int(row["rank"]),
    }


@read_tool("get_vote_data")
async def get_vote_data(call: ToolCall) -> dict[str, Any]:
    """Vote totals, per-round figures and ranked artworks; never individual votes."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "round": call.arguments.get("round"), "limit": MAX_ARTWORKS}

    totals = await call.db.fetch_one(TOTALS_SQL, params) or {}
    unattributed = await call.db.fetch_one(UNATTRIBUTED_SQL, params) or {}
    rounds = await call.db.fetch_all(ROUNDS_SQL, params)
    artworks = await call.db.fetch_all(ARTWORKS_SQL, params)

    total_artworks = int(artworks[0]["total_artworks"]) if artworks else 0
    return {
        "event": {"eid": event.eid, "name": event.name},
        "totals": {
            "votes": int(totals.get("votes") or 0),
            "unique_voters": int(totals.get("unique_voters") or 0),
            "weighted_votes": float(totals.get("weighted_votes") or 0),
            "votes_without_factor": int(totals.get("votes_without_factor") or 0),
            "unattributed_votes": int(unattributed.get("unattributed") or 0),
        },
        "rounds": block([_round(call, event, row) for row in rounds]),
        "artworks": block([_artwork(row) for row in artworks], total=total_artworks),
    }
