"""Votes: factors from each voter's earlier history, their spread, and who reaches the final."""

from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.tables import records

CENT = Decimal("0.01")


def _factors(dataset: Dataset) -> list[Decimal]:
    return [v["vote_factor"] for v in records(dataset, "votes")]


def _expected_factors(dataset: Dataset) -> dict[Any, Decimal]:
    """The production formula, replayed over events in (start, eid) order."""
    events = sorted(records(dataset, "events"), key=lambda e: (e["event_start_datetime"], e["eid"]))
    artists = {p["id"] for p in records(dataset, "people") if p["is_artist"]}
    scans = {
        (s["person_id"], s["event_id"])
        for s in records(dataset, "people_qr_scans")
        if s["is_valid"]
    }
    art_event = {a["id"]: a["event_id"] for a in records(dataset, "art")}
    votes_at: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for v in records(dataset, "votes"):
        votes_at[v["event_id"]].append(v)
    bids_at: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for b in records(dataset, "bids"):
        bids_at[art_event[b["art_id"]]].append(b)

    expected = {}
    history: Counter[Any] = Counter()
    spent: dict[Any, Decimal] = defaultdict(Decimal)
    for e in events:
        for v in votes_at[e["id"]]:
            person = v["person_id"]
            weight = Decimal(1) + (Decimal(1) if person in artists else Decimal(0))
            weight += min(Decimal("0.1") * history[person], Decimal(3))
            weight = min(weight + min(spent[person] / 1000, Decimal(2)), Decimal(6))
            weight += Decimal(1) if (person, e["id"]) in scans else Decimal(0)
            expected[v["id"]] = weight.quantize(CENT, rounding=ROUND_HALF_UP)
        history.update(v["person_id"] for v in votes_at[e["id"]])
        for b in bids_at[e["id"]]:
            spent[b["person_id"]] += b["amount"]
    return expected


def test_every_vote_factor_follows_the_production_formula(demo: Dataset) -> None:
    expected = _expected_factors(demo)

    wrong = [v["id"] for v in records(demo, "votes") if v["vote_factor"] != expected[v["id"]]]

    assert wrong == []


BANDS: dict[str, tuple[Callable[[Decimal], bool], float, float]] = {
    "exactly 1.00": (lambda f: f == 1, 0.45, 0.65),
    "1.01 to 1.99": (lambda f: 1 < f < 2, 0.20, 0.40),
    "2.00 and above": (lambda f: f >= 2, 0.05, 0.25),
}


@pytest.mark.parametrize("band", list(BANDS))
def test_vote_factor_share_lies_in_its_band(demo: Dataset, band: str) -> None:
    inside, low, high = BANDS[band]
    factors = _factors(demo)

    share = sum(1 for f in factors if inside(f)) / len(factors)

    assert low <= share <= high


def test_demo_has_exactly_one_seven_point_vote(demo: Dataset) -> None:
    assert Counter(_factors(demo))[Decimal("7.00")] == 1


def test_the_seven_point_vote_is_the_super_fans(demo: Dataset) -> None:
    seven = next(v for v in records(demo, "votes") if v["vote_factor"] == 7)

    assert str(seven["person_id"]) == demo.fixtures["super_fan"]["person_id"]


def test_factors_never_leave_one_to_seven(demo: Dataset) -> None:
    factors = _factors(demo)

    assert (min(factors), max(factors)) == (Decimal("1.00"), Decimal("7.00"))


def test_about_a_third_of_voters_vote_at_more_than_one_event(demo: Dataset) -> None:
    events: dict[Any, set[Any]] = defaultdict(set)
    for v in records(demo, "votes"):
        events[v["person_id"]].add(v["event_id"])

    share = sum(1 for seen in events.values() if len(seen) > 1) / len(events)

    assert 0.25 <= share <= 0.45


@pytest.mark.parametrize(("round_number", "share"), [(1, 0.38), (2, 0.37), (3, 0.25)])
def test_votes_split_across_rounds_as_specified(
    demo: Dataset, round_number: int, share: float
) -> None:
    rounds = Counter(v["round"] for v in records(demo, "votes"))

    assert abs(rounds[round_number] / sum(rounds.values()) - share) <= 0.03


def test_round_three_painters_are_the_top_two_of_rounds_one_and_two(demo: Dataset) -> None:
    weighted: dict[Any, Decimal] = defaultdict(Decimal)
    for v in records(demo, "votes"):
        weighted[v["art_uuid"]] += v["vote_factor"]
    works: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for a in records(demo, "art"):
        works[a["event_id"]].append(a)

    mismatched = []
    for event_id, art in works.items():
        if not any(a["round"] == 3 for a in art):
            continue
        top = set()
        for r in (1, 2):
            ranked = sorted(
                (a for a in art if a["round"] == r), key=lambda a: (-weighted[a["id"]], a["easel"])
            )
            top |= {a["artist_id"] for a in ranked[:2]}
        if top != {a["artist_id"] for a in art if a["round"] == 3}:
            mismatched.append(event_id)

    assert mismatched == []


def test_a_valid_scan_is_at_most_one_per_person_and_event(demo: Dataset) -> None:
    valid = Counter(
        (s["person_id"], s["event_id"]) for s in records(demo, "people_qr_scans") if s["is_valid"]
    )

    assert max(valid.values()) == 1


def test_most_historical_scan_codes_are_missing_from_qr_codes(demo: Dataset) -> None:
    codes = {c["code"] for c in records(demo, "qr_codes")}
    scanned = {s["qr_code"] for s in records(demo, "people_qr_scans")}

    assert len(scanned - codes) > 0.9 * len(scanned)
