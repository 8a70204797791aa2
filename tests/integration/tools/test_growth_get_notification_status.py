"""get_notification_status (tools.md §6.5) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_notification_status"
WINDOW_HOURS = 168

# The event whose campaigns sent the most messages.
BUSIEST_SQL = """
SELECT e.eid
FROM sms_outbound o
JOIN sms_marketing_campaigns c ON c.id = o.campaign_id
JOIN events e ON e.id = c.event_id
GROUP BY e.eid
ORDER BY count(*) DESC, e.eid
LIMIT 1
"""

OUTBOUND_SQL = """
SELECT o.status, count(*)
FROM sms_outbound o
JOIN sms_marketing_campaigns c ON c.id = o.campaign_id
JOIN events e ON e.id = c.event_id
WHERE e.eid = %s
GROUP BY o.status
"""

REASONS_SQL = """
SELECT count(DISTINCT o.error_message)
FROM sms_outbound o
JOIN sms_marketing_campaigns c ON c.id = o.campaign_id
JOIN events e ON e.id = c.event_id
WHERE e.eid = %s
"""

# message_queue has no event column: the event is only in metadata (schema.md §3).
QUEUE_SQL = """
SELECT q.status::text, count(*),
       count(*) FILTER (WHERE q.metadata ->> 'event_id' = (SELECT id::text FROM events
                                                            WHERE eid = %s))
FROM message_queue q
WHERE q.created_at >= now() - make_interval(hours => %s)
GROUP BY q.status
"""

NO_CAMPAIGN_SQL = """
SELECT e.eid FROM events e
WHERE NOT EXISTS (SELECT 1 FROM sms_marketing_campaigns c WHERE c.event_id = e.id)
ORDER BY e.eid
LIMIT 1
"""


def busiest_eid(gateway: DemoGateway) -> str:
    [(eid,)] = gateway.sql(BUSIEST_SQL)
    return str(eid)


def status(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_outbound_messages_are_counted_by_status(demo_gateway: DemoGateway) -> None:
    eid = busiest_eid(demo_gateway)
    counts = dict(demo_gateway.sql(OUTBOUND_SQL, (eid,)))
    statuses = ("pending", "sent", "delivered", "failed", "undelivered")

    sms = status(demo_gateway, {"eid": eid})["sms"]

    assert (sms["outbound_by_status"], sms["total_outbound"]) == (
        {name: counts.get(name, 0) for name in statuses},
        sum(counts.values()),
    )


def test_at_most_five_failure_reasons_with_the_true_total(demo_gateway: DemoGateway) -> None:
    eid = busiest_eid(demo_gateway)
    [(reasons,)] = demo_gateway.sql(REASONS_SQL, (eid,))

    failures = status(demo_gateway, {"eid": eid})["sms"]["failure_reasons"]

    assert (failures["count"], failures["total"]) == (min(reasons, 5), reasons)


def test_the_queue_counts_the_window_and_the_events_metadata_rows(
    demo_gateway: DemoGateway,
) -> None:
    rows = demo_gateway.sql(QUEUE_SQL, ("AB4001", WINDOW_HOURS))
    statuses = ("pending", "processing", "sent", "failed")
    by_status = {name: 0 for name in statuses} | {row[0]: row[1] for row in rows}
    linked = {name: 0 for name in statuses} | {row[0]: row[2] for row in rows}

    queue = status(demo_gateway, {"eid": "AB4001", "hours_back": WINDOW_HOURS})["queue"]

    assert (queue["by_status"], queue["event_linked_by_status"]) == (by_status, linked)


def test_an_event_without_campaigns_has_empty_sms_counts(demo_gateway: DemoGateway) -> None:
    [(eid,)] = demo_gateway.sql(NO_CAMPAIGN_SQL)

    sms = status(demo_gateway, {"eid": eid})["sms"]

    assert (sms["campaigns"]["total"], sms["total_outbound"]) == (0, 0)


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{}, {"eid": "AB4001", "hours_back": 169}, {"eid": "AB4001", "hours_back": 0}],
    ids=["missing-eid", "hours-back-too-high", "hours-back-too-low"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_finance_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
