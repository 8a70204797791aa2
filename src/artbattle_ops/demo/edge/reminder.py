"""`admin-send-payment-reminder`: remind an artwork's winning bidder to pay (schema.md §7.3)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from artbattle_ops.demo.edge.auth import admin_level_by_user_id
from artbattle_ops.demo.edge.body import is_blank, is_uuid
from artbattle_ops.demo.edge.call import EdgeCall
from artbattle_ops.demo.edge.refusal import refuse_unsuccessful
from artbattle_ops.demo.edge.store import fetch_one, fetch_row

EVENT_LEVELS = frozenset({"producer", "super"})
SENDER_PHONE = "+18335550100"
MAX_NOTE_CHARS = 500

ARTWORK_COLUMNS = """
SELECT a.id, a.art_code, a.status::text AS status, a.winner_id, e.id AS event_id,
       e.eid, e.name AS event_name, ap.name AS artist_name,
       w.first_name, nullif(btrim(w.phone), '') AS phone,
       coalesce(nullif(btrim(w.name), ''),
                nullif(concat_ws(' ', w.first_name, w.last_name), '')) AS bidder_name
FROM public.art a
JOIN public.events e ON e.id = a.event_id
LEFT JOIN public.artist_profiles ap ON ap.id = a.artist_id
LEFT JOIN public.people w ON w.id = a.winner_id
"""
FIND_BY_ID = ARTWORK_COLUMNS + "WHERE a.id = %s"
FIND_BY_CODE = ARTWORK_COLUMNS + "WHERE a.art_code = %s"

INSERT_SMS = """
INSERT INTO public.sms_outbound
    (to_phone, from_phone, message_body, status, sent_at, metadata)
VALUES (%s, %s, %s, 'sent', now(), %s)
RETURNING id
"""

INSERT_REMINDER = """
INSERT INTO public.payment_reminders
    (art_id, event_id, person_id, admin_user_id, admin_note, message_body, sms_status, sent_at)
VALUES (%s, %s, %s, %s, %s, %s, 'sent', now())
"""


async def send_reminder(conn: psycopg.AsyncConnection[Any], call: EdgeCall) -> dict[str, Any]:
    """Find the artwork, check its buyer can be reminded, then log the SMS and the reminder.

    Raises:
        EdgeRefusal: the caller has no rights, or a check of §7.3 fails.
    """
    is_admin = await admin_level_by_user_id(conn, call.caller) is not None
    art = await _find_artwork(conn, call, is_admin=is_admin)
    if not is_admin and call.caller.event_level(art["eid"]) not in EVENT_LEVELS:
        raise refuse_unsuccessful(403, "Admin access required")
    _check_remindable(art)

    message = compose_message(art)
    metadata = {
        "type": "payment_reminder",
        "art_id": str(art["id"]),
        "event_id": str(art["event_id"]),
    }
    sms = await fetch_row(conn, INSERT_SMS, (art["phone"], SENDER_PHONE, message, Jsonb(metadata)))
    note = call.body.get("admin_note")
    admin_id = call.caller.user_id if is_uuid(call.caller.user_id) else None
    params = (art["id"], art["event_id"], art["winner_id"], admin_id, note, message)
    await conn.execute(INSERT_REMINDER, params)
    return {
        "success": True,
        "message": "Payment reminder sent",
        "details": {
            "art_id": str(art["id"]),
            "art_code": art["art_code"],
            "event_eid": art["eid"],
            "bidder_name": art["bidder_name"],
            "bidder_phone": art["phone"],
            "message_sent": message,
            "sms_response": {"id": str(sms["id"]), "status": "sent"},
        },
    }


async def _find_artwork(
    conn: psycopg.AsyncConnection[Any], call: EdgeCall, *, is_admin: bool
) -> dict[str, Any]:
    """Checks 1 and 2. A caller who is no admin learns nothing: it gets 403 instead."""
    art_id = call.body.get("art_id")
    if not isinstance(art_id, str) or is_blank(art_id):
        raise _unless_admin(is_admin, 400, "art_id is required")
    note = call.body.get("admin_note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE_CHARS):
        raise _unless_admin(is_admin, 400, "admin_note is invalid")

    key = art_id.strip()
    query = FIND_BY_ID if is_uuid(key) else FIND_BY_CODE
    art = await fetch_one(conn, query, (key,))
    if art is None:
        raise _unless_admin(is_admin, 404, "Artwork not found")
    return art


def _unless_admin(is_admin: bool, status: int, error: str) -> Exception:
    if is_admin:
        return refuse_unsuccessful(status, error)
    return refuse_unsuccessful(403, "Admin access required")


def _check_remindable(art: dict[str, Any]) -> None:
    """Checks 3 to 5: a winner, not yet paid, with a phone."""
    if art["winner_id"] is None:
        raise refuse_unsuccessful(400, "No winning bidder for this artwork")
    if art["status"] == "paid":
        raise refuse_unsuccessful(400, "Artwork is already paid")
    if art["phone"] is None:
        raise refuse_unsuccessful(400, "Winner has no phone number")


def compose_message(art: dict[str, Any]) -> str:
    """The reminder text of §7.3."""
    first_name = (art["first_name"] or "").strip() or "there"
    return (
        f"Hi {first_name}, this is a reminder to complete payment for {art['art_code']} "
        f"by {art['artist_name']} at {art['event_name']}. Reply HELP for help."
    )
