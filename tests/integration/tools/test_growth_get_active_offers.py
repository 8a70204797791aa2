"""get_active_offers (tools.md §6.6) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_active_offers"

ACTIVE_SQL = """
SELECT o.id::text
FROM offers o
WHERE o.active AND (o.start_date IS NULL OR o.start_date <= now())
  AND (o.end_date IS NULL OR o.end_date > now())
ORDER BY o.end_date NULLS LAST, o.name, o.id
"""

TORONTO_SQL = """
SELECT o.id::text
FROM offers o
WHERE o.active AND (o.start_date IS NULL OR o.start_date <= now())
  AND (o.end_date IS NULL OR o.end_date > now())
  AND (cardinality(o.geography_scope) = 0 OR 'Toronto' = ANY(o.geography_scope))
ORDER BY o.end_date NULLS LAST, o.name, o.id
"""


def offers(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def offer_ids(data: dict[str, Any]) -> list[str]:
    return [offer["offer_id"] for offer in data["offers"]["items"]]


def test_active_offers_are_listed_soonest_ending_first(demo_gateway: DemoGateway) -> None:
    expected = [offer_id for (offer_id,) in demo_gateway.sql(ACTIVE_SQL)]

    data = offers(demo_gateway, {})

    assert offer_ids(data) == expected


def test_an_active_offer_past_its_end_date_is_not_live(demo_gateway: DemoGateway) -> None:
    expired = demo_gateway.demo.summary["defects"]["expired_active_offer_ids"]

    data = offers(demo_gateway, {})

    assert (bool(expired), set(expired) & set(offer_ids(data))) == (True, set())


def test_include_expired_lists_active_offers_past_their_end_date(
    demo_gateway: DemoGateway,
) -> None:
    expired = demo_gateway.demo.summary["defects"]["expired_active_offer_ids"]

    data = offers(demo_gateway, {"include_expired": True})

    assert set(expired) <= set(offer_ids(data))


def test_the_sold_out_offer_has_nothing_remaining(demo_gateway: DemoGateway) -> None:
    [sold_out] = demo_gateway.demo.summary["defects"]["sold_out_offer_ids"]

    data = offers(demo_gateway, {})

    [offer] = [o for o in data["offers"]["items"] if o["offer_id"] == sold_out]
    assert (offer["remaining"], offer["sold_out"]) == (0, True)


def test_an_eid_keeps_offers_of_its_city_or_everywhere(demo_gateway: DemoGateway) -> None:
    expected = [offer_id for (offer_id,) in demo_gateway.sql(TORONTO_SQL)]

    data = offers(demo_gateway, {"eid": "AB4001"})

    assert (offer_ids(data), data["note"] is not None) == (expected, True)


def test_a_city_filter_ignores_case(demo_gateway: DemoGateway) -> None:
    expected = [offer_id for (offer_id,) in demo_gateway.sql(TORONTO_SQL)]

    data = offers(demo_gateway, {"city": "toronto"})

    assert (offer_ids(data), data["note"]) == (expected, None)


def test_the_total_is_true_when_the_list_is_limited(demo_gateway: DemoGateway) -> None:
    total = len(demo_gateway.sql(ACTIVE_SQL))

    data = offers(demo_gateway, {"limit": 1})

    assert data["offers"] | {"items": []} == {
        "items": [],
        "count": 1,
        "total": total,
        "truncated": total > 1,
    }


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"include_expired": "true"}, {"limit": 0}, {"city": "T"}, {"event_id": "AB4001"}],
    ids=["boolean-as-string", "limit-too-low", "city-too-short", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_viewer_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
