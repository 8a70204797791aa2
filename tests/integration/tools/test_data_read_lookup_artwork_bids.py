"""lookup_artwork_bids (tools.md §3.4) over the seeded demo data, against independent SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "lookup_artwork_bids"

ARTWORKS_SQL = """
SELECT a.art_code, a.status::text, a.current_bid, a.final_price, a.artist_id::text,
       (SELECT count(*) FROM bids b WHERE b.art_id = a.id),
       (SELECT max(b.amount) FROM bids b WHERE b.art_id = a.id),
       (SELECT min(b.amount) FROM bids b WHERE b.art_id = a.id),
       e.currency
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s
ORDER BY a.round, a.easel, a.art_code
"""


def artworks_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    artworks: dict[str, Any] = envelope["data"]["artworks"]
    return artworks


def amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def amount_of(money: dict[str, Any] | None) -> float | None:
    return None if money is None else float(money["amount"])


def test_every_artwork_is_listed_by_round_and_easel(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(ARTWORKS_SQL, ("AB4001",))

    artworks = artworks_of(demo_gateway, {"eid": "AB4001"})

    assert ([item["art_code"] for item in artworks["items"]], artworks["total"]) == (
        [row[0] for row in rows],
        len(rows),
    )


def test_bid_figures_are_aggregated_per_artwork(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(ARTWORKS_SQL, ("AB4001",))
    expected = [(row[0], row[5], amount(row[6]), amount(row[7])) for row in rows]

    artworks = artworks_of(demo_gateway, {"eid": "AB4001"})

    assert [
        (i["art_code"], i["bid_count"], amount_of(i["top_bid"]), amount_of(i["lowest_bid"]))
        for i in artworks["items"]
    ] == expected


def test_only_sold_and_paid_works_have_a_sale_price(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(ARTWORKS_SQL, ("AB4001",))
    expected = {
        row[0]: amount(row[3] if row[3] is not None else row[2])
        if row[1] in ("sold", "paid")
        else None
        for row in rows
    }

    artworks = artworks_of(demo_gateway, {"eid": "AB4001"})

    shown = {item["art_code"]: amount_of(item["sale_price"]) for item in artworks["items"]}
    assert (shown, shown["AB4001-2-6"]) == (expected, None)


def test_vacated_easels_are_kept_without_an_artist(demo_gateway: DemoGateway) -> None:
    [(eid, art_code)] = demo_gateway.sql(
        "SELECT e.eid, a.art_code FROM art a JOIN events e ON e.id = a.event_id"
        " WHERE a.artist_id IS NULL ORDER BY a.art_code LIMIT 1"
    )

    artworks = artworks_of(demo_gateway, {"eid": eid})

    [vacated] = [item for item in artworks["items"] if item["art_code"] == art_code]
    assert vacated["artist"] is None


def test_an_artist_filter_keeps_only_that_artists_works(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["owed_unpaid_artist"]

    artworks = artworks_of(
        demo_gateway, {"eid": fixture["eid"], "artist_profile_id": fixture["artist_profile_id"]}
    )

    assert {item["artist"]["artist_profile_id"] for item in artworks["items"]} == {
        fixture["artist_profile_id"]
    }


def test_amounts_are_money_in_the_event_currency(demo_gateway: DemoGateway) -> None:
    [(currency,)] = demo_gateway.sql("SELECT currency FROM events WHERE eid = 'AB4004'")

    artworks = artworks_of(demo_gateway, {"eid": "AB4004"})

    assert {item["current_bid"]["currency"] for item in artworks["items"]} == {currency}


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"eid": "AB9999"}, "eid"),
        (
            {"eid": "AB4001", "artist_profile_id": "3f2b8c1e-7d4a-4e21-9b0c-000000000000"},
            "artist_profile_id",
        ),
    ],
    ids=["unknown-eid", "unknown-artist"],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any], argument: str
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", argument)


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB4001", "round": 0}, {"eid": "AB4001", "artist_profile_id": "42"}, {}],
    ids=["round-out-of-range", "artist-not-uuid", "no-eid"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_marketing_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
