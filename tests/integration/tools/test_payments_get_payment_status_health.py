"""get_payment_status_health (tools.md §5.7) over the seeded demo data, against independent SQL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_payment_status_health"

SOLD_SQL = """
SELECT a.art_code FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.status = 'sold'
ORDER BY a.round, a.easel, a.art_code, a.id
"""

ART_STATUS_SQL = """
SELECT a.status::text, count(*) FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s GROUP BY a.status
"""

PAID_WORKS_SQL = """
SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.status = 'paid'
"""

BUYER_NAME_SQL = "SELECT first_name FROM people WHERE id = %s"


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_sold_works_are_the_unpaid_buyers(demo_gateway: DemoGateway) -> None:
    expected = [row[0] for row in demo_gateway.sql(SOLD_SQL, ("AB4002",))]

    buyers = data_of(demo_gateway, {"eid": "AB4002"})["buyer_unpaid"]

    assert [item["art_code"] for item in buyers["items"]] == expected


def test_chris_walkers_unpaid_work_is_a_reminder_candidate(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["unpaid_buyer"]

    buyers = data_of(demo_gateway, {"eid": "AB4002"})["buyer_unpaid"]

    assert fixture["art_id"] in {item["art_id"] for item in buyers["items"]}


def test_no_buyer_identity_is_returned(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["unpaid_buyer"]
    first_name = demo_gateway.sql(BUYER_NAME_SQL, (fixture["person_id"],))[0][0]

    data = data_of(demo_gateway, {"eid": "AB4002"})

    text = json.dumps(data)
    assert (fixture["phone"] in text, first_name in text) == (False, False)


def test_art_status_counts_cover_all_six_statuses(demo_gateway: DemoGateway) -> None:
    stored = dict(demo_gateway.sql(ART_STATUS_SQL, ("AB4002",)))
    statuses = ["inactive", "active", "closed", "sold", "cancelled", "paid"]

    counts = data_of(demo_gateway, {"eid": "AB4002"})["art_status_counts"]

    assert counts == {status: stored.get(status, 0) for status in statuses}


def test_a_charity_events_paid_works_leave_no_artist_unpaid(demo_gateway: DemoGateway) -> None:
    charity = demo_gateway.demo.fixtures["charity_event"]["eid"]
    assert demo_gateway.sql(PAID_WORKS_SQL, (charity,))[0][0] > 0

    data = data_of(demo_gateway, {"eid": charity})

    assert data["artist_unpaid"]["total"] == 0


def test_priyas_paid_work_without_a_payout_is_artist_unpaid(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["owed_unpaid_artist"]

    unpaid = data_of(demo_gateway, {"eid": fixture["eid"]})["artist_unpaid"]

    assert fixture["art_code"] in {item["art_code"] for item in unpaid["items"]}


def test_healthy_means_no_issues(demo_gateway: DemoGateway) -> None:
    data = data_of(demo_gateway, {"eid": "AB4002"})

    assert (data["healthy"], data["issues"]["count"] > 0) == (False, True)


def test_an_unknown_event_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [pytest.param({}, id="missing-eid"), pytest.param({"eid": "Toronto"}, id="bad-eid")],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["marketing", "viewer"])
def test_roles_outside_the_matrix_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4002"}, role=role)

    assert envelope["error"]["code"] == "role_denied"


def test_the_event_producer_may_check_buyer_payments(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4002"}, role="event-producer")

    assert envelope["ok"] is True
