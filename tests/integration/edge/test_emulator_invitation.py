"""`admin-send-invitation` (schema.md §7.1): the four checks, the rows it writes, concurrency."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx2
import pytest

from tests.integration.edge.conftest import ADMIN_EMAIL, Edge, admin_token_for

FUNCTION = "admin-send-invitation"
MESSAGE = "We would love to have you paint with us."

# Profiles with (or without) an address, paired with events they have no invitation for.
FRESH_PAIRS = """
SELECT p.id AS profile_id, p.entry_id, p.name,
       coalesce(nullif(btrim(p.email), ''), nullif(btrim(pe.email), '')) AS recipient,
       e.id AS event_id, e.eid, e.name AS event_name
FROM public.artist_profiles p
LEFT JOIN public.people pe ON pe.id = p.person_id
CROSS JOIN public.events e
WHERE (coalesce(nullif(btrim(p.email), ''), nullif(btrim(pe.email), '')) IS NOT NULL) = %s
  AND NOT EXISTS (
      SELECT 1 FROM public.artist_invitations i
      WHERE i.artist_number = p.entry_id::text AND i.event_eid = e.eid
  )
ORDER BY p.entry_id, e.eid
OFFSET %s LIMIT 1
"""


def fresh_pair(edge: Edge, offset: int, *, with_email: bool = True) -> dict[str, Any]:
    """An artist and an event with no invitation yet; `offset` keeps tests apart."""
    return edge.row(FRESH_PAIRS, (with_email, offset))


def invite_body(pair: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A complete request for `pair`."""
    return {
        "artist_number": pair["entry_id"],
        "event_eid": pair["eid"],
        "message_from_producer": MESSAGE,
        **extra,
    }


