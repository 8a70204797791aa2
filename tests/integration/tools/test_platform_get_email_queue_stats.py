"""get_email_queue_stats (tools.md §7.2) on the demo data, against independent SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_email_queue_stats"
# An email's time is COALESCE(sent_at, created_at).
IN_WINDOW = "COALESCE(sent_at, created_at) >= %s"


@pytest.fixture
def failed_email(demo_gateway: DemoGateway) -> Iterator[str]:
    """An email that failed 3 minutes ago but was logged 2 days ago; deleted after the test."""
    row_id = str(uuid.uuid4())
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(
            "INSERT INTO email_logs (id, recipient, subject, status, method, error_message,"
            " sent_at, created_at) VALUES (%s, 'queue.probe@example.com', 'Probe', 'failed',"
            " 'probe_method', 'Throttling: Maximum sending rate exceeded',"
            " now() - interval '3 minutes', now() - interval '2 days')",
            (row_id,),
        )
    yield row_id
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute("DELETE FROM email_logs WHERE id = %s", (row_id,))


def _since(envelope: dict[str, Any], hours: int) -> datetime:
    now = datetime.fromisoformat(envelope["meta"]["generated_at"].replace("Z", "+00:00"))
    return now - timedelta(hours=hours)


def test_counts_by_status_cover_emails_of_the_window(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})

    rows = demo_gateway.sql(
        "SELECT status, count(*) FROM email_logs WHERE " + IN_WINDOW + " GROUP BY status",
        (_since(envelope, 168),),
    )
    assert envelope["data"]["by_status"] == {"sent": 0, "failed": 0} | dict(rows)


def test_counts_by_method_cover_emails_of_the_window(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})

    rows = demo_gateway.sql(
        "SELECT method, count(*) FROM email_logs WHERE " + IN_WINDOW + " GROUP BY method",
        (_since(envelope, 168),),
    )
    by_method = envelope["data"]["by_method"]["items"]
    assert {item["method"]: item["count"] for item in by_method} == dict(rows)


def test_the_window_applies_to_the_send_time_not_the_log_time(
    demo_gateway: DemoGateway, failed_email: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 1})

    errors = envelope["data"]["recent_errors"]["items"]
    assert failed_email in [item["id"] for item in errors]


@pytest.mark.usefixtures("failed_email")
def test_error_count_is_the_true_number_of_failures_in_the_window(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})

    [(failed,)] = demo_gateway.sql(
        "SELECT count(*) FROM email_logs WHERE status = 'failed' AND " + IN_WINDOW,
        (_since(envelope, 168),),
    )
    data = envelope["data"]
    assert (data["error_count"], data["recent_errors"]["total"]) == (failed, failed)


@pytest.mark.usefixtures("failed_email")
def test_recent_errors_are_the_ten_newest_failures(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})

    rows = demo_gateway.sql(
        "SELECT id::text FROM email_logs WHERE status = 'failed' AND "
        + IN_WINDOW
        + " ORDER BY COALESCE(sent_at, created_at) DESC, id LIMIT 10",
        (_since(envelope, 168),),
    )
    errors = envelope["data"]["recent_errors"]["items"]
    assert [item["id"] for item in errors] == [row[0] for row in rows]


def test_failure_rate_is_failures_over_total_with_one_decimal(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"hours_back": 168})

    [(rate,)] = demo_gateway.sql(
        "SELECT round(100.0 * count(*) FILTER (WHERE status = 'failed') / count(*), 1)"
        " FROM email_logs WHERE " + IN_WINDOW,
        (_since(envelope, 168),),
    )
    assert envelope["data"]["failure_rate_pct"] == float(rate)


@pytest.mark.parametrize(
    "arguments",
    [{"hours_back": 0}, {"hours_back": 169}, {"hours_back": 2.5}, {"status": "failed"}],
    ids=["zero-hours", "over-a-week", "fractional-hours", "unknown-key"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
