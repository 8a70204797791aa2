"""`admin-send-invitation`: invite an artist to paint at an event (schema.md §7.1)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from artbattle_ops.demo.edge.auth import admin_level_by_email
from artbattle_ops.demo.edge.body import is_blank, is_uuid
from artbattle_ops.demo.edge.call import EdgeCall, jsonable
from artbattle_ops.demo.edge.refusal import refuse
from artbattle_ops.demo.edge.store import fetch_one, fetch_row

INVITING_LEVELS = frozenset({"super", "producer", "photo"})
REQUIRED = ("artist_number", "event_eid", "message_from_producer")
MAX_MESSAGE_CHARS = 5000
SENDER = "invitations@artbattle.example"
NO_EMAIL = "No email address for artist"

FIND_EVENT = "SELECT id, eid, name FROM public.events WHERE eid = %s"

PROFILE_COLUMNS = """
SELECT p.id, p.entry_id, p.name,
       coalesce(nullif(btrim(p.email), ''), nullif(btrim(pe.email), '')) AS recipient
FROM public.artist_profiles p
LEFT JOIN public.people pe ON pe.id = p.person_id
"""
FIND_PROFILE_BY_ID = PROFILE_COLUMNS + "WHERE p.id = %s"
FIND_PROFILE_BY_ENTRY = PROFILE_COLUMNS + "WHERE p.entry_id = %s"

# Serialises identical requests: the second waits, then sees the first one's row.
LOCK_PAIR = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"

FIND_EXISTING = """
SELECT id, status FROM public.artist_invitations
WHERE artist_number = %s AND event_eid = %s
ORDER BY created_at, id
LIMIT 1
"""

INSERT_INVITATION = """
INSERT INTO public.artist_invitations
    (artist_number, event_eid, artist_profile_id, status, message_from_producer, entry_date,
     metadata)
VALUES (%s, %s, %s, 'pending', %s, now(), %s)
RETURNING *
"""

INSERT_EMAIL = """
INSERT INTO public.email_logs (recipient, sender, subject, status, method, event_id, sent_at)
VALUES (%s, %s, %s, 'sent', 'edge_emulator', %s, now())
"""


async def send_invitation(conn: psycopg.AsyncConnection[Any], call: EdgeCall) -> dict[str, Any]:
    """Check the four rules in order, then insert the invitation and log its email.

    Raises:
        EdgeRefusal: the caller is not an inviting admin, or a check of §7.1 fails.
    """
    if await admin_level_by_email(conn, call.caller) not in INVITING_LEVELS:
        raise refuse(403, "Admin access required")
    artist_number, eid, message = _validated(call.body)

    event = await fetch_one(conn, FIND_EVENT, (eid,))
    if event is None:
        raise refuse(404, "Event not found", f"event_eid={eid}")
    profile = await _resolve_profile(conn, artist_number, call.body.get("artist_profile_id"))

    await conn.execute(LOCK_PAIR, (f"{artist_number}\x1f{eid}",))
    existing = await fetch_one(conn, FIND_EXISTING, (artist_number, eid))
    if existing is not None:
        details = {"invitation_id": str(existing["id"]), "status": str(existing["status"])}
        raise refuse(400, "Invitation already exists for this artist and event", details)

    metadata = {"sent_by": call.caller.email, "sent_at": datetime.now(UTC).isoformat()}
    params = (artist_number, eid, profile["id"], message, Jsonb(metadata))
    invitation = await fetch_row(conn, INSERT_INVITATION, params)
    email = await _email_artist(conn, profile, event)
    return {
        "success": True,
        "invitation": jsonable(invitation),
        "email": email,
        "message": f"Invitation sent to {_artist_name(profile)} for {eid}",
    }


def _validated(body: dict[str, Any]) -> tuple[str, str, str]:
    """Check 1 (required fields), then the type rules; artist_number comes back as text."""
    missing = [name for name in REQUIRED if is_blank(body.get(name))]
    if missing:
        raise refuse(400, "Missing required fields", missing)
    number, eid, message = (body[name] for name in REQUIRED)
    if isinstance(number, str) and number.strip().isdigit():
        number = int(number.strip())
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise refuse(400, "artist_number is invalid")
    if not isinstance(eid, str):
        raise refuse(400, "event_eid is invalid")
    if not isinstance(message, str) or len(message) > MAX_MESSAGE_CHARS:
        raise refuse(400, "message_from_producer is invalid")
    return str(number), eid.strip(), message


async def _resolve_profile(
    conn: psycopg.AsyncConnection[Any], artist_number: str, profile_id: Any
) -> dict[str, Any]:
    """Check 3: the profile given by id (whose entry_id must match), or the one by entry_id."""
    if is_blank(profile_id):
        profile = await fetch_one(conn, FIND_PROFILE_BY_ENTRY, (int(artist_number),))
        if profile is None:
            raise refuse(404, "Artist profile not found")
        return profile
    if not is_uuid(profile_id):
        raise refuse(400, "artist_profile_id is invalid")
    profile = await fetch_one(conn, FIND_PROFILE_BY_ID, (profile_id,))
    if profile is None:
        raise refuse(404, "Artist profile not found")
    if str(profile["entry_id"]) != artist_number:
        raise refuse(400, "artist_profile_id does not match artist_number")
    return profile


async def _email_artist(
    conn: psycopg.AsyncConnection[Any], profile: dict[str, Any], event: dict[str, Any]
) -> dict[str, Any]:
    """Log the invitation email, or report that the artist has no address."""
    recipient = profile["recipient"]
    if recipient is None:
        return {"success": False, "error": NO_EMAIL}
    subject = f"Invitation to paint at {event['name'] or event['eid']} ({event['eid']})"
    await conn.execute(INSERT_EMAIL, (recipient, SENDER, subject, event["id"]))
    return {"success": True}


def _artist_name(profile: dict[str, Any]) -> str:
    return str(profile["name"] or f"artist #{profile['entry_id']}")
