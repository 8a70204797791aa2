"""send_payment_reminder (tools.md §5.9) end to end: gateway, write ledger, the Edge emulator."""

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
    utc_today,
)

TOOL = "send_payment_reminder"
WRITES = ("sms_outbound", "payment_reminders")

# Sold works whose winner has a phone, other than the fixture's; each test takes its own.
SOLD_SQL = """
SELECT a.id::text, a.art_code
FROM art a JOIN people w ON w.id = a.winner_id
WHERE a.status = 'sold' AND NULLIF(btrim(w.phone), '') IS NOT NULL AND a.art_code <> %s
ORDER BY a.art_code
"""

# The §7.3 message, the winner and the sale price, written out independently.
EXPECTED_SQL = """
SELECT 'Hi ' || COALESCE(NULLIF(btrim(w.first_name), ''), 'there')
       || ', this is a reminder to complete payment for ' || a.art_code || ' by ' || ap.name
       || ' at ' || e.name || '. Reply HELP for help.',
       COALESCE(NULLIF(btrim(w.name), ''), concat_ws(' ', w.first_name, w.last_name)),
       w.phone, e.eid, e.timezone_icann,
       COALESCE(a.final_price, a.current_bid),
       COALESCE(a.final_price, a.current_bid) * (1 + COALESCE(e.tax, 0) / 100)
FROM art a
JOIN events e ON e.id = a.event_id
JOIN people w ON w.id = a.winner_id
LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
WHERE a.id = %s
"""


@pytest.fixture(scope="module")
def sold(write_stack: WriteStack) -> list[tuple[str, str]]:
    """(art uuid, art code) of remindable works, taken before any test changes anything."""
    code = write_stack.fixtures["unpaid_buyer"]["art_code"]
    rows = write_stack.sql(SOLD_SQL, (code,))
    assert len(rows) >= 10
    return [(row[0], row[1]) for row in rows]


def key(art_id: str) -> str:
    return sha256(f"{TOOL}|{art_id}|{utc_today()}")


def art_by_code(stack: WriteStack, code: str) -> str:
    return str(stack.sql("SELECT id FROM art WHERE art_code = %s", (code,))[0][0])


@contextmanager
def art_changed(stack: WriteStack, art_id: str, column: str, value: Any) -> Iterator[None]:
    """Set one column of an artwork for the duration of a case, then restore it."""
    [(old,)] = stack.sql(f"SELECT {column}::text FROM art WHERE id = %s", (art_id,))
    stack.execute(f"UPDATE art SET {column} = %s WHERE id = %s", (value, art_id))
    try:
        yield
    finally:
        stack.execute(f"UPDATE art SET {column} = %s WHERE id = %s", (old, art_id))


