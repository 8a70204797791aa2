"""`admin-send-payment-reminder` (schema.md §7.3): lookup, the five checks, message and rows."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.edge.conftest import ADMIN_EMAIL, Edge, user_token

FUNCTION = "admin-send-payment-reminder"

# Unpaid works whose winner has a phone, with what the message and response need.
REMINDABLE = """
SELECT a.id, a.art_code, e.id AS event_id, e.eid, e.name AS event_name,
       ap.name AS artist_name, w.id AS winner_id, w.first_name, w.name AS winner_name, w.phone
FROM public.art a
JOIN public.events e ON e.id = a.event_id
JOIN public.artist_profiles ap ON ap.id = a.artist_id
JOIN public.people w ON w.id = a.winner_id
WHERE a.status <> 'paid' AND w.phone IS NOT NULL AND (w.first_name IS NOT NULL) = %s
ORDER BY a.art_code
OFFSET %s LIMIT 1
"""


def remindable(edge: Edge, offset: int, *, has_first_name: bool = True) -> dict[str, Any]:
    """An unpaid work with a reachable winner; `offset` keeps tests apart."""
    return edge.row(REMINDABLE, (has_first_name, offset))


ROWS_ABOUT_ART = {
    "sms_outbound": "SELECT id FROM public.sms_outbound WHERE metadata->>'art_id' = %s",
    "payment_reminders": "SELECT id FROM public.payment_reminders WHERE art_id::text = %s",
}


def ids_for(edge: Edge, table: str, art_id: Any) -> set[Any]:
    """Ids of the rows of `table` about one artwork (the demo already holds some)."""
    return {row["id"] for row in edge.rows(ROWS_ABOUT_ART[table], (str(art_id),))}


def expected_message(art: dict[str, Any], first_name: str) -> str:
    """The §7.3 text, written out here from the spec."""
    return (
        f"Hi {first_name}, this is a reminder to complete payment for {art['art_code']} by "
        f"{art['artist_name']} at {art['event_name']}. Reply HELP for help."
    )


def test_a_reminder_by_art_uuid_answers_with_the_unmasked_details(edge: Edge) -> None:
    art = remindable(edge, 0)

    sms_before = ids_for(edge, "sms_outbound", art["id"])

    response = edge.post(FUNCTION, {"art_id": str(art["id"])})

    assert response.status_code == 200
    payload = response.json()
    [sms_id] = ids_for(edge, "sms_outbound", art["id"]) - sms_before
    assert payload == {
        "success": True,
        "message": "Payment reminder sent",
        "details": {
            "art_id": str(art["id"]),
            "art_code": art["art_code"],
            "event_eid": art["eid"],
            "bidder_name": art["winner_name"],
            "bidder_phone": art["phone"],
            "message_sent": expected_message(art, art["first_name"]),
            "sms_response": {"id": str(sms_id), "status": "sent"},
        },
    }


def test_a_reminder_by_art_code_writes_the_sms_and_the_reminder(edge: Edge) -> None:
    art = remindable(edge, 1)
    admin_id = edge.row(
        "SELECT user_id FROM public.abhq_admin_users WHERE email = %s", (ADMIN_EMAIL,)
    )["user_id"]
    sms_before = ids_for(edge, "sms_outbound", art["id"])
    reminders_before = ids_for(edge, "payment_reminders", art["id"])

    edge.post(FUNCTION, {"art_id": art["art_code"], "admin_note": "second nudge"})

    message = expected_message(art, art["first_name"])
    [sms_id] = ids_for(edge, "sms_outbound", art["id"]) - sms_before
    [reminder_id] = ids_for(edge, "payment_reminders", art["id"]) - reminders_before
    sms = edge.row("SELECT * FROM public.sms_outbound WHERE id = %s", (sms_id,))
    assert (sms["to_phone"], sms["from_phone"], sms["message_body"], sms["status"]) == (
        art["phone"],
        "+18335550100",
        message,
        "sent",
    )
    assert sms["metadata"] == {
        "type": "payment_reminder",
        "art_id": str(art["id"]),
        "event_id": str(art["event_id"]),
    }
    assert sms["sent_at"] is not None
    reminder = edge.row("SELECT * FROM public.payment_reminders WHERE id = %s", (reminder_id,))
    assert (
        reminder["event_id"],
        reminder["person_id"],
        reminder["admin_user_id"],
        reminder["admin_note"],
        reminder["message_body"],
        reminder["sms_status"],
    ) == (art["event_id"], art["winner_id"], admin_id, "second nudge", message, "sent")
    assert reminder["sent_at"] is not None


def test_a_winner_without_a_first_name_is_greeted_as_there(edge: Edge) -> None:
    art = remindable(edge, 0, has_first_name=False)

    response = edge.post(FUNCTION, {"art_id": art["art_code"]})

    assert response.json()["details"]["message_sent"] == expected_message(art, "there")


@pytest.mark.parametrize("level", ["producer", "super"])
def test_an_admin_events_claim_for_the_artworks_event_grants_access(edge: Edge, level: str) -> None:
    art = remindable(edge, 2 if level == "producer" else 3)
    token = user_token(
        {
            "sub": str(uuid.uuid4()),
            "email": "guest@example.com",
            "admin_events": {art["eid"]: level},
        }
    )

    response = edge.post(FUNCTION, {"art_id": art["art_code"]}, token=token)

    assert response.status_code == 200


@pytest.mark.parametrize("claim", ["photo", "other event"])
def test_an_admin_events_claim_without_producer_rights_here_gets_403(
    edge: Edge, claim: str, unchanged: None
) -> None:
    art = remindable(edge, 4)
    events = {art["eid"]: "photo"} if claim == "photo" else {"AB0001": "super"}
    token = user_token(
        {"sub": str(uuid.uuid4()), "email": "guest@example.com", "admin_events": events}
    )

    response = edge.post(FUNCTION, {"art_id": art["art_code"]}, token=token)

    assert (response.status_code, response.json()) == (
        403,
        {"success": False, "error": "Admin access required"},
    )


@pytest.mark.parametrize("body", [{}, {"art_id": ""}, {"art_id": None}], ids=repr)
def test_a_missing_art_id_gets_400(edge: Edge, body: dict[str, Any], unchanged: None) -> None:
    response = edge.post(FUNCTION, body)

    assert (response.status_code, response.json()) == (
        400,
        {"success": False, "error": "art_id is required"},
    )


@pytest.mark.parametrize("art_id", ["AB0000-9-9", "11111111-2222-3333-4444-555555555555"])
def test_an_unknown_artwork_gets_404(edge: Edge, art_id: str, unchanged: None) -> None:
    response = edge.post(FUNCTION, {"art_id": art_id})

    assert (response.status_code, response.json()) == (
        404,
        {"success": False, "error": "Artwork not found"},
    )


CHECKS = [
    (
        "no winner",
        "SELECT art_code FROM public.art WHERE winner_id IS NULL ORDER BY art_code LIMIT 1",
        "No winning bidder for this artwork",
    ),
    (
        "already paid",
        "SELECT art_code FROM public.art WHERE status = 'paid' ORDER BY art_code LIMIT 1",
        "Artwork is already paid",
    ),
    (
        "winner without phone",
        """
        SELECT a.art_code FROM public.art a JOIN public.people w ON w.id = a.winner_id
        WHERE a.status <> 'paid' AND nullif(btrim(w.phone), '') IS NULL
        ORDER BY a.art_code LIMIT 1
        """,
        "Winner has no phone number",
    ),
]


@pytest.mark.parametrize(("query", "error"), [c[1:] for c in CHECKS], ids=[c[0] for c in CHECKS])
def test_an_artwork_that_cannot_be_reminded_gets_400(
    edge: Edge, query: str, error: str, unchanged: None
) -> None:
    art_code = edge.row(query)["art_code"]

    response = edge.post(FUNCTION, {"art_id": art_code})

    assert (response.status_code, response.json()) == (400, {"success": False, "error": error})


def test_an_admin_note_over_500_chars_is_refused(edge: Edge, unchanged: None) -> None:
    art = remindable(edge, 5)

    response = edge.post(FUNCTION, {"art_id": art["art_code"], "admin_note": "n" * 501})

    assert response.status_code == 400
    assert response.json() == {"success": False, "error": "admin_note is invalid"}
