"""get_eventbrite_mapping (tools.md §3.14) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_eventbrite_mapping"

UPCOMING_SQL = """
SELECT e.eid, e.eventbrite_id FROM events e
WHERE e.event_start_datetime >= now() AND e.event_start_datetime < now() + %s * interval '1 day'
ORDER BY e.event_start_datetime, e.id
"""


def events(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    block: dict[str, Any] = envelope["data"]["events"]
    return block


def test_one_event_is_reported_with_its_eventbrite_id(demo_gateway: DemoGateway) -> None:
    [(eventbrite_id,)] = demo_gateway.sql("SELECT eventbrite_id FROM events WHERE eid = 'AB4001'")

    block = events(demo_gateway, {"eid": "ab-4001"})

    [item] = block["items"]
    assert (item["eid"], item["eventbrite_id"], item["linked"]) == ("AB4001", eventbrite_id, True)


def test_the_last_fetch_is_the_newest_snapshot_of_the_event(demo_gateway: DemoGateway) -> None:
    [(fetched_at,)] = demo_gateway.sql(
        "SELECT max(c.fetched_at) FROM eventbrite_api_cache c WHERE c.eid = 'AB4001'"
    )

    [item] = events(demo_gateway, {"eid": "AB4001"})["items"]

    assert item["last_fetched_at"]["utc"] == fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_events_sharing_an_eventbrite_id_name_each_other(demo_gateway: DemoGateway) -> None:
    first, second = demo_gateway.demo.fixtures["shared_eventbrite_pair"]["eids"]

    [item] = events(demo_gateway, {"eid": first})["items"]

    assert item["shared_with"] == [second]


def test_upcoming_events_are_listed_by_start(demo_gateway: DemoGateway) -> None:
    expected = [eid for eid, _ in demo_gateway.sql(UPCOMING_SQL, (60,))]

    block = events(demo_gateway, {})

    assert [item["eid"] for item in block["items"]] == expected


def test_only_missing_keeps_events_without_an_eventbrite_id(demo_gateway: DemoGateway) -> None:
    expected = [eid for eid, linked in demo_gateway.sql(UPCOMING_SQL, (365,)) if not linked]

    block = events(demo_gateway, {"days_ahead": 365, "only_missing": True})

    assert [item["eid"] for item in block["items"]] == expected


def test_an_event_without_eventbrite_id_is_not_linked(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["thb_no_eventbrite_event"]["eid"]

    [item] = events(demo_gateway, {"eid": eid})["items"]

    assert (item["linked"], item["last_fetched_at"], item["shared_with"]) == (False, None, [])


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"days_ahead": 0}, {"days_ahead": 366}, {"only_missing": "true"}, {"eid": "AB"}],
    ids=["days-zero", "days-over-365", "only-missing-as-text", "eid-without-digits"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_finance_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
