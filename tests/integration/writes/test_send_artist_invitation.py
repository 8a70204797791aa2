"""send_artist_invitation (tools.md §4.6) end to end: gateway, write ledger, the Edge emulator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.integration.writes.conftest import WriteStack
from tests.integration.writes.edge_checks import (
    CREDENTIALS_REFUSED,
    DISABLED,
    NOT_YOURS,
    assistant_admin_inactive,
    edge_failure_rows,
    ledger,
    ledger_unknown,
    sha256,
    snapshot,
)

TOOL = "send_artist_invitation"
EID = "AB4012"  # Amsterdam, in 40 days
WRITES = ("artist_invitations", "email_logs")
MESSAGE = "We'd love to have you back!"

# Active profiles never invited to or confirmed for the event, with or without an email on file
# (their own, else their person's); each test takes its own.
CANDIDATES_SQL = """
SELECT ap.id::text, ap.entry_id, ap.name,
       COALESCE(NULLIF(btrim(ap.email), ''), NULLIF(btrim(pe.email), '')) AS recipient
FROM artist_profiles ap
LEFT JOIN people pe ON pe.id = ap.person_id
WHERE ap.superseded_by IS NULL AND ap.name IS NOT NULL
  AND (COALESCE(NULLIF(btrim(ap.email), ''), NULLIF(btrim(pe.email), '')) IS NOT NULL) = %s
  AND NOT EXISTS (SELECT 1 FROM artist_invitations i WHERE i.event_eid = %s
                  AND (i.artist_profile_id = ap.id OR i.artist_number = ap.entry_id::text))
  AND NOT EXISTS (SELECT 1 FROM artist_confirmations c WHERE c.event_eid = %s
                  AND (c.artist_profile_id = ap.id OR c.artist_number = ap.entry_id::text))