def test_a_closed_gate_refuses_with_the_exact_policy_message_and_texts_nobody(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, {"art_id": sold[0][1]}, gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == ("mutating_disabled", DISABLED)
    assert snapshot(write_stack, *WRITES) == before


def test_the_preview_shows_the_work_price_total_and_buyer_and_texts_nobody(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[1]
    [(_, name, phone, eid, _, price, total)] = write_stack.sql(EXPECTED_SQL, (art_id,))
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, {"art_id": code, "admin_note": "second notice"})

    preview = body["error"]["preview"]
    target = preview["target"]
    assert (target["art_id"], target["art_code"], target["event_eid"]) == (art_id, code, eid)
    assert target["sale_price"]["amount"] == float(round(price, 2))
    assert target["total_with_tax"]["amount"] == float(round(total, 2))
    assert (target["bidder_name"], target["bidder_phone"]) == (name, phone)
    assert preview["after"]["admin_note"] == "second notice"
    assert preview["idempotency_key"] == key(art_id)
    assert snapshot(write_stack, *WRITES) == before


def test_the_buyer_in_a_finance_users_preview_is_masked(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[1]
    [(_, name, phone, *_rest)] = write_stack.sql(EXPECTED_SQL, (art_id,))
    initials = " ".join(f"{word[0].upper()}." for word in name.split())

    body = write_stack.call(TOOL, {"art_id": code}, user="UFIN")

    target = body["error"]["preview"]["target"]
    assert (target["bidder_name"], target["bidder_phone"]) == (initials, f"***{phone[-2:]}")


def test_a_confirmed_reminder_texts_the_winner_once_and_logs_it(
    write_stack: WriteStack,
) -> None:
    fixture = write_stack.fixtures["unpaid_buyer"]
    art_id = fixture["art_id"]
    [(message, name, phone, eid, zone, _, _)] = write_stack.sql(EXPECTED_SQL, (art_id,))
    before = snapshot(write_stack, *WRITES)

    body = write_stack.confirm(TOOL, {"art_id": fixture["art_code"], "admin_note": "please pay"})

    new_sms = snapshot(write_stack, "sms_outbound")["sms_outbound"] - before["sms_outbound"]
    sms = write_stack.sql(
        "SELECT to_phone, message_body, metadata->>'art_id', "
        "to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
        "FROM sms_outbound WHERE id = ANY(%s)",
        (list(new_sms),),
    )
    assert [s[:3] for s in sms] == [(phone, message, art_id)]
    reminders = write_stack.sql(
        "SELECT admin_note, message_body FROM payment_reminders WHERE id = ANY(%s)",
        (list(snapshot(write_stack, *WRITES)["payment_reminders"] - before["payment_reminders"]),),
    )
    assert reminders == [("please pay", message)]
    data = body["data"]
    assert (data["sent"], data["art_id"], data["art_code"], data["event_eid"]) == (
        True,
        art_id,
        fixture["art_code"],
        eid,
    )
    assert (data["bidder_name"], data["bidder_phone"], data["message_sent"]) == (
        name,
        phone,
        message,
    )
    assert (data["sent_at"]["utc"], data["sent_at"]["tz"]) == (sms[0][3], zone)
    assert data["idempotency_key"] == key(art_id)
    assert ledger(write_stack, key(art_id)) == [(TOOL, "succeeded", None)]


def test_the_buyer_in_an_event_producers_result_is_masked(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[2]
    [(_, name, phone, *_rest)] = write_stack.sql(EXPECTED_SQL, (art_id,))

    body = write_stack.confirm(TOOL, {"art_id": code}, user="UPROD")

    data = body["data"]
    assert data["bidder_phone"] == f"***{phone[-2:]}"
    assert data["bidder_name"] == " ".join(f"{word[0].upper()}." for word in name.split())


def test_a_confirmation_used_twice_texts_once(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[3]
    preview = write_stack.call(TOOL, {"art_id": code})
    confirmation = preview["error"]["confirmation_id"]
    write_stack.call(TOOL, {"art_id": code}, confirmation_id=confirmation)
    before = snapshot(write_stack, *WRITES)

    again = write_stack.call(TOOL, {"art_id": code}, confirmation_id=confirmation)

    assert (again["error"]["code"], again["error"]["message"]) == (
        "confirmation_required",
        NOT_YOURS,
    )
    assert snapshot(write_stack, *WRITES) == before
    assert write_stack.sql(
        "SELECT count(*) FROM payment_reminders WHERE art_id = %s AND sent_at::date = "
        "(now() AT TIME ZONE 'UTC')::date",
        (art_id,),
    ) == [(1,)]


def test_a_second_reminder_the_same_day_is_a_conflict_saying_when(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    _, code = sold[8]
    write_stack.confirm(TOOL, {"art_id": code})
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, {"art_id": code})

    assert body["error"]["code"] == "conflict"
    assert "already reminded today" in body["error"]["message"]
    assert snapshot(write_stack, *WRITES) == before


def test_another_users_confirmation_is_refused_and_nobody_is_texted(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    _, code = sold[4]
    preview = write_stack.call(TOOL, {"art_id": code}, user="UOPS")
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(
        TOOL, {"art_id": code}, user="UOPS2", confirmation_id=preview["error"]["confirmation_id"]
    )

    assert (body["error"]["code"], body["error"]["message"]) == ("confirmation_required", NOT_YOURS)
    assert snapshot(write_stack, *WRITES) == before


def test_an_edge_function_refusing_the_credentials_fails_and_texts_nobody(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[5]
    preview = write_stack.call(TOOL, {"art_id": code})
    before = snapshot(write_stack, *WRITES)

    with assistant_admin_inactive(write_stack):
        body = write_stack.call(
            TOOL, {"art_id": code}, confirmation_id=preview["error"]["confirmation_id"]
        )

    assert (body["error"]["code"], body["error"]["message"]) == (
        "upstream_error",
        CREDENTIALS_REFUSED,
    )
    assert snapshot(write_stack, *WRITES) == before
    assert ledger(write_stack, key(art_id)) == [(TOOL, "failed", "upstream_error")]
    rows = edge_failure_rows(write_stack, body["error"]["reference_id"])
    assert rows["execution"] == [
        ("admin-send-payment-reminder", "edge_function_error", "403", "upstream_error", False)
    ]
    assert rows["error"] == [("edge_function_error", "403")]


def test_an_unknown_artwork_is_not_found(write_stack: WriteStack) -> None:
    body = write_stack.call(TOOL, {"art_id": "AB4001-9-99"})

    assert (body["error"]["code"], body["error"]["argument"]) == ("not_found", "art_id")


def test_a_paid_work_is_refused_as_already_paid(write_stack: WriteStack) -> None:
    body = write_stack.call(TOOL, {"art_id": "AB4002-1-2"})

    assert (body["error"]["code"], body["error"]["message"]) == (
        "precondition_failed",
        "AB4002-1-2 is already paid.",
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("active", "the auction is still open"),
        ("closed", "no bids were placed"),
        ("cancelled", "there is nothing to collect"),
        ("inactive", "there is nothing to collect"),
    ],
    ids=["active", "closed", "cancelled", "inactive"],
)
def test_a_work_that_is_not_sold_is_refused_saying_why(
    write_stack: WriteStack, sold: list[tuple[str, str]], status: str, reason: str
) -> None:
    art_id, code = sold[6]

    with art_changed(write_stack, art_id, "status", status):
        body = write_stack.call(TOOL, {"art_id": code})

    assert body["error"]["code"] == "precondition_failed"
    assert body["error"]["message"].endswith(f"{reason}.")


def test_a_work_without_a_winner_is_refused(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[6]

    with art_changed(write_stack, art_id, "winner_id", None):
        body = write_stack.call(TOOL, {"art_id": code})

    assert body["error"]["code"] == "precondition_failed"
    assert "winning bidder" in body["error"]["message"]


def test_a_winner_without_a_phone_is_refused(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[7]
    [(person_id,)] = write_stack.sql(
        "INSERT INTO people (first_name, last_name) VALUES ('No', 'Phone') RETURNING id::text"
    )

    with art_changed(write_stack, art_id, "winner_id", person_id):
        body = write_stack.call(TOOL, {"art_id": code})

    assert body["error"]["code"] == "precondition_failed"
    assert "no phone number" in body["error"]["message"]


def test_the_art_code_and_the_uuid_name_the_same_reminder(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[7]

    by_code = write_stack.call(TOOL, {"art_id": code})
    by_id = write_stack.call(TOOL, {"art_id": art_by_code(write_stack, code).upper()})

    assert by_code["error"]["preview"]["idempotency_key"] == key(art_id)
    assert by_id["error"]["preview"]["idempotency_key"] == key(art_id)


def test_an_unknown_outcome_is_not_retried_the_same_day(
    write_stack: WriteStack, sold: list[tuple[str, str]]
) -> None:
    art_id, code = sold[9]
    preview = write_stack.call(TOOL, {"art_id": code})
    ledger_unknown(write_stack, key(art_id), TOOL)
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(
        TOOL, {"art_id": code}, confirmation_id=preview["error"]["confirmation_id"]
    )

    assert body["error"]["code"] == "conflict"
    assert snapshot(write_stack, *WRITES) == before
    assert ledger(write_stack, key(art_id)) == [(TOOL, "unknown", "timeout")]
