"""get_auction_timing (tools.md §3.11) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back

TOOL = "get_auction_timing"
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def timing(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_artworks_are_ordered_by_closing_time_then_art_code(demo_gateway: DemoGateway) -> None:
    expected = [
        code
        for (code,) in demo_gateway.sql(
            "SELECT a.art_code FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = %s"
            " ORDER BY a.closing_time NULLS LAST, a.art_code",
            ("AB4001",),
        )
    ]

    data = timing(demo_gateway, "AB4001")

    assert [work["art_code"] for work in data["artworks"]["items"]] == expected


def test_a_finished_event_has_all_auctions_closed(demo_gateway: DemoGateway) -> None:
    data = timing(demo_gateway, "AB4001")

    assert (data["all_auctions_closed"], data["next_closing"]) == (True, None)


def test_the_live_event_with_open_works_is_not_all_closed(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]

    data = timing(demo_gateway, eid)

    assert data["all_auctions_closed"] is False


def test_works_without_a_closing_time_have_no_countdown(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]

    data = timing(demo_gateway, eid)

    countdowns = {work["closes_in_minutes"] for work in data["artworks"]["items"]}
    assert (countdowns, data["next_closing"]) == ({None}, None)


def test_round_closing_time_is_the_painting_timer(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]
    expected = [
        (number, None if closing is None else closing.strftime(UTC_FORMAT))
        for number, closing in demo_gateway.sql(
            "SELECT r.round_number, r.closing_time FROM rounds r JOIN events e"
            " ON e.id = r.event_id WHERE e.eid = %s ORDER BY r.round_number",
            (eid,),
        )
    ]

    data = timing(demo_gateway, eid)

    shown = [
        (row["round_number"], (row["painting_timer_ends_at"] or {}).get("utc"))
        for row in data["rounds"]["items"]
    ]
    assert shown == expected


def test_closing_times_are_event_local_time_objects(demo_gateway: DemoGateway) -> None:
    [(zone,)] = demo_gateway.sql("SELECT timezone_icann FROM events WHERE eid = 'AB4001'")

    data = timing(demo_gateway, "AB4001")

    first = data["artworks"]["items"][0]["closing_time"]
    assert (first["tz"], first["tz_basis"]) == (zone, "event")


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB-"}, {}, {"eid": "AB4001", "limit": 5}],
    ids=["malformed-eid", "missing-eid", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["finance", "marketing"])
def test_roles_outside_the_matrix_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role=role)

    assert envelope["error"]["code"] == "role_denied"


def test_an_active_work_closing_later_counts_down_and_closes_next(
    demo_gateway: DemoGateway,
) -> None:
    live = demo_gateway.demo.fixtures["live_event"]["eid"]
    now = demo_gateway.demo.as_of + timedelta(minutes=1)
    change = (
        "UPDATE art SET closing_time = %(at)s WHERE art_code = %(code)s",
        {"at": now + timedelta(minutes=10, seconds=30), "code": f"{live}-1-2"},
    )

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"eid": live}, [change], now)

    nearest = result.data["next_closing"]
    assert (nearest["art_code"], nearest["closes_in_minutes"]) == (f"{live}-1-2", 10)


def test_a_work_no_longer_active_has_no_countdown(demo_gateway: DemoGateway) -> None:
    live = demo_gateway.demo.fixtures["live_event"]["eid"]
    now = demo_gateway.demo.as_of
    change = (
        "UPDATE art SET closing_time = %(at)s, status = 'closed' WHERE art_code = %(code)s",
        {"at": now + timedelta(minutes=10), "code": f"{live}-1-2"},
    )

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"eid": live}, [change], now)

    assert result.data["next_closing"] is None
