"""get_sms_campaigns (tools.md §6.2) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_sms_campaigns"

ALL_SQL = "SELECT id::text FROM sms_marketing_campaigns ORDER BY created_at DESC, id DESC"

COMPLETED_SQL = """
SELECT id::text, messages_sent, messages_delivered, total_cost_cents,
       metadata ->> 'message_template'
FROM sms_marketing_campaigns
WHERE status = 'completed'
ORDER BY created_at DESC, id DESC
"""

EVENT_CAMPAIGN_SQL = """
SELECT e.eid, c.id::text
FROM sms_marketing_campaigns c JOIN events e ON e.id = c.event_id
ORDER BY c.created_at DESC, c.id DESC
LIMIT 1
"""


def campaigns(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]["campaigns"]
    return data


def test_campaigns_are_listed_newest_first(demo_gateway: DemoGateway) -> None:
    expected = [campaign_id for (campaign_id,) in demo_gateway.sql(ALL_SQL)]

    shown = campaigns(demo_gateway, {})

    assert [c["campaign_id"] for c in shown["items"]] == expected


def test_the_total_is_true_when_the_list_is_limited(demo_gateway: DemoGateway) -> None:
    total = len(demo_gateway.sql(ALL_SQL))

    shown = campaigns(demo_gateway, {"limit": 1})

    assert (shown["count"], shown["total"], shown["truncated"]) == (1, total, total > 1)


def test_delivery_rate_cost_and_message_come_from_the_campaign(demo_gateway: DemoGateway) -> None:
    campaign_id, sent, delivered, cents, template = demo_gateway.sql(COMPLETED_SQL)[0]
    rate = (Decimal(delivered) * 100 / sent).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    shown = campaigns(demo_gateway, {"status": "COMPLETED"})["items"][0]

    assert (shown["campaign_id"], shown["delivery_rate_pct"], shown["total_cost"]) == (
        campaign_id,
        float(rate),
        {"amount": cents / 100, "currency": "USD"},
    )
    assert shown["message_body"] == template


def test_an_event_filter_keeps_only_that_events_campaigns(demo_gateway: DemoGateway) -> None:
    eid, campaign_id = demo_gateway.sql(EVENT_CAMPAIGN_SQL)[0]

    shown = campaigns(demo_gateway, {"eid": eid})

    assert [(c["campaign_id"], c["event_eid"]) for c in shown["items"]] == [(campaign_id, eid)]


def test_recipient_lists_are_never_returned(demo_gateway: DemoGateway) -> None:
    shown = campaigns(demo_gateway, {})

    assert all("recipient_data" not in str(c) for c in shown["items"])


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"status": "sent"}, {"limit": 51}, {"limit": "5"}, {"campaign": "x"}],
    ids=["status-outside-enum", "limit-too-high", "limit-as-string", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_viewer_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
