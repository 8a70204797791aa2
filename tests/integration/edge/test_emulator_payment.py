"""`process-artist-payment` (schema.md §7.2): rules, idempotency, representative art, rows."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.integration.edge.conftest import ADMIN_EMAIL, Edge, service, serving

FUNCTION = "process-artist-payment"

# (artist, event) pairs where the artist has a ready payout account and paid art, with every
# paid artwork there (closing time and code) so the test can choose the representative itself.
PAYABLE = """
SELECT a.artist_id, a.event_id, e.eid, e.currency, ap.name,
       array_agg(a.id ORDER BY a.id) AS art_ids,
       array_agg(a.art_code ORDER BY a.id) AS art_codes,
       array_agg(a.closing_time ORDER BY a.id) AS closing_times
FROM public.art a
JOIN public.events e ON e.id = a.event_id
JOIN public.artist_profiles ap ON ap.id = a.artist_id
WHERE a.status = 'paid' AND e.currency IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM public.artist_global_payments g
      WHERE g.artist_profile_id = a.artist_id AND g.status = 'ready'
        AND g.stripe_recipient_id IS NOT NULL
  )
GROUP BY a.artist_id, a.event_id, e.eid, e.currency, ap.name
HAVING count(*) >= %s
ORDER BY a.artist_id, a.event_id
OFFSET %s LIMIT 1
"""


def payable(edge: Edge, offset: int, *, min_paid: int = 1) -> dict[str, Any]:
    """An artist with a ready account and paid art at one event; `offset` keeps tests apart."""
    return edge.row(PAYABLE, (min_paid, offset))


def key() -> str:
    """A new Idempotency-Key of the gateway's form (64 hex)."""
    return uuid.uuid4().hex + uuid.uuid4().hex


def pay(
    edge: Edge, body: dict[str, Any], *, idempotency_key: str | None = None, token: Any = None
) -> Any:
    """POST a payment; the admin token unless `token` is given."""
    headers = {} if idempotency_key is None else {"Idempotency-Key": idempotency_key}
    if token is None:
        return edge.post(FUNCTION, body, headers=headers)
    return edge.post(FUNCTION, body, headers=headers, token=token)


def payment_row(edge: Edge, payment_id: str) -> dict[str, Any]:
    """The stored payment, read independently."""
    return edge.row("SELECT * FROM public.artist_payments WHERE id = %s", (payment_id,))


