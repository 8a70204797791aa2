"""Idempotency keys of the Edge-backed writes (tools.md §4.6, §5.2, §5.9), against the spec."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from artbattle_ops.tools.payments.payment_reminder import reminder_key
from artbattle_ops.tools.payments.process_payment import cents, payment_key, utc_day
from artbattle_ops.tools.profile_integrity.send_invitation import invitation_key

ARTIST = "3f2b8c1e-7d4a-4e21-9b0c-5a6d7e8f9012"
ART = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_invitation_key_is_the_hash_of_tool_eid_and_artist_number() -> None:
    assert invitation_key("AB4045", 310245) == sha256("send_artist_invitation|AB4045|310245")


@pytest.mark.parametrize(
    ("amount", "written"),
    [(Decimal("75"), "75.00"), (Decimal("75.5"), "75.50"), (Decimal("0.01"), "0.01")],
    ids=["whole", "one-decimal", "cent"],
)
def test_the_payment_key_writes_the_amount_with_two_decimals(amount: Decimal, written: str) -> None:
    key = payment_key(ARTIST, "AB4001", amount, "CAD", date(2026, 3, 28))

    assert key == sha256(f"process_artist_payment|{ARTIST}|AB4001|{written}|CAD|2026-03-28")


def test_the_payment_key_changes_with_the_utc_day() -> None:
    first = payment_key(ARTIST, "AB4001", Decimal("75"), "CAD", date(2026, 3, 28))

    assert first != payment_key(ARTIST, "AB4001", Decimal("75"), "CAD", date(2026, 3, 29))


def test_the_reminder_key_is_the_hash_of_tool_art_uuid_and_utc_date() -> None:
    assert reminder_key(ART, date(2026, 3, 28)) == sha256(f"send_payment_reminder|{ART}|2026-03-28")


def test_the_utc_day_of_a_late_evening_west_of_utc_is_the_next_day() -> None:
    toronto_evening = datetime(2026, 3, 28, 21, 30, tzinfo=timezone(timedelta(hours=-4)))

    assert utc_day(toronto_evening) == date(2026, 3, 29)


def test_the_utc_day_of_a_utc_instant_is_its_date() -> None:
    assert utc_day(datetime(2026, 3, 28, 23, 59, tzinfo=UTC)) == date(2026, 3, 28)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(75, Decimal("75.00")), (0.1 + 0.2, Decimal("0.30")), (Decimal("2.005"), Decimal("2.01"))],
    ids=["int", "float-noise", "half-up"],
)
def test_amounts_become_exact_cents(amount: Decimal | float | int, expected: Decimal) -> None:
    assert cents(amount) == expected
