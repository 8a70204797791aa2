"""run_event_health_check (tools.md §3.8) on the fixture events with known configuration gaps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "run_event_health_check"
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def check(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def severity_of(data: dict[str, Any]) -> dict[str, str]:
    return {finding["rule"]: finding["severity"] for finding in data["findings"]["items"]}


@pytest.mark.parametrize(
    ("eid", "rule", "severity"),
    [
        ("AB4008", "missing_currency", "error"),
        ("AB4016", "missing_city", "error"),
        ("AB4007", "missing_venue", "error"),
        ("AB4013", "currency_mismatch_country", "warning"),
    ],
    ids=["no-currency", "no-city", "no-venue", "currency-differs-from-country"],
)
def test_a_fixture_gap_is_found(
    demo_gateway: DemoGateway, eid: str, rule: str, severity: str
) -> None:
    data = check(demo_gateway, eid)

    assert severity_of(data)[rule] == severity


@pytest.mark.parametrize("eid", ["AB4008", "AB4016"])
def test_an_error_finding_fails_the_check(demo_gateway: DemoGateway, eid: str) -> None:
    data = check(demo_gateway, eid)

    assert (data["pass"], data["counts"]["errors"] > 0) == (False, True)


def test_a_healthy_past_event_passes(demo_gateway: DemoGateway) -> None:
    data = check(demo_gateway, "AB4001")

    assert (data["pass"], data["counts"]["errors"], data["event"]["phase"]) == (True, 0, "past")


def test_an_unusual_artist_portion_is_an_info(demo_gateway: DemoGateway) -> None:
    [(eid,)] = demo_gateway.sql(
        "SELECT eid FROM events WHERE artist_auction_portion <> 0.5 ORDER BY eid LIMIT 1"
    )

    assert severity_of(check(demo_gateway, eid))["unusual_artist_portion"] == "info"


def test_an_upcoming_event_without_artworks_gets_an_info(demo_gateway: DemoGateway) -> None:
    [(art_count,)] = demo_gateway.sql(
        "SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id WHERE e.eid = 'AB4016'"
    )

    severities = severity_of(check(demo_gateway, "AB4016"))

    assert severities.get("no_artworks") == ("info" if art_count == 0 else None)


@pytest.mark.parametrize("eid", ["AB4008", "AB4013", "AB4016"])
def test_findings_are_ordered_by_severity_then_rule(demo_gateway: DemoGateway, eid: str) -> None:
    findings = check(demo_gateway, eid)["findings"]["items"]

    keys = [(SEVERITY_RANK[f["severity"]], f["rule"]) for f in findings]
    assert keys == sorted(keys)


def test_counts_add_up_to_the_findings(demo_gateway: DemoGateway) -> None:
    data = check(demo_gateway, "AB4008")

    assert sum(data["counts"].values()) == data["findings"]["total"]


def test_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


def test_a_call_without_eid_is_invalid(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_finance_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
