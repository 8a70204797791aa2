"""get_eventbrite_fees (tools.md §3.15) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_eventbrite_fees"

LATEST_SQL = """
SELECT c.total_fees, c.gross_revenue, c.net_deposit, c.total_tickets_sold, c.currency_code
FROM eventbrite_api_cache c JOIN events e ON e.eid = c.eid AND e.eventbrite_id = c.eventbrite_id
WHERE e.eid = %s
ORDER BY c.fetched_at DESC, c.id DESC
LIMIT 1
"""


def fees(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]["fees"]
    return data


def test_fees_and_payout_come_from_the_latest_snapshot_only(demo_gateway: DemoGateway) -> None:
    [(total_fees, gross, net, _, currency)] = demo_gateway.sql(LATEST_SQL, ("AB4001",))

    shown = fees(demo_gateway, "AB4001")

    assert [shown[key] for key in ("total_fees", "gross_revenue", "net_deposit")] == [
        {"amount": float(value), "currency": currency} for value in (total_fees, gross, net)
    ]


def test_ratios_divide_fees_by_tickets_and_gross(demo_gateway: DemoGateway) -> None:
    [(total_fees, gross, _, sold, _)] = demo_gateway.sql(LATEST_SQL, ("AB4001",))
    pct = (total_fees * 100 / gross).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    per_ticket = (total_fees / sold).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    shown = fees(demo_gateway, "AB4001")

    assert (shown["fee_pct_of_gross"], shown["fees_per_ticket"]["amount"]) == (
        float(pct),
        float(per_ticket),
    )


def test_ratios_are_null_when_the_divisor_is_zero(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["eventbrite_error_event"]["eid"]

    shown = fees(demo_gateway, eid)

    assert (shown["fees_per_ticket"], shown["fee_pct_of_gross"]) == (None, None)


def test_zero_taxes_mean_taxes_are_not_broken_out(demo_gateway: DemoGateway) -> None:
    shown = fees(demo_gateway, "AB4001")

    assert (shown["taxes_collected"]["amount"], shown["taxes_broken_out"]) == (0.0, False)


def test_a_stale_snapshot_is_flagged_with_a_warning(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["stale_eventbrite_event"]["eid"]

    envelope = demo_gateway.call(TOOL, {"eid": eid})

    codes = {warning["code"] for warning in envelope["warnings"]}
    assert (envelope["data"]["fees"]["stale"], "stale_data" in codes) == (True, True)


def test_an_event_without_eventbrite_id_has_no_fees(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["thb_no_eventbrite_event"]["eid"]

    envelope = demo_gateway.call(TOOL, {"eid": eid})

    assert envelope["data"] == {"eid": eid, "eventbrite_id": None, "linked": False, "fees": None}


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "AB12"}, {}, {"eid": "AB4001", "currency": "CAD"}],
    ids=["too-few-digits", "missing-eid", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_marketing_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
