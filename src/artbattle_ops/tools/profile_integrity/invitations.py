"""get_artist_invitations (tools.md §4.5): invitations to an event or of an artist, by status."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.profile_integrity.event_rows import events_by_eid
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, display_time, event_time, resolve_event
from artbattle_ops.tools.shared.profiles import Profile, resolve_profile

STATUSES: Final = ("pending", "accepted", "declined", "withdrawn", "expired")
MESSAGE_CUT_CHARS: Final = 300

# An invitation is the artist's by profile id, or by artist number when it has no profile id;
# the number is matched as an integer so that the unique index on entry_id serves the join.
INVITATION_FILTER: Final = """
WHERE (%(eid)s::text IS NULL OR i.event_eid = %(eid)s::text)
  AND (%(profile_id)s::uuid IS NULL OR i.artist_profile_id = %(profile_id)s::uuid
       OR (i.artist_profile_id IS NULL AND i.artist_number = %(entry_id)s::text))
"""

STATUS_COUNTS_SQL: Final = (
    "SELECT i.status::text AS status, count(*) AS n FROM artist_invitations i\n"
    + INVITATION_FILTER
    + "GROUP BY i.status"
)

INVITATIONS_SQL: Final = (
    """
SELECT i.id, i.event_eid, i.artist_profile_id, i.artist_number, i.status::text AS status,
       i.message_from_producer, i.accepted_at, i.created_at,
       ap.id AS resolved_profile_id, ap.name AS artist_name,
       EXISTS (
           SELECT 1 FROM artist_confirmations c
           WHERE c.event_eid = i.event_eid AND c.confirmation_status = 'confirmed'
             AND (c.artist_profile_id = ap.id OR c.artist_number = i.artist_number)
       ) AS confirmed,
       count(*) OVER () AS total
FROM artist_invitations i
LEFT JOIN LATERAL (
    SELECT x.id, x.name FROM artist_profiles x WHERE x.id = i.artist_profile_id
    UNION ALL
    SELECT x.id, x.name FROM artist_profiles x
    WHERE i.artist_profile_id IS NULL
      AND x.entry_id = CASE WHEN i.artist_number ~ '^[0-9]{1,9}$' THEN i.artist_number::int END
    LIMIT 1
) ap ON TRUE
"""
    + INVITATION_FILTER
    + """
  AND (%(status)s::text IS NULL OR i.status::text = %(status)s::text)
ORDER BY i.created_at DESC NULLS LAST, i.id
LIMIT %(limit)s
"""
)

CONFIRMATIONS_SQL: Final = """
SELECT count(*) FILTER (WHERE c.confirmation_status = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE c.confirmation_status = 'withdrawn') AS withdrawn
FROM artist_confirmations c
WHERE (%(eid)s::text IS NULL OR c.event_eid = %(eid)s::text)
  AND (%(profile_id)s::uuid IS NULL OR c.artist_profile_id = %(profile_id)s::uuid
       OR c.artist_number = %(entry_id)s::text)
"""


def _cut(text: str | None) -> str | None:
    if text is None or len(text) <= MESSAGE_CUT_CHARS:
        return text
    return text[:MESSAGE_CUT_CHARS] + "…"


def _time(call: ToolCall, event: Event | None, instant: datetime | None) -> dict[str, Any] | None:
    if event is None:
        return display_time(call, instant)
    return event_time(call, event, instant)


def _invitation(call: ToolCall, row: dict[str, Any], events: dict[str, Event]) -> dict[str, Any]:
    event = events.get(row["event_eid"])
    profile_id = row["artist_profile_id"] or row["resolved_profile_id"]
    return {
        "invitation_id": str(row["id"]),
        "event_eid": row["event_eid"],
        "event_name": None if event is None else event.name,
        "event_start": None if event is None else event_time(call, event, event.start),
        "artist_profile_id": None if profile_id is None else str(profile_id),
        "artist_number": row["artist_number"],
        "artist_name": row["artist_name"],
        "status": row["status"],
        "created_at": _time(call, event, row["created_at"]),
        "accepted_at": _time(call, event, row["accepted_at"]),
        "message_from_producer": _cut(row["message_from_producer"]),
        "confirmed": bool(row["confirmed"]),
    }


def _params(call: ToolCall, event: Event | None, profile: Profile | None) -> dict[str, Any]:
    return {
        "eid": None if event is None else event.eid,
        "profile_id": None if profile is None else profile.id,
        "entry_id": None if profile is None else str(profile.entry_id),
        "status": call.arguments.get("status"),
        "limit": int(call.arguments["limit"]),
    }


@read_tool("get_artist_invitations")
async def get_artist_invitations(call: ToolCall) -> dict[str, Any]:
    """Invitations newest first, counts per status over all matches, and confirmations."""
    eid, profile_id = call.arguments.get("eid"), call.arguments.get("artist_profile_id")
    event = None if eid is None else await resolve_event(call, eid)
    profile = None if profile_id is None else await resolve_profile(call, profile_id)
    params = _params(call, event, profile)

    counts = await call.db.fetch_all(STATUS_COUNTS_SQL, params)
    rows = await call.db.fetch_all(INVITATIONS_SQL, params)
    confirmations = await call.db.fetch_one(CONFIRMATIONS_SQL, params) or {}

    events = await events_by_eid(call, [row["event_eid"] for row in rows])
    found = {row["status"]: int(row["n"]) for row in counts}
    invitations = [_invitation(call, row, events) for row in rows]
    return {
        "invitations": block(invitations, total=int(rows[0]["total"]) if rows else 0),
        "status_counts": {status: found.get(status, 0) for status in STATUSES},
        "confirmations": {
            "confirmed": int(confirmations.get("confirmed") or 0),
            "withdrawn": int(confirmations.get("withdrawn") or 0),
        },
    }
