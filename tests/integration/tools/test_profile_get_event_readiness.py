"""get_event_readiness (tools.md §4.7) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back

TOOL = "get_event_readiness"

INVITATIONS_SQL = """
SELECT status::text, count(*) FROM artist_invitations WHERE event_eid = %s GROUP BY status
"""

SET_TARGET_SQL = "UPDATE events SET target_artists_booked = %(target)s WHERE eid = %(eid)s"

WORKS_SQL = """
SELECT (SELECT count(*) FROM rounds r JOIN events e ON e.id = r.event_id WHERE e.eid = %s),
       (SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = %s)
"""


def readiness_of(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_the_fully_ready_fixture_scores_eight_of_eight(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]

    data = readiness_of(demo_gateway, eid)

    assert (data["score"], data["percent"], data["missing"]) == ("8/8", 100.0, [])


@pytest.mark.parametrize(
    ("role", "check"),
    [
        ("missing_venue_event", "has_venue"),
        ("missing_city_event", "has_city"),
        ("missing_currency_event", "has_currency"),
        ("thb_no_eventbrite_event", "has_eventbrite"),
        ("hidden_event", "visible_in_app"),
    ],
    ids=["venue", "city", "currency", "eventbrite", "hidden"],
)
def test_a_fixture_defect_fails_its_check_and_is_listed_missing(
    demo_gateway: DemoGateway, role: str, check: str
) -> None:
    eid = demo_gateway.demo.fixtures[role]["eid"]

    data = readiness_of(demo_gateway, eid)

    assert (data["checks"][check], check in data["missing"]) == (False, True)


def test_the_ready_fixture_has_twelve_confirmed_artists_against_a_target_of_twelve(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]

    artists = readiness_of(demo_gateway, eid)["artists"]

    assert (artists["confirmed"], artists["target"], artists["invitations"]["pending"]) == (
        12,
        12,
        2,
    )


@pytest.mark.parametrize(
    ("target", "passes"),
    [(None, True), (13, False)],
    ids=["no-target-expects-12", "target-above-confirmed"],
)
def test_confirmed_artists_are_checked_against_the_target_or_twelve(
    demo_gateway: DemoGateway, target: int | None, passes: bool
) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]
    change = (SET_TARGET_SQL, {"target": target, "eid": eid})

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"eid": eid}, [change])

    assert (result.data["checks"]["artists_confirmed"], result.data["artists"]["target"]) == (
        passes,
        target,
    )


def test_invitation_counts_cover_all_five_statuses(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]
    expected = dict.fromkeys(("pending", "accepted", "declined", "withdrawn", "expired"), 0)
    expected.update(dict(demo_gateway.sql(INVITATIONS_SQL, (eid,))))

    artists = readiness_of(demo_gateway, eid)["artists"]

    assert artists["invitations"] == expected


def test_rounds_and_artworks_are_counted_for_information(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    [(rounds, works)] = demo_gateway.sql(WORKS_SQL, (eid, eid))

    data = readiness_of(demo_gateway, eid)

    assert (data["rounds_configured"], data["artwork_count"]) == (rounds, works)


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{}, {"eid": "Toronto"}, {"eid": "AB4015", "extra": 1}],
    ids=["missing-eid", "not-an-eid", "unknown-key"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_finance_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4015"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
