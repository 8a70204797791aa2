"""lookup_event (tools.md §3.1) over the seeded demo data, checked against independent SQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from tests.integration.tools.conftest import SECRET, TOKEN, DemoGateway

TOOL = "lookup_event"

EVENT_SQL = """
SELECT e.id::text, e.name, e.event_start_datetime, e.timezone_icann, e.currency, e.enabled,
       e.show_in_app, c.name, co.code, v.name, v.address
FROM events e
LEFT JOIN cities c ON c.id = e.city_id
LEFT JOIN countries co ON co.id = c.country_id
LEFT JOIN venues v ON v.id = e.venue_id
WHERE e.eid = %s
"""

NOT_PAST_IN_CITY_SQL = """
SELECT e.eid
FROM events e JOIN cities c ON c.id = e.city_id
WHERE c.name = %s AND e.event_start_datetime IS NOT NULL
  AND COALESCE(e.event_end_datetime, e.event_start_datetime + interval '4 hours') >= now()
ORDER BY e.event_start_datetime, e.id
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_eid_mode_returns_the_event_with_its_city_and_venue(demo_gateway: DemoGateway) -> None:
    [row] = demo_gateway.sql(EVENT_SQL, ("AB4001",))
    event_id, name, start, tz, currency, enabled, show, city, country, venue, address = row

    event = data_of(demo_gateway, {"eid": "ab-4001"})["event"]

    assert {
        "id": event["id"],
        "name": event["name"],
        "start_utc": event["start"]["utc"],
        "tz_basis": event["start"]["tz_basis"],
        "timezone": event["timezone"],
        "currency": event["currency"],
        "visible_in_app": event["visible_in_app"],
        "city": event["city"]["name"],
        "country_code": event["city"]["country_code"],
        "venue": event["venue"]["name"],
        "address": event["venue"]["address"],
        "phase": event["phase"],
    } == {
        "id": event_id,
        "name": name,
        "start_utc": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tz_basis": "event",
        "timezone": tz,
        "currency": currency,
        "visible_in_app": enabled is True and show is True,
        "city": city,
        "country_code": country,
        "venue": venue,
        "address": address,
        "phase": "past",
    }


def test_unknown_eid_is_not_found_with_the_lookup_hint(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert envelope["error"]["code"] == "not_found"
    assert envelope["error"]["message"] == "No event found with eid AB9999."
    assert envelope["error"]["argument"] == "eid"
    assert envelope["error"]["hint"] == "Use lookup_event with a city name to find the EID."


def test_a_call_without_eid_city_or_date_is_invalid(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"past_days": 10})

    assert envelope["error"]["code"] == "invalid_arguments"


def test_a_malformed_eid_is_invalid(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "XY-12"})

    assert envelope["error"]["code"] == "invalid_arguments"


def test_city_search_folds_accents(demo_gateway: DemoGateway) -> None:
    data = data_of(demo_gateway, {"city": "montreal", "past_days": 60})

    assert "AB4002" in [item["eid"] for item in data["recent_past"]["items"]]


def test_upcoming_lists_events_not_over_by_start_with_a_true_total(
    demo_gateway: DemoGateway,
) -> None:
    expected = [eid for (eid,) in demo_gateway.sql(NOT_PAST_IN_CITY_SQL, ("Toronto",))]

    upcoming = data_of(demo_gateway, {"city": "Toronto", "limit": 1})["upcoming"]

    assert (upcoming["total"], [item["eid"] for item in upcoming["items"]]) == (
        len(expected),
        expected[:1],
    )


def test_on_date_finds_past_events_on_their_local_date_whatever_past_days_says(
    demo_gateway: DemoGateway,
) -> None:
    [row] = demo_gateway.sql(EVENT_SQL, ("AB4002",))
    local_day = row[2].astimezone(ZoneInfo(row[3])).date().isoformat()

    data = data_of(demo_gateway, {"on_date": local_day, "past_days": 0})

    assert "AB4002" in [item["eid"] for item in data["recent_past"]["items"]]


def test_recent_past_keeps_only_events_started_within_past_days(
    demo_gateway: DemoGateway,
) -> None:
    since = datetime.now(UTC) - timedelta(days=5)

    data = data_of(demo_gateway, {"city": "Toronto", "past_days": 5})

    starts = [item["start"]["utc"] for item in data["recent_past"]["items"]]
    assert all(start >= since.strftime("%Y-%m-%dT%H:%M:%SZ") for start in starts)
    assert "AB4001" not in [item["eid"] for item in data["recent_past"]["items"]]


def test_an_event_without_timezone_uses_its_city_zone(demo_gateway: DemoGateway) -> None:
    event = data_of(demo_gateway, {"eid": "AB2750"})["event"]

    assert (event["timezone"], event["start"]["tz_basis"]) == (None, "city")


def test_a_caller_without_a_role_is_denied(demo_gateway: DemoGateway) -> None:
    caller = CallerMeta(slack_user_id="UNOBODY")

    async def run() -> dict[str, Any]:
        async with gateway_session(demo_gateway.url, TOKEN, SECRET) as client:
            await list_tools(client, caller)
            return await call_tool(client, TOOL, {"eid": "AB4001"}, caller)

    envelope = asyncio.run(run())

    assert envelope["error"]["code"] == "role_denied"


def test_local_times_apply_daylight_saving_at_each_instant(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(
        "SELECT eid, event_start_datetime, timezone_icann FROM events"
        " WHERE eid IN ('AB4018', 'AB4019') ORDER BY eid"
    )
    expected = [start.astimezone(ZoneInfo(tz)).isoformat() for _, start, tz in rows]

    shown = [data_of(demo_gateway, {"eid": eid})["event"]["start"]["local"] for eid, _, _ in rows]

    assert shown == expected
