"""process_artist_payment (tools.md §5.2) end to end: gateway, write ledger, the Edge emulator."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from psycopg.types.json import Jsonb

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

TOOL = "process_artist_payment"
WRITES = ("artist_payments", "system_logs")

# The owed balance of §1.10, written out independently of the code under test.
BALANCE_SQL = """
WITH c AS (
    SELECT COALESCE(SUM(COALESCE(a.final_price, a.current_bid)
                        * COALESCE(e.artist_auction_portion, 0.5)), 0) AS s
    FROM art a JOIN events e ON e.id = a.event_id
    WHERE a.artist_id = %s AND a.status = 'paid' AND e.currency = %s
), d AS (
    SELECT COALESCE(SUM(p.gross_amount), 0) AS s FROM artist_payments p
    WHERE p.artist_profile_id = %s AND p.currency = %s
      AND p.status IN ('paid', 'verified', 'processing', 'pending')
)
SELECT GREATEST(0, c.s - d.s) FROM c, d
"""


def priya(stack: WriteStack) -> dict[str, Any]:
    return dict(stack.fixtures["owed_unpaid_artist"])


def balance(stack: WriteStack, artist_id: str, currency: str = "CAD") -> Decimal:
    value = stack.sql(BALANCE_SQL, (artist_id, currency, artist_id, currency))[0][0]
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def arguments(stack: WriteStack, amount: float, **overrides: Any) -> dict[str, Any]:
    target = priya(stack)
    base = {
        "eid": target["eid"],
        "artist_profile_id": target["artist_profile_id"],
        "amount": amount,
        "currency": "CAD",
    }
    return base | overrides


def key(artist_id: str, eid: str, amount: str, currency: str = "CAD") -> str:
    return sha256(f"{TOOL}|{artist_id}|{eid}|{amount}|{currency}|{utc_today()}")


def payments_with_key(stack: WriteStack, idempotency_key: str) -> list[tuple[Any, ...]]:
    return stack.sql(
        "SELECT id, status, gross_amount, currency, art_id FROM artist_payments "
        "WHERE metadata->>'idempotency_key' = %s",
        (idempotency_key,),
    )


def test_a_closed_gate_refuses_with_the_exact_policy_message_and_writes_nothing(
    write_stack: WriteStack,
) -> None:
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, arguments(write_stack, 1.01), gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == ("mutating_disabled", DISABLED)
    assert snapshot(write_stack, *WRITES) == before


def test_the_first_call_previews_the_balance_before_and_after_and_writes_nothing(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    owed = balance(write_stack, target["artist_profile_id"])
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, arguments(write_stack, 1.02))

    preview = body["error"]["preview"]
    assert body["error"]["code"] == "confirmation_required"
    assert preview["before"]["balance_owed"] == {"amount": float(owed), "currency": "CAD"}
    expected_after = float(owed - Decimal("1.02"))
    assert preview["after"]["balance_owed"] == {"amount": expected_after, "currency": "CAD"}
    assert preview["target"]["artist_profile_id"] == target["artist_profile_id"]
    assert preview["target"]["amount"] == {"amount": 1.02, "currency": "CAD"}
    assert preview["idempotency_key"] == key(target["artist_profile_id"], "AB4002", "1.02")
    assert snapshot(write_stack, *WRITES) == before


def test_a_confirmed_payment_creates_one_processing_row_with_the_key(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    owed = balance(write_stack, target["artist_profile_id"])
    expected_key = key(target["artist_profile_id"], "AB4002", "1.03")
    representative = write_stack.sql(
        "SELECT a.id FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4002' "
        "AND a.artist_id = %s AND a.status = 'paid' ORDER BY a.closing_time DESC, a.art_code "
        "LIMIT 1",
        (target["artist_profile_id"],),
    )[0][0]

    body = write_stack.confirm(TOOL, arguments(write_stack, 1.03))

    rows = payments_with_key(write_stack, expected_key)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        ("processing", Decimal("1.03"), "CAD", representative)
    ]
    data = body["data"]
    assert (data["submitted"], data["replayed"], data["status"]) == (True, False, "processing")
    assert data["payment_id"] == str(rows[0][0])
    assert data["idempotency_key"] == expected_key
    assert data["balance_before"] == {"amount": float(owed), "currency": "CAD"}
    after = float(owed - Decimal("1.03"))
    assert data["balance_after_expected"] == {"amount": after, "currency": "CAD"}
    assert data["artist"]["artist_profile_id"] == target["artist_profile_id"]
    assert write_stack.sql(
        "SELECT count(*) FROM system_logs WHERE operation = 'process_artist_payment' "
        "AND request_data->>'payment_id' = %s",
        (data["payment_id"],),
    ) == [(1,)]
    assert ledger(write_stack, expected_key) == [(TOOL, "succeeded", None)]


def test_a_confirmation_used_twice_pays_once(write_stack: WriteStack) -> None:
    args = arguments(write_stack, 1.04)
    preview = write_stack.call(TOOL, args)
    confirmation = preview["error"]["confirmation_id"]
    write_stack.call(TOOL, args, confirmation_id=confirmation)

    again = write_stack.call(TOOL, args, confirmation_id=confirmation)

    assert (again["error"]["code"], again["error"]["message"]) == (
        "confirmation_required",
        NOT_YOURS,
    )
    assert len(payments_with_key(write_stack, preview["error"]["preview"]["idempotency_key"])) == 1


def test_another_users_confirmation_is_refused_and_nothing_is_paid(
    write_stack: WriteStack,
) -> None:
    args = arguments(write_stack, 1.05)
    preview = write_stack.call(TOOL, args, user="UOPS")
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(
        TOOL, args, user="UOPS2", confirmation_id=preview["error"]["confirmation_id"]
    )

    assert (body["error"]["code"], body["error"]["message"]) == ("confirmation_required", NOT_YOURS)
    assert snapshot(write_stack, *WRITES) == before


def test_the_same_request_again_that_day_is_replayed_without_a_confirmation(
    write_stack: WriteStack,
) -> None:
    args = arguments(write_stack, 1.06)
    paid = write_stack.confirm(TOOL, args)
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, args)

    assert body["ok"] is True
    data = body["data"]
    assert (data["changed"], data["replayed"]) == (False, True)
    assert data["payment_id"] == paid["data"]["payment_id"]
    assert snapshot(write_stack, *WRITES) == before


def test_an_existing_payment_with_the_key_is_replayed_before_the_balance_check(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    amount = balance(write_stack, target["artist_profile_id"]) + Decimal("50")
    existing_key = key(target["artist_profile_id"], "AB4002", str(amount))
    write_stack.execute(
        "INSERT INTO artist_payments (artist_profile_id, gross_amount, net_amount, currency, "
        "status, payment_type, payment_method, metadata) "
        "VALUES (%s, %s, %s, 'CAD', 'failed', 'automated', 'stripe', %s)",
        (target["artist_profile_id"], amount, amount, Jsonb({"idempotency_key": existing_key})),
    )

    body = write_stack.call(TOOL, arguments(write_stack, float(amount)))

    assert (body["ok"], body["data"]["replayed"], body["data"]["status"]) == (True, True, "failed")


def test_an_edge_function_refusing_the_credentials_fails_the_write_and_pays_nothing(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    args = arguments(write_stack, 1.07)
    preview = write_stack.call(TOOL, args)
    before = snapshot(write_stack, *WRITES)

    with assistant_admin_inactive(write_stack):
        body = write_stack.call(TOOL, args, confirmation_id=preview["error"]["confirmation_id"])

    assert (body["error"]["code"], body["error"]["message"]) == (
        "upstream_error",
        CREDENTIALS_REFUSED,
    )
    assert snapshot(write_stack, *WRITES) == before
    expected_key = key(target["artist_profile_id"], "AB4002", "1.07")
    assert ledger(write_stack, expected_key) == [(TOOL, "failed", "upstream_error")]
    rows = edge_failure_rows(write_stack, body["error"]["reference_id"])
    assert rows["execution"] == [
        ("process-artist-payment", "edge_function_error", "403", "upstream_error", False)
    ]
    assert rows["error"] == [("edge_function_error", "403")]
    assert rows["audit"] == [("edge_function_error", "403", expected_key)]


def test_a_currency_other_than_the_events_is_invalid(write_stack: WriteStack) -> None:
    body = write_stack.call(TOOL, arguments(write_stack, 1.08, currency="usd"))

    error = body["error"]
    assert (error["code"], error["message"], error["argument"]) == (
        "invalid_arguments",
        "AB4002 is settled in CAD.",
        "currency",
    )


def test_a_superseded_profile_is_a_conflict_naming_the_active_one(
    write_stack: WriteStack,
) -> None:
    duplicate = write_stack.fixtures["resolved_duplicate"]
    args = arguments(write_stack, 1.09, eid="AB4001", artist_profile_id=duplicate["old_profile_id"])

    body = write_stack.call(TOOL, args)

    assert body["error"]["code"] == "conflict"
    assert duplicate["primary_profile_id"] in body["error"]["message"]


def test_an_artist_without_a_ready_payout_account_is_refused_with_the_lookup_hint(
    write_stack: WriteStack,
) -> None:
    blocked = write_stack.fixtures["blocked_account_artist"]
    args = arguments(
        write_stack, 1.10, eid=blocked["eid"], artist_profile_id=blocked["artist_profile_id"]
    )

    body = write_stack.call(TOOL, args)

    assert body["error"]["code"] == "precondition_failed"
    assert "get_artist_stripe_status" in body["error"]["hint"]
    assert "get_payment_invitations" in body["error"]["hint"]


def test_an_artist_without_a_paid_work_at_the_event_is_refused(write_stack: WriteStack) -> None:
    target = priya(write_stack)
    assert write_stack.sql(
        "SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id "
        "WHERE e.eid = 'AB4001' AND a.artist_id = %s AND a.status = 'paid'",
        (target["artist_profile_id"],),
    ) == [(0,)]

    body = write_stack.call(TOOL, arguments(write_stack, 1.11, eid="AB4001"))

    assert body["error"]["code"] == "precondition_failed"
    assert "AB4001" in body["error"]["message"]


def test_an_amount_over_the_balance_is_refused_stating_the_balance(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    owed = balance(write_stack, target["artist_profile_id"])

    body = write_stack.call(TOOL, arguments(write_stack, float(owed + Decimal("0.01"))))

    assert body["error"]["code"] == "precondition_failed"
    assert f"{owed} CAD" in body["error"]["message"]


def test_the_whole_balance_may_be_paid(write_stack: WriteStack) -> None:
    target = priya(write_stack)
    owed = balance(write_stack, target["artist_profile_id"])

    body = write_stack.call(TOOL, arguments(write_stack, float(owed)))

    assert body["error"]["code"] == "confirmation_required"
    assert body["error"]["preview"]["after"]["balance_owed"]["amount"] == 0.0


def test_a_look_alike_payment_of_the_last_day_adds_a_preview_warning(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    inserted = write_stack.sql(
        "INSERT INTO artist_payments (artist_profile_id, gross_amount, net_amount, currency, "
        "status, payment_type, payment_method, metadata, created_at) "
        "VALUES (%s, 1.12, 1.12, 'CAD', 'failed', 'automated', 'stripe', '{}', "
        "now() - interval '2 hours') RETURNING id",
        (target["artist_profile_id"],),
    )
    payment_id = str(inserted[0][0]) if inserted else ""

    body = write_stack.call(TOOL, arguments(write_stack, 1.12))

    warnings = body["error"]["preview"]["warnings"]
    assert any(w.startswith(f"possible duplicate of payment {payment_id}") for w in warnings)


def test_an_unknown_outcome_whose_payment_exists_is_settled_without_paying_again(
    write_stack: WriteStack,
) -> None:
    target = priya(write_stack)
    args = arguments(write_stack, 1.13)
    preview = write_stack.call(TOOL, args)
    earlier_key = preview["error"]["preview"]["idempotency_key"]
    ledger_unknown(write_stack, earlier_key, TOOL)
    [(payment_id,)] = write_stack.sql(
        "INSERT INTO artist_payments (artist_profile_id, gross_amount, net_amount, currency, "
        "status, payment_type, payment_method, metadata) "
        "VALUES (%s, 1.13, 1.13, 'CAD', 'processing', 'automated', 'stripe', %s) RETURNING id",
        (target["artist_profile_id"], Jsonb({"idempotency_key": earlier_key})),
    )
    before = snapshot(write_stack, *WRITES)

    body = write_stack.call(TOOL, args, confirmation_id=preview["error"]["confirmation_id"])

    assert (body["data"]["replayed"], body["data"]["payment_id"]) == (True, str(payment_id))
    assert snapshot(write_stack, *WRITES) == before
    assert ledger(write_stack, earlier_key) == [(TOOL, "succeeded", None)]


def test_an_unknown_outcome_without_a_payment_is_retried_once(write_stack: WriteStack) -> None:
    args = arguments(write_stack, 1.14)
    preview = write_stack.call(TOOL, args)
    earlier_key = preview["error"]["preview"]["idempotency_key"]
    ledger_unknown(write_stack, earlier_key, TOOL)

    body = write_stack.call(TOOL, args, confirmation_id=preview["error"]["confirmation_id"])

    assert (body["data"]["replayed"], body["data"]["status"]) == (False, "processing")
    assert len(payments_with_key(write_stack, earlier_key)) == 1
    assert ledger(write_stack, earlier_key) == [(TOOL, "succeeded", None)]


def test_the_currency_rule_comes_before_the_superseded_profile(write_stack: WriteStack) -> None:
    duplicate = write_stack.fixtures["resolved_duplicate"]
    args = arguments(
        write_stack,
        1.15,
        eid="AB4001",
        artist_profile_id=duplicate["old_profile_id"],
        currency="USD",
    )

    body = write_stack.call(TOOL, args)

    assert (body["error"]["code"], body["error"]["message"]) == (
        "invalid_arguments",
        "AB4001 is settled in CAD.",
    )
