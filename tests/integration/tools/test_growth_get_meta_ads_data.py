"""get_meta_ads_data (tools.md §6.1) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_meta_ads_data"

# ai_analysis_cache.event_id holds the EID (schema.md §3).
CACHE_SQL = """
SELECT (c.result ->> 'total_spend')::numeric, (c.result ->> 'clicks')::numeric,
       (c.result ->> 'impressions')::numeric, c.result ->> 'currency', e.meta_ads_budget
FROM ai_analysis_cache c JOIN events e ON e.eid = c.event_id
WHERE c.event_id = %s AND c.analysis_type = 'meta_ads'
"""

LAST_RUN_SQL = """
SELECT id, status, total_events FROM meta_ads_cache_cron_log ORDER BY executed_at DESC LIMIT 1
"""

UNCACHED_SQL = """
SELECT e.eid FROM events e
WHERE NOT EXISTS (SELECT 1 FROM ai_analysis_cache c WHERE c.event_id = e.eid)
ORDER BY e.eid
LIMIT 1
"""


def one_decimal(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ads(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_spend_is_read_from_the_cached_total_spend(demo_gateway: DemoGateway) -> None:
    [(spend, _, _, currency, _)] = demo_gateway.sql(CACHE_SQL, ("AB4001",))

    metrics = ads(demo_gateway, "AB4001")["analysis"]["metrics"]

    assert metrics["spend"] == {"amount": float(spend), "currency": currency}


def test_ctr_and_budget_use_are_derived_percentages(demo_gateway: DemoGateway) -> None:
    [(spend, clicks, impressions, _, budget)] = demo_gateway.sql(CACHE_SQL, ("AB4001",))

    analysis = ads(demo_gateway, "AB4001")["analysis"]

    assert (analysis["metrics"]["ctr_pct"], analysis["budget_used_pct"]) == (
        one_decimal(clicks * 100 / impressions),
        one_decimal(spend * 100 / budget),
    )


def test_the_last_sync_run_is_the_latest_global_cron_row(demo_gateway: DemoGateway) -> None:
    [(_, status, total_events)] = demo_gateway.sql(LAST_RUN_SQL)

    run = ads(demo_gateway, "AB4001")["last_sync_run"]

    assert (run["status"], run["total_events"]) == (status, total_events)


def test_an_event_without_cached_ads_has_null_analysis(demo_gateway: DemoGateway) -> None:
    [(eid,)] = demo_gateway.sql(UNCACHED_SQL)

    data = ads(demo_gateway, eid)

    assert (data["analysis"], data["last_sync_run"] is not None) == (None, True)


def test_an_expired_cache_row_is_stale_with_a_warning(demo_gateway: DemoGateway) -> None:
    [(eid,)] = demo_gateway.sql(
        "SELECT event_id FROM ai_analysis_cache WHERE expires_at < now() ORDER BY event_id LIMIT 1"
    )

    envelope = demo_gateway.call(TOOL, {"eid": eid})

    codes = [warning["code"] for warning in envelope["warnings"]]
    assert (envelope["data"]["analysis"]["stale"], "stale_data" in codes) == (True, True)


def test_an_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


@pytest.mark.parametrize(
    "arguments",
    [{"eid": "Toronto"}, {}, {"eid": "AB4001", "days": 7}],
    ids=["not-an-eid", "missing-eid", "unknown-key"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_finance_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
