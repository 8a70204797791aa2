"""get_sms_audience_count (tools.md §6.3) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_sms_audience_count"

# An independent formulation: phones in the demo are E.164 or 10-digit North American numbers,
# so a valid key is 8-15 digits after stripping everything but digits.
COUNTS_SQL = """
WITH ev AS (SELECT id FROM events WHERE eid = %s), audience AS (
    SELECT v.person_id FROM votes v JOIN ev ON ev.id = v.event_id
    UNION
    SELECT b.person_id FROM bids b JOIN art a ON a.id = b.art_id JOIN ev ON ev.id = a.event_id
    UNION
    SELECT s.person_id FROM people_qr_scans s JOIN ev ON ev.id = s.event_id WHERE s.is_valid
)
SELECT count(*),
       count(*) FILTER (WHERE length(regexp_replace(p.phone, '[^0-9]', '', 'g')) BETWEEN 8 AND 15),
       count(*) FILTER (WHERE length(regexp_replace(p.phone, '[^0-9]', '', 'g')) BETWEEN 8 AND 15
                          AND COALESCE(p.message_blocked, 0) = 0)
FROM people p JOIN audience a ON a.person_id = p.id
"""

VOTERS_SQL = """
SELECT count(DISTINCT v.person_id) FROM votes v JOIN events e ON e.id = v.event_id
WHERE e.eid = %s
"""

ALL_WITH_PHONE_SQL = """
SELECT count(*), count(*) FILTER (WHERE COALESCE(message_blocked, 0) = 0)
FROM people WHERE length(regexp_replace(phone, '[^0-9]', '', 'g')) BETWEEN 8 AND 15
"""


def audience(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_attendees_are_voters_bidders_and_valid_scanners(demo_gateway: DemoGateway) -> None:
    [expected] = demo_gateway.sql(COUNTS_SQL, ("AB4001",))

    data = audience(demo_gateway, {"eid": "AB4001"})

    assert (data["people"], data["with_phone"], data["reachable"]) == expected


def test_voters_count_distinct_people_who_voted(demo_gateway: DemoGateway) -> None:
    [(voters,)] = demo_gateway.sql(VOTERS_SQL, ("AB4001",))

    data = audience(demo_gateway, {"eid": "AB4001", "audience_filter": "event_voters"})

    assert data["people"] == voters


def test_blocked_people_are_not_reachable(demo_gateway: DemoGateway) -> None:
    [(with_phone, reachable)] = demo_gateway.sql(ALL_WITH_PHONE_SQL)

    data = audience(demo_gateway, {"audience_filter": "all_with_phone"})

    assert (data["with_phone"], data["reachable"], reachable < with_phone) == (
        with_phone,
        reachable,
        True,
    )


def test_the_city_audience_covers_at_least_the_event(demo_gateway: DemoGateway) -> None:
    event = audience(demo_gateway, {"eid": "AB4001"})

    city = audience(demo_gateway, {"eid": "AB4001", "audience_filter": "city_audience"})

    assert (city["people"] > event["people"], "Toronto" in city["definition"]) == (True, True)


def test_the_result_holds_counts_only(demo_gateway: DemoGateway) -> None:
    data = audience(demo_gateway, {"eid": "AB4001"})

    assert sorted(data) == sorted(
        ["eid", "audience_filter", "definition", "people", "with_phone", "reachable"]
    )


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{}, {"eid": "AB4001", "audience_filter": "everyone"}, {"eid": "AB4001", "city": "Toronto"}],
    ids=["event-audience-without-eid", "filter-outside-enum", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_finance_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
