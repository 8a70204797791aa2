"""get_event_readiness (tools.md §4.7): eight scored checks and the artist line-up of an event."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.shared import Event, event_phase, event_time, resolve_event

CHECKS: Final = (
    "has_city",
    "has_venue",
    "has_currency",
    "has_start_time",
    "has_timezone",
    "visible_in_app",
    "has_eventbrite",
    "artists_confirmed",
)
DEFAULT_TARGET_ARTISTS: Final = 12
INVITATION_STATUSES: Final = ("pending", "accepted", "declined", "withdrawn", "expired")
APPLICATION_STATUSES: Final = ("pending", "accepted", "rejected", "withdrawn")
PCT: Final = Decimal("0.1")

# Artists are counted once each, by artist number (the profile's entry_id when it is linked).
LINEUP_SQL: Final = """
SELECT
  (SELECT e.target_artists_booked FROM events e WHERE e.id = %(event_id)s) AS target,
  (SELECT count(DISTINCT COALESCE(ap.entry_id::text, c.artist_number))
     FROM artist_confirmations c LEFT JOIN artist_profiles ap ON ap.id = c.artist_profile_id
    WHERE c.event_eid = %(eid)s AND c.confirmation_status = 'confirmed') AS confirmed,
  (SELECT count(DISTINCT COALESCE(ap.entry_id::text, c.artist_number))
     FROM artist_confirmations c LEFT JOIN artist_profiles ap ON ap.id = c.artist_profile_id
    WHERE c.event_eid = %(eid)s AND c.confirmation_status = 'withdrawn') AS withdrawn,
  (SELECT count(*) FROM rounds r WHERE r.event_id = %(event_id)s) AS rounds_configured,
  (SELECT count(*) FROM art a WHERE a.event_id = %(event_id)s) AS artwork_count
"""

INVITATION_COUNTS_SQL: Final = """
SELECT i.status::text AS status, count(*) AS n
FROM artist_invitations i
WHERE i.event_eid = %(eid)s
GROUP BY i.status
"""

APPLICATION_COUNTS_SQL: Final = """
SELECT x.application_status AS status, count(*) AS n
FROM artist_applications x
WHERE x.event_eid = %(eid)s
GROUP BY x.application_status
"""


def _is_set(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def _checks(event: Event, confirmed: int, target: int) -> dict[str, bool]:
    return {
        "has_city": event.city_id is not None,
        "has_venue": event.venue_id is not None,
        "has_currency": _is_set(event.currency),
        "has_start_time": event.start is not None,
        "has_timezone": _is_set(event.timezone_icann),
        "visible_in_app": event.is_visible,
        "has_eventbrite": event.eventbrite_id is not None,
        "artists_confirmed": confirmed >= target,
    }


def _counts(rows: list[dict[str, Any]], statuses: tuple[str, ...]) -> dict[str, int]:
    found = {row["status"]: int(row["n"]) for row in rows}
    return {status: found.get(status, 0) for status in statuses}


def _event(call: ToolCall, event: Event) -> dict[str, Any]:
    days = None if event.start is None else (event.start - call.now).days
    return {
        "eid": event.eid,
        "name": event.name,
        "start": event_time(call, event, event.start),
        "phase": event_phase(event.start, event.end, call.now),
        "days_until_event": days,
    }


@read_tool("get_event_readiness")
async def get_event_readiness(call: ToolCall) -> dict[str, Any]:
    """The readiness score out of 8, what is missing, and the artist line-up."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "eid": event.eid}

    lineup = await call.db.fetch_one(LINEUP_SQL, params) or {}
    invitations = await call.db.fetch_all(INVITATION_COUNTS_SQL, params)
    applications = await call.db.fetch_all(APPLICATION_COUNTS_SQL, params)

    confirmed = int(lineup.get("confirmed") or 0)
    target = lineup.get("target")
    checks = _checks(event, confirmed, DEFAULT_TARGET_ARTISTS if target is None else target)
    passed = sum(checks.values())
    percent = (Decimal(passed) * 100 / len(CHECKS)).quantize(PCT, rounding=ROUND_HALF_UP)
    return {
        "event": _event(call, event),
        "checks": checks,
        "score": f"{passed}/{len(CHECKS)}",
        "percent": float(percent),
        "missing": [name for name in CHECKS if not checks[name]],
        "artists": {
            "confirmed": confirmed,
            "withdrawn": int(lineup.get("withdrawn") or 0),
            "target": target,
            "invitations": _counts(invitations, INVITATION_STATUSES),
            "applications": _counts(applications, APPLICATION_STATUSES),
        },
        "rounds_configured": int(lineup.get("rounds_configured") or 0),
        "artwork_count": int(lineup.get("artwork_count") or 0),
    }