ORDER BY ap.entry_id
LIMIT 20
"""


@pytest.fixture(scope="module")
def artists(write_stack: WriteStack) -> list[tuple[str, int, str, str]]:
    """(id, entry_id, name, email) of invitable artists with an email, taken before any test."""
    return [tuple(row) for row in write_stack.sql(CANDIDATES_SQL, (True, EID, EID))]


@pytest.fixture(scope="module")
def no_email(write_stack: WriteStack) -> list[tuple[str, int, str, str]]:
    """Invitable artists with no email on file at all."""
    return [tuple(row) for row in write_stack.sql(CANDIDATES_SQL, (False, EID, EID))]


def arguments(profile_id: str, eid: str = EID, message: str = MESSAGE) -> dict[str, Any]:
    return {"eid": eid, "artist_profile_id": profile_id, "message_from_producer": message}


def key(eid: str, entry_id: int) -> str:
    return sha256(f"{TOOL}|{eid}|{entry_id}")


def invitations(stack: WriteStack, profile_id: str, eid: str = EID) -> list[tuple[Any, ...]]:
    return stack.sql(
        "SELECT id::text, artist_number, status::text, message_from_producer "
        "FROM artist_invitations WHERE event_eid = %s AND artist_profile_id = %s",
        (eid, profile_id),
    )


@contextmanager
def inserted(
    stack: WriteStack, statement: str, params: tuple[Any, ...], table: str
) -> Iterator[None]:
    """A row inserted for the duration of a case (`statement` returns its id), then deleted."""
    [(row_id,)] = stack.sql(statement, params)
    try:
        yield
    finally:
        stack.execute(f"DELETE FROM {table} WHERE id = %s", (row_id,))


def test_a_closed_gate_refuses_with_the_exact_policy_message_and_invites_nobody(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, arguments(artists[0][0]), gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == ("mutating_disabled", DISABLED)
    assert snapshot(write_stack, *WRITES) == before


def test_the_preview_shows_the_event_artist_message_and_email_and_writes_nothing(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id, entry_id, name, _ = artists[1]
    [(start_utc, zone)] = write_stack.sql(
        "SELECT to_char(event_start_datetime AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS"Z"\'), timezone_icann FROM events WHERE eid = %s',
        (EID,),
    )
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, arguments(profile_id))

    preview = body["error"]["preview"]
    target = preview["target"]
    assert (target["artist_profile_id"], target["entry_id"], target["name"]) == (
        profile_id,
        entry_id,
        name,
    )
    assert (target["event_eid"], target["event_start"]["utc"]) == (EID, start_utc)
    assert target["event_start"]["tz"] == zone
    assert preview["after"]["message_from_producer"] == MESSAGE
    assert preview["before"]["email_on_file"] is True
    assert preview["warnings"] == []
    assert preview["idempotency_key"] == key(EID, entry_id)
    assert snapshot(write_stack, *WRITES) == before


def test_the_message_in_an_event_producers_preview_is_masked(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    message = "Call me at +1 416 555 0123 to confirm."

    body = write_stack.call(TOOL, arguments(artists[1][0], message=message), user="UPROD")

    shown = body["error"]["preview"]["after"]["message_from_producer"]
    assert shown == "Call me at ***23 to confirm."


def test_a_confirmed_invitation_is_created_once_and_emailed(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id, entry_id, _, recipient = artists[2]
    before = snapshot(write_stack, *WRITES)

    body = write_stack.confirm(TOOL, arguments(profile_id))

    rows = invitations(write_stack, profile_id)
    assert [r[1:] for r in rows] == [(str(entry_id), "pending", MESSAGE)]
    new_emails = snapshot(write_stack, "email_logs")["email_logs"] - before["email_logs"]
    emails = write_stack.sql(
        "SELECT recipient, subject FROM email_logs WHERE id = ANY(%s)", (list(new_emails),)
    )
    [(event_name,)] = write_stack.sql("SELECT name FROM events WHERE eid = %s", (EID,))
    assert emails == [(recipient, f"Invitation to paint at {event_name} ({EID})")]
    assert body["data"] == {
        "sent": True,
        "invitation_id": rows[0][0],
        "event_eid": EID,
        "artist_profile_id": profile_id,
        "artist_number": str(entry_id),
        "status": "pending",
        "email_sent": True,
        "email_error": None,
        "idempotency_key": key(EID, entry_id),
        "replayed": False,
    }
    assert ledger(write_stack, key(EID, entry_id)) == [(TOOL, "succeeded", None)]


def test_a_confirmation_used_twice_invites_once(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id = artists[3][0]
    preview = write_stack.call(TOOL, arguments(profile_id))
    confirmation = preview["error"]["confirmation_id"]
    write_stack.call(TOOL, arguments(profile_id), confirmation_id=confirmation)
    before = snapshot(write_stack, *WRITES)

    again = write_stack.call(TOOL, arguments(profile_id), confirmation_id=confirmation)

    assert (again["error"]["code"], again["error"]["message"]) == (
        "confirmation_required",
        NOT_YOURS,
    )
    assert snapshot(write_stack, *WRITES) == before
    assert len(invitations(write_stack, profile_id)) == 1


def test_another_users_confirmation_is_refused_and_nobody_is_invited(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id = artists[4][0]
    preview = write_stack.call(TOOL, arguments(profile_id), user="UOPS")
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(
        TOOL,
        arguments(profile_id),
        user="UOPS2",
        confirmation_id=preview["error"]["confirmation_id"],
    )

    assert (body["error"]["code"], body["error"]["message"]) == ("confirmation_required", NOT_YOURS)
    assert snapshot(write_stack, *WRITES) == before


def test_an_edge_function_refusing_the_credentials_fails_and_invites_nobody(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id, entry_id, _, _ = artists[5]
    preview = write_stack.call(TOOL, arguments(profile_id))
    before = snapshot(write_stack, *WRITES)

    with assistant_admin_inactive(write_stack):
        body = write_stack.call(
            TOOL, arguments(profile_id), confirmation_id=preview["error"]["confirmation_id"]
        )

    assert (body["error"]["code"], body["error"]["message"]) == (
        "upstream_error",
        CREDENTIALS_REFUSED,
    )
    assert snapshot(write_stack, *WRITES) == before
    assert ledger(write_stack, key(EID, entry_id)) == [(TOOL, "failed", "upstream_error")]
    rows = edge_failure_rows(write_stack, body["error"]["reference_id"])
    assert rows["execution"] == [
        ("admin-send-invitation", "edge_function_error", "403", "upstream_error", False)
    ]
    assert rows["error"] == [("edge_function_error", "403")]


def test_an_artist_without_an_email_gets_a_preview_warning(
    write_stack: WriteStack, no_email: list[tuple[str, int, str, str]]
) -> None:
    body = write_stack.call(TOOL, arguments(no_email[0][0]))

    preview = body["error"]["preview"]
    assert preview["before"]["email_on_file"] is False
    assert len(preview["warnings"]) == 1


def test_an_invitation_whose_email_fails_succeeds_with_an_email_not_sent_warning(
    write_stack: WriteStack, no_email: list[tuple[str, int, str, str]]
) -> None:
    profile_id = no_email[1][0]
    before = snapshot(write_stack, "email_logs")

    body = write_stack.confirm(TOOL, arguments(profile_id))

    assert (body["data"]["email_sent"], body["data"]["email_error"]) == (
        False,
        "No email address for artist",
    )
    assert [w["code"] for w in body["warnings"]] == ["email_not_sent"]
    assert len(invitations(write_stack, profile_id)) == 1
    assert snapshot(write_stack, "email_logs") == before


def test_a_superseded_profile_is_a_conflict_naming_the_active_one(
    write_stack: WriteStack,
) -> None:
    duplicate = write_stack.fixtures["resolved_duplicate"]

    body = write_stack.call(TOOL, arguments(duplicate["old_profile_id"]))

    assert body["error"]["code"] == "conflict"
    assert duplicate["primary_profile_id"] in body["error"]["message"]


def test_a_profile_without_an_entry_id_is_refused(write_stack: WriteStack) -> None:
    # entry_id is NOT NULL in the demo schema; the rule guards older production rows.
    write_stack.execute("ALTER TABLE artist_profiles ALTER COLUMN entry_id DROP NOT NULL")
    insert = "INSERT INTO artist_profiles (name, entry_id) VALUES ('No Number', NULL) RETURNING id"
    [(profile_id,)] = write_stack.sql(insert)

    try:
        body = write_stack.call(TOOL, arguments(str(profile_id)))
    finally:
        write_stack.execute("DELETE FROM artist_profiles WHERE id = %s", (profile_id,))
        write_stack.execute("ALTER TABLE artist_profiles ALTER COLUMN entry_id SET NOT NULL")

    assert body["error"]["code"] == "precondition_failed"
    assert "entry_id" in body["error"]["message"]


@pytest.mark.parametrize("eid", ["AB4003", "AB4001"], ids=["live", "past"])
def test_an_event_that_started_or_is_over_is_refused(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]], eid: str
) -> None:
    body = write_stack.call(TOOL, arguments(artists[6][0], eid=eid))

    assert body["error"]["code"] == "precondition_failed"
    assert eid in body["error"]["message"]


@pytest.mark.parametrize("status", ["pending", "accepted", "declined", "withdrawn", "expired"])
def test_an_existing_invitation_of_any_status_is_a_conflict_naming_it(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]], status: str
) -> None:
    profile_id, entry_id, name, _ = artists[7]
    statement = (
        "INSERT INTO artist_invitations (artist_number, event_eid, status, created_at) "
        "VALUES (%s, %s, %s, '2026-02-03T12:00:00Z') RETURNING id"
    )

    with inserted(write_stack, statement, (str(entry_id), EID, status), "artist_invitations"):
        body = write_stack.call(TOOL, arguments(profile_id))

    assert (body["error"]["code"], body["error"]["message"]) == (
        "conflict",
        f"{name} already has a {status} invitation to {EID} (created 3 Feb).",
    )


def test_a_confirmed_artist_without_an_invitation_is_a_conflict(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id, _, name, _ = artists[8]
    statement = (
        "INSERT INTO artist_confirmations (artist_profile_id, event_eid, confirmation_status) "
        "VALUES (%s, %s, 'confirmed') RETURNING id"
    )

    with inserted(write_stack, statement, (profile_id, EID), "artist_confirmations"):
        body = write_stack.call(TOOL, arguments(profile_id))

    assert (body["error"]["code"], body["error"]["message"]) == (
        "conflict",
        f"{name} is already confirmed for {EID}.",
    )


def test_a_withdrawn_confirmation_does_not_block_an_invitation(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id = artists[9][0]
    statement = (
        "INSERT INTO artist_confirmations (artist_profile_id, event_eid, confirmation_status) "
        "VALUES (%s, %s, 'withdrawn') RETURNING id"
    )

    with inserted(write_stack, statement, (profile_id, EID), "artist_confirmations"):
        body = write_stack.call(TOOL, arguments(profile_id))

    assert body["error"]["code"] == "confirmation_required"


def test_an_unknown_outcome_whose_invitation_exists_is_settled_without_inviting_again(
    write_stack: WriteStack, artists: list[tuple[str, int, str, str]]
) -> None:
    profile_id, entry_id, _, _ = artists[10]
    preview = write_stack.call(TOOL, arguments(profile_id))
    ledger_unknown(write_stack, key(EID, entry_id), TOOL)
    [(invitation_id,)] = write_stack.sql(
        "INSERT INTO artist_invitations (artist_number, event_eid, artist_profile_id, status) "
        "VALUES (%s, %s, %s, 'pending') RETURNING id::text",
        (str(entry_id), EID, profile_id),
    )
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(
        TOOL, arguments(profile_id), confirmation_id=preview["error"]["confirmation_id"]
    )

    data = body["data"]
    assert (data["replayed"], data["invitation_id"], data["email_sent"]) == (
        True,
        invitation_id,
        None,
    )
    assert snapshot(write_stack, *WRITES) == before
    assert ledger(write_stack, key(EID, entry_id)) == [(TOOL, "succeeded", None)]
