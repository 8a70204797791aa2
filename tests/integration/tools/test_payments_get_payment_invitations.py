"""get_payment_invitations (tools.md §5.8) over the seeded demo data, against independent SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_payment_invitations"
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

EVENT_INVITATIONS_SQL = """
SELECT i.id::text
FROM payment_setup_invitations i
WHERE i.artist_profile_id IN (
    SELECT a.artist_id FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = %s
)
ORDER BY i.sent_at DESC NULLS LAST, i.id
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_an_events_artists_invitations_are_listed_newest_first(
    demo_gateway: DemoGateway,
) -> None:
    expected = [row[0] for row in demo_gateway.sql(EVENT_INVITATIONS_SQL, ("AB4001",))]

    invitations = data_of(demo_gateway, {"eid": "AB4001", "limit": 200})["invitations"]

    assert ([i["invitation_id"] for i in invitations["items"]], invitations["total"]) == (
        expected[:200],
        len(expected),
    )


def test_a_small_limit_keeps_the_true_total(demo_gateway: DemoGateway) -> None:
    expected = len(demo_gateway.sql(EVENT_INVITATIONS_SQL, ("AB4001",)))
    assert expected > 1

    invitations = data_of(demo_gateway, {"eid": "AB4001", "limit": 1})["invitations"]

    assert (invitations["count"], invitations["total"], invitations["truncated"]) == (
        1,
        expected,
        True,
    )


def test_status_counts_cover_every_match(demo_gateway: DemoGateway) -> None:
    data = data_of(demo_gateway, {"eid": "AB4001", "limit": 1})

    assert sum(data["status_counts"].values()) == data["invitations"]["total"]


def test_a_blocked_artists_invitations_show_the_blocked_status(demo_gateway: DemoGateway) -> None:
    sofia = demo_gateway.demo.fixtures["blocked_account_artist"]["artist_profile_id"]

    invitations = data_of(demo_gateway, {"artist_profile_id": sofia})["invitations"]

    assert {i["payout_status"] for i in invitations["items"]} == {"blocked"}


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
        pytest.param({"eid": "AB4001", "limit": 500}, id="limit-over"),
        pytest.param({"eid": "AB4001", "limit": "5"}, id="limit-as-text"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["event-producer", "marketing", "viewer"])
def test_roles_outside_ops_and_finance_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role=role)

    assert envelope["error"]["code"] == "role_denied"
