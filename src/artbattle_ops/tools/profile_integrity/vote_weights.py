"""get_vote_weights (tools.md §4.8): how vote factors are distributed, and one voter's weight."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.formats import lookup_hint
from artbattle_ops.tools.profile_integrity.weights_view import read_view_state
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    VOTES_WITHOUT_FACTOR_SQL,
    Event,
    display_time,
    event_phase,
    event_time,
    resolve_event,
)

MAX_PERSON_VOTES: Final = 10
QR_BONUS: Final = Decimal("1.0")
MAX_FACTOR: Final = Decimal("7.0")
PCT: Final = Decimal("0.1")
CENT: Final = Decimal("0.01")

VOTE_FILTER: Final = """
WHERE v.event_id = %(event_id)s AND (%(round)s::int IS NULL OR v.round = %(round)s::int)
"""

# Factors are the snapshotted votes.vote_factor (§1.10); null factors form their own group.
DISTRIBUTION_SQL: Final = (
    "SELECT round(v.vote_factor, 2) AS vote_factor, count(*) AS votes FROM votes v\n"
    + VOTE_FILTER
    + "GROUP BY round(v.vote_factor, 2)\nORDER BY round(v.vote_factor, 2) NULLS LAST"
)

STATS_SQL: Final = (
    """
SELECT count(v.id) AS votes, min(v.vote_factor) AS min, avg(v.vote_factor) AS avg,
       max(v.vote_factor) AS max,
       count(v.id) FILTER (WHERE v.vote_factor > 1.00) AS weighted_votes,
       """
    + VOTES_WITHOUT_FACTOR_SQL
    + """ AS votes_without_factor,
       count(DISTINCT v.person_id) FILTER (WHERE EXISTS (
           SELECT 1 FROM people_qr_scans s
           WHERE s.person_id = v.person_id AND s.event_id = v.event_id AND s.is_valid
       )) AS qr_bonus_voters
FROM votes v
"""
    + VOTE_FILTER
)

# Only the weight columns of the view are read, never its contact columns (its size and
# freshness come from read_view_state).
LEGACY_ROWS_SQL: Final = (
    "SELECT count(x.id) AS legacy_rows FROM vote_weights x WHERE x.event_id = %(event_id)s"
)

PERSON_SQL: Final = """
SELECT p.id, w.person_id AS in_view, w.base_weight, w.artist_bonus, w.vote_history_bonus,
       w.bid_history_bonus, w.total_weight, w.last_calculated,
       EXISTS (
           SELECT 1 FROM people_qr_scans s
           WHERE s.person_id = p.id AND s.event_id = %(event_id)s AND s.is_valid
       ) AS has_valid_qr_scan
FROM people p
LEFT JOIN person_vote_weights w ON w.person_id = p.id
WHERE p.id = %(person_id)s::uuid
"""

PERSON_VOTES_SQL: Final = (
    """
SELECT v.round, a.art_code, v.vote_factor, v.created_at, count(*) OVER () AS total
FROM votes v
LEFT JOIN art a ON a.id = v.art_uuid AND a.event_id = v.event_id
"""
    + VOTE_FILTER
    + """  AND v.person_id = %(person_id)s::uuid
ORDER BY v.created_at, v.id
LIMIT %(limit)s
"""
)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def _pct(part: int, whole: int) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) * 100 / whole).quantize(PCT, rounding=ROUND_HALF_UP))


def _stats(row: dict[str, Any]) -> dict[str, Any]:
    votes = int(row["votes"])
    return {
        "votes": votes,
        "min": _number(row["min"]),
        "avg": _number(row["avg"]),
        "max": _number(row["max"]),
        "weighted_votes_pct": _pct(int(row["weighted_votes"]), votes),
        "votes_without_factor": int(row["votes_without_factor"]),
        "qr_bonus_voters": int(row["qr_bonus_voters"]),
    }


def _expected_factor(row: dict[str, Any]) -> float | None:
    if row["in_view"] is None or row["total_weight"] is None:
        return None
    bonus = QR_BONUS if row["has_valid_qr_scan"] else Decimal(0)
    return _number(min(Decimal(row["total_weight"]) + bonus, MAX_FACTOR))


async def _person(call: ToolCall, event: Event, params: dict[str, Any]) -> dict[str, Any]:
    row = await call.db.fetch_one(PERSON_SQL, params)
    if row is None:
        raise NotFoundError(
            f"No person found with person_id {params['person_id']}.",
            argument="person_id",
            hint=lookup_hint("person_id", "lookup_person"),
        )

    votes = await call.db.fetch_all(PERSON_VOTES_SQL, {**params, "limit": MAX_PERSON_VOTES})
    items = [
        {
            "round": vote["round"],
            "art_code": vote["art_code"],
            "vote_factor": _number(vote["vote_factor"]),
            "created_at": event_time(call, event, vote["created_at"]),
        }
        for vote in votes
    ]
    components = ("base_weight", "artist_bonus", "vote_history_bonus", "bid_history_bonus")
    return {
        "person_id": str(row["id"]),
        "in_view": row["in_view"] is not None,
        **{name: _number(row[name]) for name in (*components, "total_weight")},
        "last_calculated": display_time(call, row["last_calculated"]),
        "has_valid_qr_scan": bool(row["has_valid_qr_scan"]),
        "expected_factor_now": _expected_factor(row),
        "votes": block(items, total=int(votes[0]["total"]) if votes else 0),
    }


@read_tool("get_vote_weights")
async def get_vote_weights(call: ToolCall) -> dict[str, Any]:
    """The factor distribution and stats of an event's votes, and optionally one voter's weight."""
    event = await resolve_event(call, call.arguments["eid"])
    person_id = call.arguments.get("person_id")
    params = {"event_id": event.id, "round": call.arguments.get("round"), "person_id": person_id}

    distribution = await call.db.fetch_all(DISTRIBUTION_SQL, params)
    stats = await call.db.fetch_one(STATS_SQL, params) or {}
    view = await read_view_state(call)
    legacy = await call.db.fetch_one(LEGACY_ROWS_SQL, params) or {}
    person = None if person_id is None else await _person(call, event, params)

    return {
        "event": {
            "eid": event.eid,
            "name": event.name,
            "start": event_time(call, event, event.start),
            "phase": event_phase(event.start, event.end, call.now),
        },
        "distribution": block(
            [
                {"vote_factor": _number(r["vote_factor"]), "votes": int(r["votes"])}
                for r in distribution
            ]
        ),
        "stats": _stats(stats),
        "view": {
            "rows": view.rows,
            "view_last_refreshed": display_time(call, view.last_calculated),
        },
        "legacy_vote_weights_rows": int(legacy.get("legacy_rows") or 0),
        "person": person,
    }
