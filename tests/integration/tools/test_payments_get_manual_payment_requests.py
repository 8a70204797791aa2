"""get_manual_payment_requests (tools.md §5.4) over the seeded demo, against independent SQL."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_manual_payment_requests"
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

REQUESTS_SQL = """
SELECT id::text FROM artist_manual_payment_requests
ORDER BY created_at DESC NULLS LAST, id
"""

STATUS_SQL = "SELECT status, count(*) FROM artist_manual_payment_requests GROUP BY status"

OPEN_TOTALS_SQL = """
SELECT preferred_currency, SUM(requested_amount), count(*)
FROM artist_manual_payment_requests
WHERE status IN ('pending', 'in_review', 'approved') AND requested_amount IS NOT NULL
GROUP BY preferred_currency
ORDER BY preferred_currency
"""

DETAILS_SQL = """
SELECT payment_details FROM artist_manual_payment_requests
WHERE artist_profile_id = %s AND status = 'pending'
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_requests_are_listed_newest_first(demo_gateway: DemoGateway) -> None:
    expected = [row[0] for row in demo_gateway.sql(REQUESTS_SQL)]

    requests = data_of(demo_gateway, {"limit": 200})["requests"]

    assert ([item["request_id"] for item in requests["items"]], requests["total"]) == (
        expected[:200],
        len(expected),
    )


def test_status_counts_cover_every_status(demo_gateway: DemoGateway) -> None:
    stored = dict(demo_gateway.sql(STATUS_SQL))
    statuses = ["pending", "in_review", "approved", "paid", "rejected"]

    counts = data_of(demo_gateway, {"limit": 1})["status_counts"]

    assert counts == {status: stored.get(status, 0) for status in statuses}


def test_open_requests_are_totalled_per_currency(demo_gateway: DemoGateway) -> None:
    expected = [
        {"currency": row[0], "amount": float(Decimal(row[1])), "count": row[2]}
        for row in demo_gateway.sql(OPEN_TOTALS_SQL)
    ]

    totals = data_of(demo_gateway, {"limit": 1})["totals_by_currency"]

    assert totals["items"] == expected


@pytest.mark.parametrize("eid", ["AB4001", "AB4004"])
def test_the_pending_request_is_found_by_each_event_it_references(
    demo_gateway: DemoGateway, eid: str
) -> None:
    fixture = demo_gateway.demo.fixtures["pending_manual_request"]

    requests = data_of(demo_gateway, {"eid": eid, "status": "pending"})["requests"]

    assert set(fixture["request_ids"]) <= {item["request_id"] for item in requests["items"]}


def test_payment_details_are_never_returned(demo_gateway: DemoGateway) -> None:
    diego = demo_gateway.demo.fixtures["pending_manual_request"]["artist_profile_id"]
    details = demo_gateway.sql(DETAILS_SQL, (diego,))[0][0]

    data = data_of(demo_gateway, {"artist_profile_id": diego})

    item = data["requests"]["items"][0]
    assert (details in json.dumps(data), item["has_payment_details"]) == (False, True)


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        pytest.param({"artist_profile_id": UNKNOWN_UUID}, "artist_profile_id", id="profile"),
        pytest.param({"eid": "AB9999"}, "eid", id="event"),
    ],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any], argument: str
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", argument)


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({"status": "completed"}, id="unknown-status"),
        pytest.param({"limit": 0}, id="limit-zero"),
        pytest.param({"limit": 201}, id="limit-over"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["event-producer", "marketing", "viewer"])
def test_roles_outside_ops_and_finance_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {}, role=role)

    assert envelope["error"]["code"] == "role_denied"
