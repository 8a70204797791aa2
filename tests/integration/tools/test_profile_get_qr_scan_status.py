"""get_qr_scan_status (tools.md §4.10) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_qr_scan_status"

SUMMARY_SQL = """
SELECT count(*), count(*) FILTER (WHERE s.is_valid), count(DISTINCT s.person_id),
       count(DISTINCT s.person_id) FILTER (WHERE s.is_valid)
FROM people_qr_scans s JOIN events e ON e.id = s.event_id
WHERE e.eid = %s
"""

NEWEST_SQL = """
SELECT s.id::text FROM people_qr_scans s JOIN events e ON e.id = s.event_id
WHERE e.eid = %s ORDER BY s.scan_timestamp DESC, s.id
"""

CODES_SQL = """
SELECT s.id::text, s.qr_code FROM people_qr_scans s JOIN events e ON e.id = s.event_id
WHERE e.eid = %s
"""

PERSON_AT_EVENT_SQL = """
SELECT s.person_id::text, count(*) OVER (PARTITION BY s.person_id)
FROM people_qr_scans s JOIN events e ON e.id = s.event_id
WHERE e.eid = %s ORDER BY s.id LIMIT 1
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_summary_counts_cover_every_scan_whatever_the_limit(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]
    [(total, valid, people, valid_people)] = demo_gateway.sql(SUMMARY_SQL, (eid,))

    summary = data_of(demo_gateway, {"eid": eid, "limit": 1})["summary"]

    assert (
        summary["total_scans"],
        summary["valid_scans"],
        summary["unique_people"],
        summary["unique_people_with_valid_scan"],
    ) == (total, valid, people, valid_people)


def test_scans_are_listed_newest_first_with_the_true_total(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]
    expected = [row[0] for row in demo_gateway.sql(NEWEST_SQL, (eid,))]

    scans = data_of(demo_gateway, {"eid": eid, "limit": 5})["scans"]

    ids = [item["scan_id"] for item in scans["items"]]
    assert (ids, scans["total"], scans["truncated"]) == (expected[:5], len(expected), True)


def test_scans_whose_code_row_is_gone_keep_their_stored_code(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    codes = dict(demo_gateway.sql(CODES_SQL, (eid,)))

    items = data_of(demo_gateway, {"eid": eid, "limit": 200})["scans"]["items"]

    assert {(i["scan_id"], i["code"], i["qr_code_found"]) for i in items} == {
        (scan_id, code, False) for scan_id, code in codes.items()
    }


def test_live_event_scans_find_their_code_rows(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]

    [newest] = data_of(demo_gateway, {"eid": eid, "limit": 1})["scans"]["items"]

    assert (newest["qr_code_found"], newest["code_expires_at"] is not None) == (True, True)


def test_valid_only_keeps_only_valid_scans(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]
    [(_, valid, _, _)] = demo_gateway.sql(SUMMARY_SQL, (eid,))

    scans = data_of(demo_gateway, {"eid": eid, "valid_only": True, "limit": 200})["scans"]

    assert ({item["is_valid"] for item in scans["items"]}, scans["total"]) == ({True}, valid)


def test_a_person_and_an_event_give_that_person_s_scans_there(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    [(person_id, count)] = demo_gateway.sql(PERSON_AT_EVENT_SQL, (eid,))

    scans = data_of(demo_gateway, {"eid": eid, "person_id": person_id})["scans"]

    pairs = {(i["event_eid"], i["person"]["person_id"]) for i in scans["items"]}
    assert (pairs, scans["total"]) == ({(eid, person_id)}, count)


def test_scan_times_are_in_the_event_s_zone(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["live_event"]["eid"]

    [newest] = data_of(demo_gateway, {"eid": eid, "limit": 1})["scans"]["items"]

    assert (newest["scan_timestamp"]["tz"], newest["scan_timestamp"]["tz_basis"]) == (
        "America/New_York",
        "event",
    )


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"eid": "AB9999"}, "eid"),
        ({"person_id": "3f2b8c1e-7d4a-4e21-9b0c-000000000000"}, "person_id"),
    ],
    ids=["unknown-eid", "unknown-person"],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any], argument: str
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", argument)


@pytest.mark.parametrize(
    "arguments",
    [{}, {"valid_only": True}, {"eid": "AB4003", "limit": 201}, {"person_id": "{abc}"}],
    ids=["neither-id", "valid-only-alone", "limit-over-200", "person-not-uuid"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_viewer_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4003"}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
