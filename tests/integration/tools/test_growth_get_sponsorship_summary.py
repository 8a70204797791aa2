"""get_sponsorship_summary (tools.md §6.7) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_sponsorship_summary"

FUNNEL_SQL = """
SELECT count(*), count(*) FILTER (WHERE i.view_count > 0)
FROM sponsorship_invites i JOIN events e ON e.id = i.event_id
WHERE e.eid = %s
"""

PURCHASES_SQL = """
SELECT p.id::text
FROM sponsorship_purchases p JOIN events e ON e.id = p.event_id
WHERE e.eid = %s
ORDER BY p.created_at DESC, p.id DESC
"""

TOTALS_SQL = """
SELECT p.currency, sum(p.total_amount), count(*)
FROM sponsorship_purchases p JOIN events e ON e.id = p.event_id
WHERE e.eid = %s AND p.payment_status = %s
GROUP BY p.currency
ORDER BY p.currency
"""

# An event with sponsorship purchases, the busiest first.
BUSIEST_SQL = """
SELECT e.eid
FROM sponsorship_purchases p JOIN events e ON e.id = p.event_id
GROUP BY e.eid
ORDER BY count(*) DESC, e.eid
LIMIT 1
"""

EMAILS_SQL = """
SELECT p.buyer_email
FROM sponsorship_purchases p JOIN events e ON e.id = p.event_id
WHERE e.eid = %s
ORDER BY p.created_at DESC, p.id DESC
"""

CURRENCIES_SQL = "SELECT count(DISTINCT currency) FROM sponsorship_purchases"


def busiest_eid(gateway: DemoGateway) -> str:
    [(eid,)] = gateway.sql(BUSIEST_SQL)
    return str(eid)


def summary(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_purchases_are_listed_newest_first(demo_gateway: DemoGateway) -> None:
    eid = busiest_eid(demo_gateway)
    expected = [purchase_id for (purchase_id,) in demo_gateway.sql(PURCHASES_SQL, (eid,))]

    data = summary(demo_gateway, eid)

    assert [p["purchase_id"] for p in data["purchases"]["items"]] == expected


def test_the_funnel_counts_invites_and_those_viewed(demo_gateway: DemoGateway) -> None:
    [(invites, viewed)] = demo_gateway.sql(FUNNEL_SQL, ("AB4001",))

    data = summary(demo_gateway, "AB4001")

    assert (data["funnel"]["invites"], data["funnel"]["viewed"]) == (invites, viewed)


@pytest.mark.parametrize("status", ["paid", "pending", "refunded"])
def test_money_is_totalled_per_currency_and_payment_status(
    demo_gateway: DemoGateway, status: str
) -> None:
    key = {"paid": "committed"}.get(status, status)
    expected = {
        eid: [
            {"currency": currency, "amount": float(amount), "count": count}
            for currency, amount, count in demo_gateway.sql(TOTALS_SQL, (eid, status))
        ]
        for (eid,) in demo_gateway.sql(
            "SELECT DISTINCT e.eid FROM events e JOIN sponsorship_purchases p ON p.event_id = e.id"
        )
    }

    shown = {eid: summary(demo_gateway, eid)[key]["items"] for eid in expected}

    assert shown == expected


def test_the_demo_spans_several_sponsorship_currencies(demo_gateway: DemoGateway) -> None:
    [(currencies,)] = demo_gateway.sql(CURRENCIES_SQL)

    assert currencies > 1


def test_an_event_without_sponsorship_has_empty_lists(demo_gateway: DemoGateway) -> None:
    data = summary(demo_gateway, "AB4014")

    assert (data["funnel"], data["invites"]["total"], data["committed"]["items"]) == (
        {"invites": 0, "viewed": 0, "purchases": 0},
        0,
        [],
    )


def test_marketing_sees_buyer_emails_masked(demo_gateway: DemoGateway) -> None:
    eid = busiest_eid(demo_gateway)

    envelope = demo_gateway.call(TOOL, {"eid": eid}, role="marketing")

    emails = [p["buyer_email"] for p in envelope["data"]["purchases"]["items"]]
    assert emails == [
        f"{e[0]}***@{e.split('@')[1]}" for (e,) in demo_gateway.sql(EMAILS_SQL, (eid,))
    ]


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB12"}, {}, {"eid": "AB4001", "limit": 5}],
    ids=["too-few-digits", "missing-eid", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_viewer_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