def test_a_payment_is_inserted_processing_with_its_amounts_and_metadata(edge: Edge) -> None:
    target = payable(edge, 0)
    sent_key = key()
    body = {
        "artist_profile_id": str(target["artist_id"]),
        "amount": 125.5,
        "currency": target["currency"].lower(),
        "event_id": str(target["event_id"]),
    }

    response = pay(edge, body, idempotency_key=sent_key)

    assert response.status_code == 200
    row = payment_row(edge, response.json()["payment_id"])
    assert (row["gross_amount"], row["net_amount"], row["platform_fee"], row["stripe_fee"]) == (
        Decimal("125.50"),
        Decimal("125.50"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert (row["currency"], row["status"], row["payment_type"], row["payment_method"]) == (
        target["currency"],
        "processing",
        "automated",
        "stripe",
    )
    assert (row["description"], row["created_by"]) == (
        "Art Battle artist payment",
        "process-artist-payment",
    )
    assert row["metadata"] == {
        "event_id": str(target["event_id"]),
        "eid": target["eid"],
        "requested_by": ADMIN_EMAIL,
        "idempotency_key": sent_key,
        "emulated": True,
    }


def test_the_response_names_the_payment_and_the_artist(edge: Edge) -> None:
    target = payable(edge, 1)
    body = {"artist_profile_id": str(target["artist_id"]), "amount": 40}

    response = pay(edge, body)

    payload = response.json()
    assert payload == {
        "success": True,
        "payment_id": payload["payment_id"],
        "artist_profile_id": str(target["artist_id"]),
        "art_id": None,
        "amount": 40,
        "currency": "USD",
        "status": "processing",
        "duplicate": False,
        "message": f"Payment queued for {target['name']}",
    }


def test_a_system_log_row_records_the_payment(edge: Edge) -> None:
    target = payable(edge, 2)

    payment_id = pay(edge, {"artist_profile_id": str(target["artist_id"]), "amount": 12}).json()[
        "payment_id"
    ]

    log = edge.row(
        "SELECT * FROM public.system_logs WHERE request_data->>'payment_id' = %s", (payment_id,)
    )
    assert (log["service"], log["operation"], log["level"]) == (
        "artist_payments",
        "process_artist_payment",
        "info",
    )
    assert log["request_data"] == {"payment_id": payment_id, "amount": 12, "currency": "USD"}


def test_without_an_event_the_art_is_null(edge: Edge) -> None:
    target = payable(edge, 3)

    response = pay(edge, {"artist_profile_id": str(target["artist_id"]), "amount": 10})

    assert payment_row(edge, response.json()["payment_id"])["art_id"] is None


@pytest.mark.parametrize("offset", [0, 1, 2, 3])
def test_the_representative_art_is_the_latest_closing_paid_work_then_the_first_code(
    edge: Edge, offset: int
) -> None:
    target = payable(edge, offset, min_paid=2)
    works = list(zip(target["art_ids"], target["art_codes"], target["closing_times"], strict=True))
    latest = max(closing for _, _, closing in works if closing is not None)
    expected = min((w for w in works if w[2] == latest), key=lambda w: w[1])[0]
    body = {
        "artist_profile_id": str(target["artist_id"]),
        "amount": 1,
        "currency": target["currency"],
        "event_id": str(target["event_id"]),
    }

    response = pay(edge, body)

    assert response.json()["art_id"] == str(expected)
    assert payment_row(edge, response.json()["payment_id"])["art_id"] == expected


def test_a_repeated_key_with_the_same_parameters_returns_the_first_payment(edge: Edge) -> None:
    target = payable(edge, 4)
    body = {"artist_profile_id": str(target["artist_id"]), "amount": 77.25}
    sent_key = key()
    first = pay(edge, body, idempotency_key=sent_key).json()
    before = edge.counts()

    again = pay(edge, body, idempotency_key=sent_key)

    assert again.status_code == 200
    assert again.json() == {**first, "duplicate": True}
    assert edge.counts() == before


@pytest.mark.parametrize(
    "change",
    [{"amount": 77.26}, {"currency": "CAD"}, {"artist_profile_id": "other"}],
    ids=["amount", "currency", "artist"],
)
def test_a_repeated_key_with_other_parameters_gets_409(edge: Edge, change: dict[str, Any]) -> None:
    target = payable(edge, 5)
    other = payable(edge, 6)
    body = {"artist_profile_id": str(target["artist_id"]), "amount": 77.25}
    sent_key = key()
    pay(edge, body, idempotency_key=sent_key)
    if change.get("artist_profile_id") == "other":
        change = {"artist_profile_id": str(other["artist_id"])}
    before = edge.counts()

    response = pay(edge, body | change, idempotency_key=sent_key)

    assert response.status_code == 409
    assert response.json() == {"error": "Idempotency key reused with different parameters"}
    assert edge.counts() == before


def test_the_service_token_pays_as_service_role(edge: Edge) -> None:
    target = payable(edge, 7)

    response = pay(
        edge, {"artist_profile_id": str(target["artist_id"]), "amount": 5}, token=service()
    )

    metadata = payment_row(edge, response.json()["payment_id"])["metadata"]
    assert metadata["requested_by"] == "service_role"
    assert "idempotency_key" not in metadata


@pytest.fixture(scope="module")
def auto_edge(edge_db: str) -> Iterator[Edge]:
    """An emulator that completes payouts at once."""
    with serving(edge_db, EDGE_AUTO_COMPLETE_PAYOUTS="true") as running:
        yield running


def test_auto_complete_marks_the_payment_paid_with_a_derived_transfer_id(
    auto_edge: Edge,
) -> None:
    target = payable(auto_edge, 8)

    response = pay(auto_edge, {"artist_profile_id": str(target["artist_id"]), "amount": 9})

    payment_id = response.json()["payment_id"]
    row = payment_row(auto_edge, payment_id)
    expected_transfer = "tr_emu_" + hashlib.sha256(payment_id.encode()).hexdigest()[:16]
    assert (response.json()["status"], row["status"], row["stripe_transfer_id"]) == (
        "paid",
        "paid",
        expected_transfer,
    )
    assert row["paid_at"] is not None


INVALID: list[tuple[str, dict[str, Any]]] = [
    ("artist_profile_id", {"artist_profile_id": "not-a-uuid", "amount": 1}),
    ("artist_profile_id", {"amount": 1}),
    ("amount", {"amount": None}),
    ("amount", {"amount": "10"}),
    ("amount", {"amount": True}),
    ("amount", {"amount": 0}),
    ("amount", {"amount": -5}),
    ("amount", {"amount": 10000.01}),
    ("amount", {"amount": 1.005}),
    ("currency", {"amount": 1, "currency": "XYZ"}),
    ("currency", {"amount": 1, "currency": 5}),
    ("event_id", {"amount": 1, "event_id": "AB4001"}),
    ("payment_type", {"amount": 1, "payment_type": "manual"}),
    ("description", {"amount": 1, "description": "d" * 501}),
]


@pytest.mark.parametrize(
    ("field", "change"), INVALID, ids=[f"{f}:{list(c.values())[-1]!r}"[:40] for f, c in INVALID]
)
def test_a_field_outside_its_rule_gets_400_naming_the_field(
    edge: Edge, field: str, change: dict[str, Any], unchanged: None
) -> None:
    target = payable(edge, 0)
    body = {"artist_profile_id": str(target["artist_id"])} | change
    if "artist_profile_id" not in change and field == "artist_profile_id":
        body.pop("artist_profile_id")

    response = pay(edge, body)

    assert response.status_code == 400
    assert response.json()["error"] == f"{field} is invalid"


def test_an_amount_of_exactly_10000_with_2_decimals_is_accepted(edge: Edge) -> None:
    target = payable(edge, 9)

    response = pay(edge, {"artist_profile_id": str(target["artist_id"]), "amount": 10000.00})

    assert response.status_code == 200


@pytest.mark.parametrize("length", [7, 101])
def test_an_idempotency_key_outside_8_to_100_chars_gets_400(
    edge: Edge, length: int, unchanged: None
) -> None:
    target = payable(edge, 0)

    response = pay(
        edge,
        {"artist_profile_id": str(target["artist_id"]), "amount": 1},
        idempotency_key="k" * length,
    )

    assert (response.status_code, response.json()["error"]) == (400, "Idempotency-Key is invalid")


def test_a_currency_other_than_the_events_gets_400_with_the_event_currency(
    edge: Edge, unchanged: None
) -> None:
    target = payable(edge, 0)
    other = "EUR" if target["currency"] != "EUR" else "USD"
    body = {
        "artist_profile_id": str(target["artist_id"]),
        "amount": 1,
        "currency": other,
        "event_id": str(target["event_id"]),
    }

    response = pay(edge, body)

    assert response.status_code == 400
    assert response.json() == {
        "error": "Currency does not match event currency",
        "details": {"event_currency": target["currency"]},
    }


def test_an_unknown_artist_gets_404(edge: Edge, unchanged: None) -> None:
    response = pay(edge, {"artist_profile_id": str(uuid.uuid4()), "amount": 1})

    assert (response.status_code, response.json()) == (404, {"error": "Artist profile not found"})


def test_an_unknown_event_gets_404(edge: Edge, unchanged: None) -> None:
    target = payable(edge, 0)
    body = {
        "artist_profile_id": str(target["artist_id"]),
        "amount": 1,
        "event_id": str(uuid.uuid4()),
    }

    response = pay(edge, body)

    assert (response.status_code, response.json()) == (404, {"error": "Event not found"})


@pytest.mark.parametrize("status", ["invited", "in_review", "blocked", "none"])
def test_an_artist_without_a_ready_payout_account_gets_400_with_its_status(
    edge: Edge, status: str, unchanged: None
) -> None:
    if status == "none":
        query = """
            SELECT p.id FROM public.artist_profiles p
            WHERE NOT EXISTS (
                SELECT 1 FROM public.artist_global_payments g WHERE g.artist_profile_id = p.id
            )
            LIMIT 1
        """
        artist = edge.row(query)
    else:
        artist = edge.row(
            """
            SELECT g.artist_profile_id AS id FROM public.artist_global_payments g
            WHERE g.status = %s
              AND NOT EXISTS (
                  SELECT 1 FROM public.artist_global_payments r
                  WHERE r.artist_profile_id = g.artist_profile_id AND r.status <> %s
              )
            LIMIT 1
            """,
            (status, status),
        )

    response = pay(edge, {"artist_profile_id": str(artist["id"]), "amount": 1})

    assert response.status_code == 400
    assert response.json() == {
        "error": "Artist has no ready payout account",
        "details": {"status": status},
    }


def test_an_artist_without_paid_art_at_the_event_gets_400(edge: Edge, unchanged: None) -> None:
    target = edge.row(
        """
        SELECT g.artist_profile_id, e.id AS event_id, e.currency
        FROM public.artist_global_payments g
        CROSS JOIN public.events e
        WHERE g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL AND e.currency IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM public.art a
              WHERE a.artist_id = g.artist_profile_id AND a.event_id = e.id AND a.status = 'paid'
          )
        LIMIT 1
        """
    )
    body = {
        "artist_profile_id": str(target["artist_profile_id"]),
        "amount": 1,
        "currency": target["currency"],
        "event_id": str(target["event_id"]),
    }

    response = pay(edge, body)

    assert response.status_code == 400
    assert response.json() == {"error": "No paid artwork for this artist at this event"}
