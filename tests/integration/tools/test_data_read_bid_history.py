"""get_bid_history (tools.md §3.10) over the seeded demo data, checked against independent SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_bid_history"

BIDS_SQL = """
SELECT b.id::text, a.art_code, b.amount, b.person_id = a.winner_id
FROM bids b JOIN art a ON a.id = b.art_id JOIN events e ON e.id = a.event_id
WHERE e.eid = %s
ORDER BY a.round, a.easel, b.amount DESC, b.created_at DESC, b.id
"""


def bids(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    block: dict[str, Any] = envelope["data"]["bids"]
    return block


def most_bid_work(gateway: DemoGateway, eid: str) -> tuple[str, str]:
    [(art_id, art_code)] = gateway.sql(
        "SELECT a.id::text, a.art_code FROM art a JOIN events e ON e.id = a.event_id"
        " WHERE e.eid = %s ORDER BY a.bid_count DESC, a.art_code LIMIT 1",
        (eid,),
    )
    return art_id, art_code


def test_bids_are_listed_by_round_easel_and_amount_descending(demo_gateway: DemoGateway) -> None:
    expected = [row[0] for row in demo_gateway.sql(BIDS_SQL, ("AB4001",))][:200]

    block = bids(demo_gateway, {"eid": "AB4001", "limit": 200})

    assert [bid["bid_id"] for bid in block["items"]] == expected


def test_the_total_counts_every_bid_beyond_the_limit(demo_gateway: DemoGateway) -> None:
    total = len(demo_gateway.sql(BIDS_SQL, ("AB4001",)))

    block = bids(demo_gateway, {"eid": "AB4001", "limit": 3})

    assert (block["count"], block["total"], block["truncated"]) == (3, total, total > 3)


def test_an_art_code_narrows_the_bids_to_that_work(demo_gateway: DemoGateway) -> None:
    _, art_code = most_bid_work(demo_gateway, "AB4001")
    expected = [row[0] for row in demo_gateway.sql(BIDS_SQL, ("AB4001",)) if row[1] == art_code]

    block = bids(demo_gateway, {"eid": "AB4001", "art_id": art_code.lower()})

    assert [bid["bid_id"] for bid in block["items"]] == expected


def test_an_art_uuid_narrows_the_bids_to_that_work(demo_gateway: DemoGateway) -> None:
    art_id, art_code = most_bid_work(demo_gateway, "AB4001")

    block = bids(demo_gateway, {"eid": "AB4001", "art_id": art_id.upper()})

    assert {bid["art_code"] for bid in block["items"]} == {art_code}


def test_only_the_highest_bid_of_each_work_is_the_top_bid(demo_gateway: DemoGateway) -> None:
    [(art_id, current_bid)] = demo_gateway.sql(
        "SELECT a.id::text, a.current_bid FROM art a WHERE a.art_code = %s",
        (most_bid_work(demo_gateway, "AB4001")[1],),
    )

    block = bids(demo_gateway, {"eid": "AB4001", "art_id": art_id})

    top = [bid["amount"]["amount"] for bid in block["items"] if bid["is_top_bid"]]
    assert top == [float(current_bid)]


def test_bids_of_the_works_winner_are_marked(demo_gateway: DemoGateway) -> None:
    expected = sum(1 for row in demo_gateway.sql(BIDS_SQL, ("AB4001",)) if row[3])

    block = bids(demo_gateway, {"eid": "AB4001", "limit": 200})

    assert sum(1 for bid in block["items"] if bid["is_winner"]) == expected


def test_the_unpaid_buyer_is_shown_as_the_bidder_who_won(demo_gateway: DemoGateway) -> None:
    buyer = demo_gateway.demo.fixtures["unpaid_buyer"]

    block = bids(demo_gateway, {"eid": "AB4002", "art_id": buyer["art_code"]})

    winners = {bid["bidder"]["person_id"] for bid in block["items"] if bid["is_winner"]}
    assert winners == {buyer["person_id"]}


def test_an_artwork_of_another_event_is_refused(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001", "art_id": "AB4002-2-3"})

    error = envelope["error"]
    assert (error["code"], error["message"]) == (
        "invalid_arguments",
        "art_id AB4002-2-3 does not belong to AB4001.",
    )


def test_an_unknown_art_code_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001", "art_id": "AB4001-9-9"})

    error = envelope["error"]
    assert (error["code"], error["argument"], error["hint"]) == (
        "not_found",
        "art_id",
        "Use lookup_artwork_bids to find the art_id or art_code.",
    )


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [
        {"eid": "AB4001", "limit": 201},
        {"eid": "AB4001", "limit": 0},
        {"eid": "AB4001", "art_id": "painting-3"},
        {"art_id": "AB4001-1-1"},
    ],
    ids=["limit-over-200", "limit-zero", "art-id-neither-uuid-nor-code", "missing-eid"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["marketing", "viewer"])
def test_roles_without_bidder_access_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role=role)

    assert envelope["error"]["code"] == "role_denied"
