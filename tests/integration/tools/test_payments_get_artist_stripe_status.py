"""get_artist_stripe_status (tools.md §5.1) over the seeded demo data, against independent SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_artist_stripe_status"
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

EVENT_ARTISTS_SQL = """
SELECT DISTINCT a.artist_id::text
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.artist_id IS NOT NULL
"""


def artists_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    artists: dict[str, Any] = envelope["data"]["artists"]
    return artists


def test_every_artist_with_a_work_at_the_event_is_listed(demo_gateway: DemoGateway) -> None:
    expected = {row[0] for row in demo_gateway.sql(EVENT_ARTISTS_SQL, ("AB4001",))}

    artists = artists_of(demo_gateway, {"eid": "AB4001"})

    listed = {item["artist_profile_id"] for item in artists["items"]}
    assert (listed, artists["total"]) == (expected, len(expected))


def test_artists_who_are_not_ready_come_first(demo_gateway: DemoGateway) -> None:
    artists = artists_of(demo_gateway, {"eid": "AB4002"})

    readiness = [item["payout_ready"] for item in artists["items"]]
    assert readiness == sorted(readiness)


def test_a_blocked_account_is_not_payout_ready(demo_gateway: DemoGateway) -> None:
    sofia = demo_gateway.demo.fixtures["blocked_account_artist"]["artist_profile_id"]

    artists = artists_of(demo_gateway, {"artist_profile_id": sofia})

    item = artists["items"][0]
    assert (item["payout_ready"], item["payout_status"]) == (False, "blocked")


def test_a_ready_account_with_a_recipient_is_payout_ready(demo_gateway: DemoGateway) -> None:
    priya = demo_gateway.demo.fixtures["owed_unpaid_artist"]["artist_profile_id"]

    artists = artists_of(demo_gateway, {"artist_profile_id": priya})

    item = artists["items"][0]
    assert (item["payout_ready"], item["payout_status"]) == (True, "ready")


def test_status_counts_cover_every_listed_artist(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"})

    data = envelope["data"]
    assert sum(data["status_counts"].values()) == data["artists"]["total"]


def test_an_artist_without_a_work_at_the_event_is_not_listed(demo_gateway: DemoGateway) -> None:
    priya = demo_gateway.demo.fixtures["owed_unpaid_artist"]["artist_profile_id"]
    at_ab4005 = {row[0] for row in demo_gateway.sql(EVENT_ARTISTS_SQL, ("AB4005",))}
    assert priya not in at_ab4005

    artists = artists_of(demo_gateway, {"artist_profile_id": priya, "eid": "AB4005"})

    assert artists["total"] == 0


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
        pytest.param({"artist_profile_id": "310245"}, id="not-a-uuid"),
        pytest.param({"eid": "Toronto"}, id="bad-eid"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["event-producer", "marketing", "viewer"])
def test_roles_outside_ops_and_finance_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role=role)

    assert envelope["error"]["code"] == "role_denied"
