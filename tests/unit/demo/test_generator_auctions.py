"""Auctions of finished events: bid volume, prices, extensions and outcomes (schema.md §8.6)."""

from collections import Counter
from typing import Any

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.tables import events_by_eid, records


def _finished_works(dataset: Dataset) -> list[dict[str, Any]]:
    past = {
        e["id"]
        for e in records(dataset, "events")
        if e["event_end_datetime"] < dataset.as_of and e["eid"] != "AB4014"
    }
    return [a for a in records(dataset, "art") if a["event_id"] in past]


def test_between_15_and_35_percent_of_finished_works_get_no_bids(demo: Dataset) -> None:
    works = _finished_works(demo)

    share = sum(1 for a in works if a["bid_count"] == 0) / len(works)

    assert 0.15 <= share <= 0.35


@pytest.mark.parametrize(
    ("low", "high", "share", "slack"),
    [
        (55, 150, 0.80, 0.08),
        (150.01, 300, 0.18, 0.08),
        (300.01, 2000, 0.02, 0.03),
    ],
)
def test_winning_bids_fall_in_the_specified_price_bands(
    demo: Dataset, low: float, high: float, share: float, slack: float
) -> None:
    won = [a["current_bid"] for a in _finished_works(demo) if a["status"] in ("sold", "paid")]

    inside = sum(1 for price in won if low <= price <= high) / len(won)

    assert abs(inside - share) <= slack


def test_between_10_and_20_percent_of_works_with_bids_were_extended(demo: Dataset) -> None:
    with_bids = [a for a in _finished_works(demo) if a["bid_count"] > 0]

    share = sum(1 for a in with_bids if a["auction_extended"]) / len(with_bids)

    assert 0.10 <= share <= 0.20


def test_paid_works_record_when_and_by_whom_the_buyer_paid(demo: Dataset) -> None:
    paid = [a for a in records(demo, "art") if a["status"] == "paid"]

    wrong = [
        a["art_code"]
        for a in paid
        if a["buyer_pay_recent_person_id"] != a["winner_id"]
        or not a["closing_time"] <= a["buyer_pay_recent_date"] <= demo.as_of
    ]

    assert wrong == []


def test_final_price_is_set_only_on_legacy_events(demo: Dataset) -> None:
    events = {e["id"]: e["eid"] for e in records(demo, "events")}

    eids = {events[a["event_id"]] for a in records(demo, "art") if a["final_price"] is not None}

    assert all(int(eid[2:]) < 2900 for eid in eids)


def test_no_more_than_15_percent_of_sold_or_paid_works_have_a_final_price(demo: Dataset) -> None:
    won = [a for a in records(demo, "art") if a["status"] in ("sold", "paid")]

    assert sum(1 for a in won if a["final_price"] is not None) <= 0.15 * len(won)


def test_bids_carry_their_events_currency(demo: Dataset) -> None:
    art_event = {a["id"]: a["event_id"] for a in records(demo, "art")}
    currency = {e["id"]: e["currency"] for e in events_by_eid(demo).values()}

    wrong = [
        b["id"]
        for b in records(demo, "bids")
        if b["currency_code"] != currency[art_event[b["art_id"]]]
    ]

    assert wrong == []


def test_every_payout_status_occurs(demo: Dataset) -> None:
    statuses = Counter(p["status"] for p in records(demo, "artist_payments"))

    assert set(statuses) == {"paid", "verified", "pending", "processing", "failed", "cancelled"}


def test_about_twelve_percent_of_payouts_are_manual_without_art(demo: Dataset) -> None:
    payouts = records(demo, "artist_payments")
    manual = [p for p in payouts if p["payment_type"] == "manual"]

    assert (0.06 <= len(manual) / len(payouts) <= 0.2, {p["art_id"] for p in manual}) == (
        True,
        {None},
    )
