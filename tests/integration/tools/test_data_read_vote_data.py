"""get_vote_data (tools.md §3.5) over the seeded demo data, checked against independent SQL."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_vote_data"

TOTALS_SQL = """
SELECT count(*), count(DISTINCT v.person_id), sum(COALESCE(v.vote_factor, 1.00))
FROM votes v JOIN events e ON e.id = v.event_id
WHERE e.eid = %s
"""

PER_ART_SQL = """
SELECT a.round, a.art_code,
       COALESCE((SELECT sum(COALESCE(v.vote_factor, 1.00)) FROM votes v
                 WHERE v.art_uuid = a.id), 0)
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s
"""


def votes_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_totals_weigh_each_vote_by_its_snapshotted_factor(demo_gateway: DemoGateway) -> None:
    [(votes, voters, weighted)] = demo_gateway.sql(TOTALS_SQL, ("AB4001",))

    totals = votes_of(demo_gateway, {"eid": "AB4001"})["totals"]

    assert (totals["votes"], totals["unique_voters"], totals["weighted_votes"]) == (
        votes,
        voters,
        float(weighted),
    )


def test_weighted_and_raw_totals_differ_when_factors_are_not_one(
    demo_gateway: DemoGateway,
) -> None:
    totals = votes_of(demo_gateway, {"eid": "AB4001"})["totals"]

    assert totals["weighted_votes"] > totals["votes"]


def test_artworks_are_ranked_by_weighted_votes_within_their_round(
    demo_gateway: DemoGateway,
) -> None:
    by_round: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for round_number, art_code, weighted in demo_gateway.sql(PER_ART_SQL, ("AB4001",)):
        by_round[round_number].append((art_code, weighted))
    expected = {
        code: sum(1 for _, other in works if other > weighted) + 1
        for works in by_round.values()
        for code, weighted in works
    }

    artworks = votes_of(demo_gateway, {"eid": "AB4001"})["artworks"]["items"]

    assert {item["art_code"]: item["rank"] for item in artworks} == expected


def test_weighted_shares_of_a_round_add_up_to_about_100(demo_gateway: DemoGateway) -> None:
    artworks = votes_of(demo_gateway, {"eid": "AB4001", "round": 1})["artworks"]["items"]

    assert {item["round"] for item in artworks} == {1}
    assert sum(item["weighted_share_pct"] for item in artworks) == pytest.approx(100, abs=1)


def test_rounds_are_listed_in_order_with_their_vote_counts(demo_gateway: DemoGateway) -> None:
    expected = demo_gateway.sql(
        "SELECT a.round, count(*) FROM votes v JOIN art a ON a.id = v.art_uuid"
        " JOIN events e ON e.id = v.event_id WHERE e.eid = 'AB4001' GROUP BY 1 ORDER BY 1"
    )

    rounds = votes_of(demo_gateway, {"eid": "AB4001"})["rounds"]["items"]

    assert [(r["round"], r["votes"]) for r in rounds] == [tuple(row) for row in expected]


def test_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB4001", "round": 11}, {"eid": "AB4001", "round": "2"}],
    ids=["round-out-of-range", "round-as-string"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_finance_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
