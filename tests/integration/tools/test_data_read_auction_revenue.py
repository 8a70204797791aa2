"""get_auction_revenue (tools.md §3.12) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_auction_revenue"

GROSS_SQL = """
SELECT COALESCE(sum(COALESCE(a.final_price, a.current_bid)), 0),
       COALESCE(sum(COALESCE(a.final_price, a.current_bid)) FILTER (WHERE a.status = 'paid'), 0),
       count(*)
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.status IN ('sold', 'paid')
"""


def revenue(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def cents(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_the_total_counts_only_sold_and_paid_works(demo_gateway: DemoGateway) -> None:
    [(gross, paid, sold)] = demo_gateway.sql(GROSS_SQL, ("AB4001",))

    summary = revenue(demo_gateway, {"eid": "AB4001"})["summary"]

    shown = (summary["works_sold"], summary["gross"]["amount"], summary["paid"]["amount"])
    assert shown == (sold, cents(gross), cents(paid))


def test_closed_works_are_unsold_even_with_a_current_bid(demo_gateway: DemoGateway) -> None:
    [(unsold,)] = demo_gateway.sql(
        "SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id"
        " WHERE e.eid = 'AB4001' AND a.status NOT IN ('sold', 'paid')"
    )

    summary = revenue(demo_gateway, {"eid": "AB4001"})["summary"]

    assert summary["unsold_count"] == unsold


@pytest.mark.parametrize(
    ("fixture", "artist_fraction"),
    [("full_portion_event", Decimal(1)), ("charity_event", Decimal(0))],
    ids=["portion-1", "portion-0-charity"],
)
def test_the_artist_share_follows_the_event_portion(
    demo_gateway: DemoGateway, fixture: str, artist_fraction: Decimal
) -> None:
    eid = demo_gateway.demo.fixtures[fixture]["eid"]
    [(gross, _, _)] = demo_gateway.sql(GROSS_SQL, (eid,))

    summary = revenue(demo_gateway, {"eid": eid})["summary"]

    shares = (summary["artist_share"]["amount"], summary["house_share"]["amount"])
    assert shares == (cents(gross * artist_fraction), cents(gross * (1 - artist_fraction)))


def test_the_gross_with_tax_applies_the_event_tax_percentage(demo_gateway: DemoGateway) -> None:
    [(gross, _, _)] = demo_gateway.sql(GROSS_SQL, ("AB4001",))
    [(tax,)] = demo_gateway.sql("SELECT tax FROM events WHERE eid = 'AB4001'")

    summary = revenue(demo_gateway, {"eid": "AB4001"})["summary"]

    expected = None if tax is None else cents(gross * (1 + tax / 100))
    assert (summary["gross_with_tax"] or {}).get("amount") == expected


def test_artists_are_ordered_by_gross_descending(demo_gateway: DemoGateway) -> None:
    expected = [
        (None if artist is None else str(artist), cents(gross))
        for artist, gross in demo_gateway.sql(
            "SELECT a.artist_id, sum(COALESCE(a.final_price, a.current_bid)) FROM art a"
            " JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4001'"
            " AND a.status IN ('sold', 'paid') GROUP BY a.artist_id"
            " ORDER BY 2 DESC, 1 NULLS LAST"
        )
    ]

    data = revenue(demo_gateway, {"eid": "AB4001", "group_by": "artist"})

    shown = [
        ((row["artist"] or {}).get("artist_profile_id"), row["gross"]["amount"])
        for row in data["breakdown"]["items"]
    ]
    assert shown == expected


def test_works_without_an_artist_form_one_row_with_a_null_artist(
    demo_gateway: DemoGateway,
) -> None:
    [(eid,)] = demo_gateway.sql(
        "SELECT e.eid FROM art a JOIN events e ON e.id = a.event_id"
        " WHERE a.artist_id IS NULL AND a.status IN ('sold', 'paid') ORDER BY e.eid LIMIT 1"
    )

    data = revenue(demo_gateway, {"eid": eid, "group_by": "ARTIST"})

    assert sum(1 for row in data["breakdown"]["items"] if row["artist"] is None) == 1


def test_rounds_are_listed_in_order_with_their_gross(demo_gateway: DemoGateway) -> None:
    expected = [
        (number, cents(gross))
        for number, gross in demo_gateway.sql(
            "SELECT a.round, sum(COALESCE(a.final_price, a.current_bid)) FROM art a"
            " JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4001'"
            " AND a.status IN ('sold', 'paid') GROUP BY a.round ORDER BY a.round"
        )
    ]

    data = revenue(demo_gateway, {"eid": "AB4001", "group_by": "round"})

    shown = [(row["round"], row["gross"]["amount"]) for row in data["breakdown"]["items"]]
    assert shown == expected


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB4001", "group_by": "region"}, {"eid": "AB4001", "group_by": 1}, {}],
    ids=["unknown-group", "group-not-a-string", "missing-eid"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_marketing_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
