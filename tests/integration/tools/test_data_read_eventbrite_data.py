"""get_eventbrite_data (tools.md §3.13) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back
from tests.integration.tools.unroled import call_without_role

TOOL = "get_eventbrite_data"
UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

LATEST_SQL = """
SELECT c.fetched_at, c.total_tickets_sold, c.gross_revenue, c.currency_code,
       jsonb_array_length(c.ticket_classes)
FROM eventbrite_api_cache c JOIN events e ON e.eid = c.eid AND e.eventbrite_id = c.eventbrite_id
WHERE e.eid = %s
ORDER BY c.fetched_at DESC, c.id DESC
LIMIT 1
"""


def call_ok(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    return envelope


def warning_codes(envelope: dict[str, Any]) -> set[str]:
    return {warning["code"] for warning in envelope["warnings"]}


def test_the_latest_snapshot_is_reported(demo_gateway: DemoGateway) -> None:
    [(_, sold, gross, currency, _)] = demo_gateway.sql(LATEST_SQL, ("AB4001",))

    snapshot = call_ok(demo_gateway, "AB4001")["data"]["snapshot"]

    assert (snapshot["tickets_sold"], snapshot["gross_revenue"]) == (
        sold,
        {"amount": float(gross), "currency": currency},
    )


def test_fetched_at_without_time_zone_is_read_as_utc(demo_gateway: DemoGateway) -> None:
    [(fetched_at, _, _, _, _)] = demo_gateway.sql(LATEST_SQL, ("AB4001",))

    snapshot = call_ok(demo_gateway, "AB4001")["data"]["snapshot"]

    assert snapshot["fetched_at"]["utc"] == fetched_at.strftime(UTC_FORMAT)


def test_the_age_counts_from_fetched_at_to_generated_at(demo_gateway: DemoGateway) -> None:
    [(fetched_at, _, _, _, _)] = demo_gateway.sql(LATEST_SQL, ("AB4015",))

    envelope = call_ok(demo_gateway, "AB4015")

    generated = datetime.fromisoformat(envelope["meta"]["generated_at"].replace("Z", "+00:00"))
    expected = int((generated - fetched_at.replace(tzinfo=UTC)).total_seconds() // 60)
    assert envelope["data"]["snapshot"]["age_minutes"] == expected


def test_a_final_snapshot_of_a_past_event_is_never_stale(demo_gateway: DemoGateway) -> None:
    envelope = call_ok(demo_gateway, "AB4001")

    assert (envelope["data"]["snapshot"]["stale"], "stale_data" in warning_codes(envelope)) == (
        False,
        False,
    )


def test_an_old_snapshot_of_an_upcoming_event_is_stale(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["stale_eventbrite_event"]["eid"]

    envelope = call_ok(demo_gateway, eid)

    assert (envelope["data"]["snapshot"]["stale"], "stale_data" in warning_codes(envelope)) == (
        True,
        True,
    )


def test_a_fresh_snapshot_is_not_stale(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]

    envelope = call_ok(demo_gateway, eid)

    assert envelope["data"]["snapshot"]["stale"] is False


def test_a_failed_latest_fetch_is_reported_not_replaced(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["eventbrite_error_event"]["eid"]

    envelope = call_ok(demo_gateway, eid)

    snapshot = envelope["data"]["snapshot"]
    assert (snapshot["api_response_status"], snapshot["tickets_sold"]) == ("error", 0)


def test_an_event_without_eventbrite_id_is_not_linked(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["thb_no_eventbrite_event"]["eid"]

    data = call_ok(demo_gateway, eid)["data"]

    assert data == {"eid": eid, "eventbrite_id": None, "linked": False, "snapshot": None}


def test_an_event_sharing_an_id_reports_no_other_events_snapshot(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["shared_eventbrite_pair"]["eids"][0]

    data = call_ok(demo_gateway, eid)["data"]

    assert (data["linked"], data["snapshot"]) == (True, None)


def test_ticket_classes_are_a_list_block_with_money_prices(demo_gateway: DemoGateway) -> None:
    [(_, _, _, currency, classes)] = demo_gateway.sql(LATEST_SQL, ("AB4001",))

    block = call_ok(demo_gateway, "AB4001")["data"]["snapshot"]["ticket_classes"]

    assert (block["total"], {item["price"]["currency"] for item in block["items"]}) == (
        classes,
        {currency},
    )


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "eventbrite"}, {}, {"eid": 4001}],
    ids=["not-an-eid", "missing-eid", "eid-not-a-string"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_a_caller_without_a_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = call_without_role(demo_gateway, TOOL, {"eid": "AB4001"})

    assert envelope["error"]["code"] == "role_denied"


def test_a_snapshot_over_six_hours_old_is_stale_before_it_expires(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]
    [(fetched_at, _, _, _, _)] = demo_gateway.sql(LATEST_SQL, (eid,))
    change = (
        "UPDATE eventbrite_api_cache SET expires_at = fetched_at + interval '30 days'"
        " WHERE eid = %(eid)s",
        {"eid": eid},
    )
    now = fetched_at.replace(tzinfo=UTC) + timedelta(minutes=361)

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"eid": eid}, [change], now)

    snapshot = result.data["snapshot"]
    assert (snapshot["age_minutes"], snapshot["stale"]) == (361, True)


def test_a_snapshot_currency_other_than_the_events_is_flagged(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]
    change = (
        "UPDATE eventbrite_api_cache SET currency_code = 'EUR' WHERE eid = %(eid)s",
        {"eid": eid},
    )

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"eid": eid}, [change])

    assert "currency_mismatch" in {warning["code"] for warning in result.warnings}
