"""get_email_log (tools.md §7.3) on the demo data, against independent SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_email_log"
NEWEST_FIRST = " ORDER BY COALESCE(sent_at, created_at) DESC, id"


@pytest.fixture
def probe_emails(demo_gateway: DemoGateway) -> Iterator[str]:
    """Two emails to one probe address (older sent, newer failed with a long subject), linked to
    AB4001; deleted after the test. Yields the address in its stored mixed case."""
    tag = uuid.uuid4().hex[:10]
    address = f"Probe_{tag}@Example.com"
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(
            "INSERT INTO email_logs (recipient, subject, status, method, error_message,"
            " event_id, sent_at, created_at)"
            " SELECT %(address)s, 'Your invitation', 'sent', 'aws_ses_api', NULL, id,"
            "  now() - interval '2 hours', now() - interval '2 hours'"
            "  FROM events WHERE eid = 'AB4001'"
            " UNION ALL"
            " SELECT %(address)s, repeat('x', 300), 'failed', 'aws_ses_api', 'MessageRejected',"
            "  id, now() - interval '1 hour', now() - interval '1 hour'"
            "  FROM events WHERE eid = 'AB4001'",
            {"address": address},
        )
    yield address
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute("DELETE FROM email_logs WHERE recipient = %s", (address,))


def test_without_filters_it_returns_the_newest_emails(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    rows = demo_gateway.sql("SELECT id::text FROM email_logs" + NEWEST_FIRST + " LIMIT 20")
    [(total,)] = demo_gateway.sql("SELECT count(*) FROM email_logs")
    emails = envelope["data"]["emails"]
    assert ([e["id"] for e in emails["items"]], emails["total"]) == (
        [row[0] for row in rows],
        total,
    )


def test_a_whole_address_matches_regardless_of_case(
    demo_gateway: DemoGateway, probe_emails: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"recipient": probe_emails.upper()})

    emails = envelope["data"]["emails"]["items"]
    assert [(e["recipient"], e["status"]) for e in emails] == [
        (probe_emails, "failed"),
        (probe_emails, "sent"),
    ]


def test_a_fragment_matches_as_literal_text(demo_gateway: DemoGateway, probe_emails: str) -> None:
    fragment = probe_emails.split("@")[0].lower()

    envelope = demo_gateway.call(TOOL, {"recipient": fragment})

    assert envelope["data"]["emails"]["total"] == 2


@pytest.mark.usefixtures("probe_emails")
def test_like_wildcards_in_a_fragment_match_nothing(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"recipient": "%_%"})

    assert envelope["data"]["emails"]["total"] == 0


def test_subjects_are_cut_to_200_characters(demo_gateway: DemoGateway, probe_emails: str) -> None:
    envelope = demo_gateway.call(TOOL, {"recipient": probe_emails, "status": "failed"})

    [email] = envelope["data"]["emails"]["items"]
    assert email["subject"] == "x" * 199 + "…"


@pytest.mark.usefixtures("probe_emails")
def test_an_event_filter_adds_the_note_about_unlinked_emails(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "ab-4001"})

    rows = demo_gateway.sql(
        "SELECT l.id::text FROM email_logs l JOIN events e ON e.id = l.event_id"
        " WHERE e.eid = 'AB4001' ORDER BY COALESCE(l.sent_at, l.created_at) DESC, l.id LIMIT 20"
    )
    data = envelope["data"]
    assert ([e["id"] for e in data["emails"]["items"]], data["note"]) == (
        [row[0] for row in rows],
        "Most emails are not linked to an event; search by recipient instead.",
    )


def test_an_email_shows_its_event_and_display_zone_time(
    demo_gateway: DemoGateway, probe_emails: str
) -> None:
    envelope = demo_gateway.call(TOOL, {"recipient": probe_emails, "status": "sent"})

    [email] = envelope["data"]["emails"]["items"]
    assert (email["event_eid"], email["method"], email["at"]["tz_basis"]) == (
        "AB4001",
        "aws_ses_api",
        "display",
    )


def test_status_and_hours_back_filter_together(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"status": "failed", "hours_back": 720, "limit": 50})
    generated_at = envelope["meta"]["generated_at"]

    rows = demo_gateway.sql(
        "SELECT id::text FROM email_logs WHERE status = 'failed'"
        " AND COALESCE(sent_at, created_at) >= %s::timestamptz - interval '720 hours'"
        + NEWEST_FIRST,
        (generated_at,),
    )
    emails = envelope["data"]["emails"]
    assert ([e["id"] for e in emails["items"]], emails["total"]) == (
        [row[0] for row in rows[:50]],
        len(rows),
    )


def test_an_unknown_event_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"recipient": "ab"}, {"status": "bounced"}, {"limit": 51}, {"hours_back": 721}, {"eid": "X1"}],
    ids=["short-recipient", "unknown-status", "limit-over-50", "over-30-days", "malformed-eid"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_marketing_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
