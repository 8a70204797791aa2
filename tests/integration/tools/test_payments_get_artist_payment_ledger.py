"""get_artist_payment_ledger (tools.md §5.5) over the seeded demo data, against independent SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_artist_payment_ledger"
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

EVENT_PAYMENTS_SQL = """
SELECT p.id::text
FROM artist_payments p JOIN art a ON a.id = p.art_id JOIN events e ON e.id = a.event_id
WHERE e.eid = %s
ORDER BY p.created_at DESC NULLS LAST, p.id
"""

# An artist with payments both tied to an artwork and not.
MIXED_ARTIST_SQL = """
SELECT p.artist_profile_id::text, count(*)
FROM artist_payments p
GROUP BY p.artist_profile_id
HAVING bool_or(p.art_id IS NULL) AND bool_or(p.art_id IS NOT NULL)
ORDER BY p.artist_profile_id
LIMIT 1
"""


def payments_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_an_events_payments_are_listed_newest_first(demo_gateway: DemoGateway) -> None:
    expected = [row[0] for row in demo_gateway.sql(EVENT_PAYMENTS_SQL, ("AB4002",))]

    payments = payments_of(demo_gateway, {"eid": "AB4002"})["payments"]

    assert [item["payment_id"] for item in payments["items"]] == expected


def test_artist_mode_keeps_payments_without_an_artwork(demo_gateway: DemoGateway) -> None:
    artist_id, count = demo_gateway.sql(MIXED_ARTIST_SQL)[0]

    payments = payments_of(demo_gateway, {"artist_profile_id": artist_id})["payments"]

    unlinked = [item for item in payments["items"] if item["art_code"] is None]
    assert (payments["total"], bool(unlinked)) == (count, True)


def test_a_failed_payout_and_its_paid_retry_land_in_separate_groups(
    demo_gateway: DemoGateway,
) -> None:
    tom = demo_gateway.demo.fixtures["failed_payout_retry"]["artist_profile_id"]

    totals = payments_of(demo_gateway, {"artist_profile_id": tom})["totals"]

    counts = {group: sum(i["count"] for i in totals[group]["items"]) for group in totals}
    assert counts == {"settled": 1, "in_flight": 0, "failed": 1, "cancelled": 0}


def test_statuses_are_the_real_vocabulary(demo_gateway: DemoGateway) -> None:
    tom = demo_gateway.demo.fixtures["failed_payout_retry"]["artist_profile_id"]

    payments = payments_of(demo_gateway, {"artist_profile_id": tom})["payments"]

    assert sorted(item["status"] for item in payments["items"]) == ["failed", "paid"]


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
        pytest.param({}, id="neither"),
        pytest.param({"eid": "AB4001", "status": "completed"}, id="no-completed-status"),
        pytest.param({"eid": "AB4001", "currency": "C$"}, id="bad-currency"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["event-producer", "marketing", "viewer"])
def test_roles_outside_ops_and_finance_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role=role)

    assert envelope["error"]["code"] == "role_denied"