def invitations_for(edge: Edge, pair: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for the pair, read independently."""
    return edge.rows(
        "SELECT * FROM public.artist_invitations WHERE artist_number = %s AND event_eid = %s",
        (str(pair["entry_id"]), pair["eid"]),
    )


def test_an_invitation_is_inserted_pending_with_the_callers_metadata(edge: Edge) -> None:
    pair = fresh_pair(edge, 0)

    response = edge.post(FUNCTION, invite_body(pair))

    assert response.status_code == 200
    [row] = invitations_for(edge, pair)
    assert (row["artist_profile_id"], row["status"], row["message_from_producer"]) == (
        pair["profile_id"],
        "pending",
        MESSAGE,
    )
    assert row["entry_date"] is not None
    assert row["metadata"]["sent_by"] == ADMIN_EMAIL
    assert row["metadata"]["sent_at"].endswith("+00:00")


def test_the_response_carries_the_inserted_row_and_the_message(edge: Edge) -> None:
    pair = fresh_pair(edge, 1)

    body = edge.post(FUNCTION, invite_body(pair)).json()

    [row] = invitations_for(edge, pair)
    assert body["success"] is True
    assert body["invitation"]["id"] == str(row["id"])
    assert body["invitation"]["artist_number"] == str(pair["entry_id"])
    assert body["email"] == {"success": True}
    assert body["message"] == f"Invitation sent to {pair['name']} for {pair['eid']}"


def test_the_artist_is_emailed_through_email_logs(edge: Edge) -> None:
    pair = fresh_pair(edge, 2)

    edge.post(FUNCTION, invite_body(pair))

    subject = f"Invitation to paint at {pair['event_name']} ({pair['eid']})"
    [log] = edge.rows(
        "SELECT * FROM public.email_logs WHERE subject = %s AND recipient = %s",
        (subject, pair["recipient"]),
    )
    assert (log["sender"], log["status"], log["method"], log["event_id"]) == (
        "invitations@artbattle.example",
        "sent",
        "edge_emulator",
        pair["event_id"],
    )
    assert log["sent_at"] is not None


def test_an_artist_without_email_is_invited_and_the_email_reported_failed(edge: Edge) -> None:
    pair = fresh_pair(edge, 0, with_email=False)
    emails_before = edge.counts()["email_logs"]

    body = edge.post(FUNCTION, invite_body(pair)).json()

    assert body["email"] == {"success": False, "error": "No email address for artist"}
    assert len(invitations_for(edge, pair)) == 1
    assert edge.counts()["email_logs"] == emails_before


def test_an_artist_number_given_as_text_and_a_matching_profile_id_are_accepted(
    edge: Edge,
) -> None:
    pair = fresh_pair(edge, 3)
    body = invite_body(pair, artist_profile_id=str(pair["profile_id"]))
    body["artist_number"] = str(pair["entry_id"])

    response = edge.post(FUNCTION, body)

    assert response.status_code == 200
    assert len(invitations_for(edge, pair)) == 1


def test_a_photo_level_admin_may_invite(edge: Edge) -> None:
    pair = fresh_pair(edge, 4)
    photo = edge.row("SELECT email FROM public.abhq_admin_users WHERE active AND level = 'photo'")

    response = edge.post(FUNCTION, invite_body(pair), token=admin_token_for(edge, photo["email"]))

    assert response.status_code == 200


MISSING = [
    ({}, ["artist_number", "event_eid", "message_from_producer"]),
    ({"artist_number": 310001, "event_eid": "AB1"}, ["message_from_producer"]),
    ({"artist_number": None, "event_eid": " ", "message_from_producer": "  "}, None),
]


@pytest.mark.parametrize(("body", "missing"), MISSING, ids=["empty", "no message", "blank"])
def test_missing_required_fields_get_400_naming_them(
    edge: Edge, body: dict[str, Any], missing: list[str] | None, unchanged: None
) -> None:
    response = edge.post(FUNCTION, body)

    expected = missing or ["artist_number", "event_eid", "message_from_producer"]
    assert response.status_code == 400
    assert response.json() == {"error": "Missing required fields", "details": expected}


def test_an_unknown_event_gets_404_naming_it(edge: Edge, unchanged: None) -> None:
    pair = fresh_pair(edge, 5)

    response = edge.post(FUNCTION, invite_body(pair, event_eid="AB999999"))

    assert response.status_code == 404
    assert response.json() == {"error": "Event not found", "details": "event_eid=AB999999"}


def test_an_unknown_artist_number_gets_404(edge: Edge, unchanged: None) -> None:
    pair = fresh_pair(edge, 5)
    unused = edge.row("SELECT max(entry_id) + 1000 AS n FROM public.artist_profiles")["n"]

    response = edge.post(FUNCTION, invite_body(pair, artist_number=unused))

    assert (response.status_code, response.json()) == (404, {"error": "Artist profile not found"})


def test_an_unknown_artist_profile_id_gets_404(edge: Edge, unchanged: None) -> None:
    pair = fresh_pair(edge, 5)

    response = edge.post(FUNCTION, invite_body(pair, artist_profile_id=str(uuid.uuid4())))

    assert (response.status_code, response.json()) == (404, {"error": "Artist profile not found"})


def test_a_profile_id_of_another_artist_gets_400(edge: Edge, unchanged: None) -> None:
    pair = fresh_pair(edge, 5)
    other = edge.row(
        "SELECT id FROM public.artist_profiles WHERE entry_id <> %s LIMIT 1", (pair["entry_id"],)
    )

    response = edge.post(FUNCTION, invite_body(pair, artist_profile_id=str(other["id"])))

    assert response.status_code == 400
    assert response.json() == {"error": "artist_profile_id does not match artist_number"}


def test_an_existing_invitation_of_any_status_gets_400_with_its_id_and_status(
    edge: Edge, unchanged: None
) -> None:
    existing = edge.row(
        """
        SELECT i.id, i.status::text AS status, i.artist_number, i.event_eid
        FROM public.artist_invitations i
        JOIN public.events e ON e.eid = i.event_eid
        JOIN public.artist_profiles p ON p.entry_id::text = i.artist_number
        WHERE i.status <> 'pending'
        ORDER BY i.created_at, i.id
        LIMIT 1
        """
    )
    body = {
        "artist_number": existing["artist_number"],
        "event_eid": existing["event_eid"],
        "message_from_producer": MESSAGE,
    }

    response = edge.post(FUNCTION, body)

    assert response.status_code == 400
    assert response.json() == {
        "error": "Invitation already exists for this artist and event",
        "details": {"invitation_id": str(existing["id"]), "status": existing["status"]},
    }


def test_a_message_over_5000_chars_is_refused(edge: Edge, unchanged: None) -> None:
    pair = fresh_pair(edge, 5)

    response = edge.post(FUNCTION, invite_body(pair, message_from_producer="x" * 5001))

    assert (response.status_code, response.json()["error"]) == (
        400,
        "message_from_producer is invalid",
    )


async def test_two_concurrent_identical_invitations_create_exactly_one_row(edge: Edge) -> None:
    pair = fresh_pair(edge, 6)
    url = f"{edge.url}/functions/v1/{FUNCTION}"
    headers = {"Authorization": f"Bearer {edge.admin_token}"}

    async with httpx2.AsyncClient(timeout=30) as client:
        responses = await asyncio.gather(
            *(client.post(url, json=invite_body(pair), headers=headers) for _ in range(2))
        )

    assert sorted(r.status_code for r in responses) == [200, 400]
    assert len(invitations_for(edge, pair)) == 1
