"""debug_event_visibility (tools.md §3.6) on the visibility fixtures, against independent SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "debug_event_visibility"
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def visibility_of(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def codes(data: dict[str, Any]) -> set[str]:
    return {issue["code"] for issue in data["issues"]["items"]}


def test_a_hidden_event_is_not_visible_and_says_why(demo_gateway: DemoGateway) -> None:
    data = visibility_of(demo_gateway, "AB4006")

    assert data["visible_in_app"] is False
    assert "hidden_from_app" in codes(data)
    assert "not_enabled" not in codes(data)


def test_a_cache_older_than_the_event_is_flagged(demo_gateway: DemoGateway) -> None:
    [(newer,)] = demo_gateway.sql(
        "SELECT e.updated_at > (SELECT max(c.last_updated) FROM endpoint_cache_versions c"
        " WHERE c.event_eid = e.eid) FROM events e WHERE e.eid = 'AB4006'"
    )

    data = visibility_of(demo_gateway, "AB4006")

    assert ("cache_older_than_event" in codes(data)) is newer is True


def test_a_draft_event_is_neither_enabled_nor_shown(demo_gateway: DemoGateway) -> None:
    data = visibility_of(demo_gateway, "AB4011")

    assert {"not_enabled", "hidden_from_app"} <= codes(data)
    assert data["visible_in_app"] is False


def test_a_missing_venue_is_a_warning(demo_gateway: DemoGateway) -> None:
    data = visibility_of(demo_gateway, "AB4007")

    [issue] = [i for i in data["issues"]["items"] if i["code"] == "missing_venue"]
    assert (issue["severity"], data["visible_in_app"]) == ("warning", True)


@pytest.mark.parametrize("eid", ["AB4006", "AB4011", "AB2750"])
def test_errors_come_before_warnings_and_infos(demo_gateway: DemoGateway, eid: str) -> None:
    data = visibility_of(demo_gateway, eid)

    ranks = [SEVERITY_RANK[issue["severity"]] for issue in data["issues"]["items"]]
    assert ranks == sorted(ranks)


def test_cache_versions_are_matched_on_the_eid_newest_first(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(
        "SELECT endpoint_path FROM endpoint_cache_versions WHERE event_eid = 'AB4001'"
        " ORDER BY last_updated DESC, endpoint_path"
    )

    cache = visibility_of(demo_gateway, "AB4001")["cache_versions"]

    assert ([item["endpoint_path"] for item in cache["items"]], cache["total"]) == (
        [path for (path,) in rows[:20]],
        len(rows),
    )


def test_an_event_without_cache_rows_is_flagged(demo_gateway: DemoGateway) -> None:
    [(count,)] = demo_gateway.sql(
        "SELECT count(*) FROM endpoint_cache_versions WHERE event_eid = 'AB2750'"
    )

    data = visibility_of(demo_gateway, "AB2750")

    assert ("no_cache_versions" in codes(data)) is (count == 0)


def test_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "eid")


def test_a_malformed_eid_is_invalid(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB12"})

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_finance_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
