"""The self-check catches corrupted data: each mutation breaks exactly the invariant it names."""

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from artbattle_ops.demo.dataset import Dataset, Row, TableData
from artbattle_ops.demo.generator.invariants import GeneratorInvariantError, check_dataset
from artbattle_ops.demo.generator.scales import DEMO
from artbattle_ops.errors import DemoDataError

Mutation = Callable[[dict[str, Any]], dict[str, Any]]


def _mutated(
    dataset: Dataset, table: str, pick: Callable[[dict[str, Any]], bool], change: Mutation
) -> Dataset:
    """A copy of `dataset` whose first row of `table` matching `pick` is changed."""
    data = dataset.tables[table]
    rows: list[Row] = list(data.rows)
    for k, row in enumerate(rows):
        record = dict(zip(data.columns, row, strict=True))
        if pick(record):
            rows[k] = tuple(change(record)[c] for c in data.columns)
            break
    else:
        raise AssertionError(f"no {table} row to mutate")
    tables = dict(dataset.tables)
    tables[table] = TableData(table, data.columns, rows)
    return replace(dataset, tables=tables)


def _with(**changes: Any) -> Mutation:
    return lambda record: {**record, **changes}


CASES: list[tuple[str, str, Callable[[dict[str, Any]], bool], Mutation]] = [
    ("art.code", "art", lambda a: a["round"] == 1, lambda a: {**a, "art_code": "AB0000-1-1"}),
    (
        "votes.vote_count",
        "art",
        lambda a: a["vote_count"] > 0,
        lambda a: {**a, "vote_count": a["vote_count"] + 1},
    ),
    (
        "votes.vote_factor",
        "votes",
        lambda v: v["vote_factor"] == 1,
        _with(vote_factor=Decimal("1.10")),
    ),
    ("votes.eid", "votes", lambda v: True, _with(eid="AB0001")),
    (
        "bids.bid_count",
        "art",
        lambda a: a["bid_count"] > 0,
        lambda a: {**a, "bid_count": a["bid_count"] + 1},
    ),
    ("status.closed", "art", lambda a: a["status"] == "sold", _with(status="closed")),
    ("status.sold_winner", "art", lambda a: a["status"] == "sold", _with(winner_id=None)),
    ("status.extension", "art", lambda a: a["extension_count"] == 0, _with(auction_extended=True)),
    (
        "payouts.net",
        "artist_payments",
        lambda p: True,
        lambda p: {**p, "net_amount": p["net_amount"] + 1},
    ),
    (
        "payouts.manual_row",
        "artist_payments",
        lambda p: p["payment_type"] == "manual",
        _with(description=None),
    ),
    (
        "eventbrite.expires",
        "eventbrite_api_cache",
        lambda r: True,
        lambda r: {**r, "expires_at": r["expires_at"] + timedelta(hours=1)},
    ),
    (
        "eventbrite.ticket_revenue",
        "eventbrite_api_cache",
        lambda r: r["gross_revenue"] > 0,
        lambda r: {**r, "ticket_revenue": r["ticket_revenue"] + 1},
    ),
    (
        "campaigns.delivered",
        "sms_marketing_campaigns",
        lambda c: c["messages_delivered"] > 0,
        lambda c: {**c, "messages_delivered": c["messages_delivered"] - 1},
    ),
    (
        "offers.redeemed_count",
        "offers",
        lambda o: True,
        lambda o: {**o, "redeemed_count": o["redeemed_count"] + 1},
    ),
    (
        "unique.people.phone",
        "people",
        lambda p: p["phone"] == "+14165550134",
        _with(phone="+15145550187"),
    ),
    ("eids.format", "events", lambda e: e["eid"] == "AB1000", _with(eid="XB1000")),
    ("fixtures.AB4008", "events", lambda e: e["eid"] == "AB4008", _with(currency="NZD")),
]


def test_the_generated_demo_passes_its_self_check(demo: Dataset) -> None:
    check_dataset(demo, DEMO)


@pytest.mark.parametrize(
    ("invariant", "table", "pick", "change"), CASES, ids=[case[0] for case in CASES]
)
def test_a_corrupted_row_fails_the_named_invariant(
    demo: Dataset,
    invariant: str,
    table: str,
    pick: Callable[[dict[str, Any]], bool],
    change: Mutation,
) -> None:
    broken = _mutated(demo, table, pick, change)

    with pytest.raises(GeneratorInvariantError) as caught:
        check_dataset(broken, DEMO)

    assert caught.value.invariant == invariant


def test_a_bid_below_the_previous_plus_five_fails_the_increment_rule(demo: Dataset) -> None:
    bids = demo.tables["bids"]
    counts: dict[Any, int] = {}
    for row in bids.rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    opening = min(
        (row for row in bids.rows if counts[row[1]] > 1 and row[3] == 55),
        key=lambda row: (row[1], row[7]),
    )
    broken = _mutated(demo, "bids", lambda b: b["id"] == opening[0], _with(amount=Decimal(50)))

    with pytest.raises(GeneratorInvariantError) as caught:
        check_dataset(broken, DEMO)

    assert caught.value.invariant == "bids.increment"


def test_a_missing_fixture_event_fails_the_self_check(demo: Dataset) -> None:
    events = demo.tables["events"]
    rows = [row for row in events.rows if row[1] != "AB4003"]
    broken = replace(demo, tables={**demo.tables, "events": replace(events, rows=rows)})

    with pytest.raises(GeneratorInvariantError):
        check_dataset(broken, DEMO)


def test_the_invariant_error_is_a_demo_data_error_with_a_stable_code() -> None:
    error = GeneratorInvariantError("art.code", "AB4001-1-1")

    assert (isinstance(error, DemoDataError), error.code) == (True, "generator_invariant")
