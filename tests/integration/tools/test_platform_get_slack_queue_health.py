"""get_slack_queue_health (tools.md §7.1) on the demo data, against independent SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_slack_queue_health"


@pytest.fixture
def failed_notification(demo_gateway: DemoGateway) -> Iterator[str]:
    """A notification for AB4001 that failed 5 minutes ago; deleted after the test."""
    row_id = str(uuid.uuid4())
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(
            "INSERT INTO slack_notifications (id, event_id, channel_id, message_type, payload,"
            " status, attempts, error, created_at)"
            " SELECT %s, id, 'C0TEST1', 'auction_closed', '{}', 'failed', 3, 'channel_not_found',"
            " now() - interval '5 minutes' FROM events WHERE eid = 'AB4001'",
            (row_id,),
        )
    yield row_id
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute("DELETE FROM slack_notifications WHERE id = %s", (row_id,))


def _now(envelope: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(envelope["meta"]["generated_at"].replace("Z", "+00:00"))


def test_window_counts_each_status_created_within_the_window(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})
    since = _now(envelope) - timedelta(hours=168)

    rows = demo_gateway.sql(
        "SELECT status, count(*) FROM slack_notifications WHERE created_at >= %s GROUP BY status",
        (since,),
    )
    expected = {"pending": 0, "pending_lookup": 0, "sent": 0, "failed": 0} | dict(rows)
    assert envelope["data"]["window_by_status"] == expected


def test_backlog_counts_pending_rows_regardless_of_the_window(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 1})

    [(count,)] = demo_gateway.sql(
        "SELECT count(*) FROM slack_notifications WHERE status IN ('pending', 'pending_lookup')"
    )
    assert envelope["data"]["backlog"]["count"] == count


def test_stuck_pending_notifications_make_the_queue_unhealthy(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    issues = [issue["code"] for issue in envelope["data"]["issues"]["items"]]
    assert (envelope["data"]["healthy"], "backlog_stale" in issues) == (False, True)


@pytest.mark.usefixtures("failed_notification")
def test_recent_failures_are_the_ten_newest_failures_of_the_window(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})
    since = _now(envelope) - timedelta(hours=168)

    rows = demo_gateway.sql(
        "SELECT id::text FROM slack_notifications WHERE status = 'failed' AND created_at >= %s"
        " ORDER BY created_at DESC, id",
        (since,),
    )
    failures = envelope["data"]["recent_failures"]
    assert (
        [item["id"] for item in failures["items"]],
        failures["total"],
    ) == ([row[0] for row in rows[:10]], len(rows))


@pytest.mark.usefixtures("failed_notification")
def test_failure_rate_is_failures_over_window_rows_with_one_decimal(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})
    since = _now(envelope) - timedelta(hours=168)

    [(rate,)] = demo_gateway.sql(
        "SELECT round(100.0 * count(*) FILTER (WHERE status = 'failed') / count(*), 1)"
        " FROM slack_notifications WHERE created_at >= %s",
        (since,),
    )
    assert envelope["data"]["failure_rate_pct"] == float(rate)


def test_a_failure_shows_its_event_and_display_zone_time(
    demo_gateway: DemoGateway, failed_notification: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 1})

    [item] = [
        i for i in envelope["data"]["recent_failures"]["items"] if i["id"] == failed_notification
    ]
    assert (item["event_eid"], item["attempts"], item["created_at"]["tz_basis"]) == (
        "AB4001",
        3,
        "display",
    )


@pytest.mark.usefixtures("failed_notification")
def test_a_window_of_only_failures_is_unhealthy(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 1})
    since = _now(envelope) - timedelta(hours=1)

    [(failed, total)] = demo_gateway.sql(
        "SELECT count(*) FILTER (WHERE status = 'failed'), count(*) FROM slack_notifications"
        " WHERE created_at >= %s",
        (since,),
    )
    issues = [issue["code"] for issue in envelope["data"]["issues"]["items"]]
    assert ("failure_rate_high" in issues) == (100 * failed / total >= 5)


@pytest.mark.parametrize(
    "arguments",
    [{"hours_back": 0}, {"hours_back": 169}, {"hours_back": "24"}, {"window": 24}],
    ids=["zero-hours", "over-a-week", "string-hours", "unknown-key"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="event-producer")

    assert envelope["error"]["code"] == "role_denied"
