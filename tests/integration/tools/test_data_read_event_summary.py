"""get_event_summary (tools.md §3.9) over the seeded demo data, checked against independent SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.unroled import call_without_role

TOOL = "get_event_summary"
STATUSES = ("inactive", "active", "closed", "sold", "cancelled", "paid")

SALES_SQL = """
SELECT count(*) FILTER (WHERE a.status IN ('sold', 'paid')),
       sum(COALESCE(a.final_price, a.current_bid)) FILTER (WHERE a.status IN ('sold', 'paid')),
       sum(COALESCE(a.final_price, a.current_bid)) FILTER (WHERE a.status = 'paid'),
       sum(COALESCE(a.final_price, a.current_bid)) FILTER (WHERE a.status = 'sold'),
       max(COALESCE(a.final_price, a.current_bid)) FILTER (WHERE a.status IN ('sold', 'paid'))
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s
"""


def summary(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def test_artworks_are_counted_by_each_of_the_six_statuses(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(
        "SELECT a.status::text, count(*) FROM art a JOIN events e ON e.id = a.event_id"
        " WHERE e.eid = 'AB4001' GROUP BY 1"
    )
    expected = {status: 0 for status in STATUSES} | {status: n for status, n in rows}

    data = summary(demo_gateway, "AB4001")

    assert data["artworks"]["by_status"] == expected


def test_sales_sum_sale_prices_of_sold_and_paid_works_only(demo_gateway: DemoGateway) -> None:
    [(_, gross, paid, awaiting, highest)] = demo_gateway.sql(SALES_SQL, ("AB4001",))

    data = summary(demo_gateway, "AB4001")

    shown = {key: data["sales"][key]["amount"] for key in ("gross_sales", "paid_sales")}
    shown |= {"awaiting_payment": data["sales"]["awaiting_payment"]["amount"]}
    shown |= {"highest_sale": data["sales"]["highest_sale"]["amount"]}
    assert shown == {
        "gross_sales": amount(gross),
        "paid_sales": amount(paid),
        "awaiting_payment": amount(awaiting),
        "highest_sale": amount(highest),
    }


def test_legacy_final_price_is_the_sale_price_when_set(demo_gateway: DemoGateway) -> None:
    [(_, gross, _, _, _)] = demo_gateway.sql(SALES_SQL, ("AB2750",))
    [(currency,)] = demo_gateway.sql("SELECT currency FROM events WHERE eid = 'AB2750'")

    data = summary(demo_gateway, "AB2750")

    assert data["sales"]["gross_sales"] == {"amount": amount(gross), "currency": currency}


def test_closed_works_count_as_unsold(demo_gateway: DemoGateway) -> None:
    [(sold, _, _, _, _)] = demo_gateway.sql(SALES_SQL, ("AB4001",))
    [(total,)] = demo_gateway.sql(
        "SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4001'"
    )

    data = summary(demo_gateway, "AB4001")

    counts = {key: data["artworks"][key] for key in ("total", "sold_count", "unsold_count")}
    assert counts == {"total": total, "sold_count": sold, "unsold_count": total - sold}


def test_bids_and_votes_are_counted_without_multiplying_rows(demo_gateway: DemoGateway) -> None:
    [(bids, bidders)] = demo_gateway.sql(
        "SELECT count(b.id), count(DISTINCT b.person_id) FROM bids b"
        " JOIN art a ON a.id = b.art_id JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4001'"
    )
    [(votes, voters, weighted)] = demo_gateway.sql(
        "SELECT count(v.id), count(DISTINCT v.person_id), sum(COALESCE(v.vote_factor, 1.00))"
        " FROM votes v JOIN events e ON e.id = v.event_id WHERE e.eid = 'AB4001'"
    )

    data = summary(demo_gateway, "AB4001")

    assert (data["bids"], data["votes"]) == (
        {"total_bids": bids, "unique_bidders": bidders},
        {"total_votes": votes, "unique_voters": voters, "weighted_votes": float(weighted)},
    )


def test_event_block_carries_phase_and_time_objects(demo_gateway: DemoGateway) -> None:
    [(start,)] = demo_gateway.sql("SELECT event_start_datetime FROM events WHERE eid = 'AB4001'")

    data = summary(demo_gateway, "AB4001")

    event = data["event"]
    assert (event["eid"], event["phase"], event["start"]["utc"]) == (
        "AB4001",
        "past",
        start.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def test_an_unknown_eid_is_not_found_with_the_lookup_hint(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    error = envelope["error"]
    assert (error["code"], error["argument"], error["hint"]) == (
        "not_found",
        "eid",
        "Use lookup_event with a city name to find the EID.",
    )


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "Toronto"}, {}, {"eid": "AB4001", "round": 1}],
    ids=["not-an-eid", "missing-eid", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_a_caller_without_a_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = call_without_role(demo_gateway, TOOL, {"eid": "AB4001"})

    assert envelope["error"]["code"] == "role_denied"


def test_an_event_without_currency_warns_that_amounts_have_none(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["missing_currency_event"]["eid"]

    envelope = demo_gateway.call(TOOL, {"eid": eid})

    codes = {warning["code"] for warning in envelope["warnings"]}
    assert (envelope["data"]["sales"]["gross_sales"]["currency"], "currency_missing" in codes) == (
        None,
        True,
    )
