"""get_vote_weights (tools.md §4.8) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back

TOOL = "get_vote_weights"

DISTRIBUTION_SQL = """
SELECT v.vote_factor, count(*) FROM votes v JOIN events e ON e.id = v.event_id
WHERE e.eid = %s GROUP BY v.vote_factor ORDER BY v.vote_factor
"""

STATS_SQL = """
SELECT count(*), round(100.0 * count(*) FILTER (WHERE v.vote_factor > 1) / count(*), 1)
FROM votes v JOIN events e ON e.id = v.event_id
WHERE e.eid = %s AND (%s::int IS NULL OR v.round = %s::int)
"""

QR_VOTERS_SQL = """
SELECT count(DISTINCT v.person_id) FROM votes v JOIN events e ON e.id = v.event_id
JOIN people_qr_scans s ON s.person_id = v.person_id AND s.event_id = v.event_id AND s.is_valid
WHERE e.eid = %s
"""

SUPER_FAN_SQL = """
SELECT e.eid, w.total_weight,
       EXISTS (SELECT 1 FROM people_qr_scans s
               WHERE s.person_id = v.person_id AND s.event_id = v.event_id AND s.is_valid)
FROM votes v JOIN events e ON e.id = v.event_id
LEFT JOIN person_vote_weights w ON w.person_id = v.person_id
WHERE v.id = %s
"""


VIEW_SQL = "SELECT count(*), max(last_calculated) FROM person_vote_weights"
# One person of the view loses the phone that puts them in it, and the view is refreshed.
DROP_ONE_FROM_VIEW: Any = [
    (
        "UPDATE people SET phone = NULL WHERE id = "
        "(SELECT person_id FROM person_vote_weights ORDER BY person_id LIMIT 1)",
        {},
    ),
    ("REFRESH MATERIALIZED VIEW person_vote_weights", {}),
]


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_votes_are_distributed_by_their_snapshotted_factor(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    rows = demo_gateway.sql(DISTRIBUTION_SQL, (eid,))

    distribution = data_of(demo_gateway, {"eid": eid})["distribution"]["items"]

    assert distribution == [{"vote_factor": float(f), "votes": n} for f, n in rows]


@pytest.mark.parametrize("round_number", [None, 2], ids=["all-rounds", "round-2"])
def test_the_weighted_share_is_the_share_of_votes_above_one(
    demo_gateway: DemoGateway, round_number: int | None
) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    [(votes, pct)] = demo_gateway.sql(STATS_SQL, (eid, round_number, round_number))
    arguments: dict[str, Any] = {"eid": eid}
    if round_number is not None:
        arguments["round"] = round_number

    stats = data_of(demo_gateway, arguments)["stats"]

    assert (stats["votes"], stats["weighted_votes_pct"]) == (votes, float(pct))


def test_qr_bonus_voters_are_voters_with_a_valid_scan_at_the_event(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    [(expected,)] = demo_gateway.sql(QR_VOTERS_SQL, (eid,))

    stats = data_of(demo_gateway, {"eid": eid})["stats"]

    assert stats["qr_bonus_voters"] == expected


def test_the_legacy_vote_weights_table_is_only_counted_and_is_empty(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]

    data = data_of(demo_gateway, {"eid": eid})

    assert data["legacy_vote_weights_rows"] == 0


def test_the_super_fan_s_expected_factor_is_the_capped_weight_plus_the_qr_bonus(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["super_fan"]
    [(eid, weight, scanned)] = demo_gateway.sql(SUPER_FAN_SQL, (fixture["seven_point_vote_id"],))
    expected = float(min(Decimal(weight) + (1 if scanned else 0), Decimal(7)))

    person = data_of(demo_gateway, {"eid": eid, "person_id": fixture["person_id"]})["person"]

    assert (person["in_view"], person["expected_factor_now"]) == (True, expected)


def test_the_super_fan_s_votes_include_the_seven_point_vote(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["super_fan"]
    [(eid, _, _)] = demo_gateway.sql(SUPER_FAN_SQL, (fixture["seven_point_vote_id"],))

    person = data_of(demo_gateway, {"eid": eid, "person_id": fixture["person_id"]})["person"]

    assert 7.0 in [vote["vote_factor"] for vote in person["votes"]["items"]]


def test_without_a_person_the_person_is_null(demo_gateway: DemoGateway) -> None:
    data = data_of(demo_gateway, {"eid": demo_gateway.demo.fixtures["healthy_event"]["eid"]})

    assert data["person"] is None


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"eid": "AB9999"}, "eid"),
        ({"eid": "AB4001", "person_id": "3f2b8c1e-7d4a-4e21-9b0c-000000000000"}, "person_id"),
    ],
    ids=["unknown-eid", "unknown-person"],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any], argument: str
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", argument)


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"eid": "AB4001", "round": 11},
        {"eid": "AB4001", "round": "2"},
        {"eid": "AB4001", "person_id": "x"},
    ],
    ids=["missing-eid", "round-over-10", "round-as-string", "person-not-uuid"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_viewer_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"


def test_the_view_is_reported_with_its_row_count_and_latest_refresh(
    demo_gateway: DemoGateway,
) -> None:
    [(rows, last)] = demo_gateway.sql(VIEW_SQL)

    view = data_of(demo_gateway, {"eid": "AB4001"})["view"]

    assert (view["rows"], view["view_last_refreshed"]["utc"]) == (
        rows,
        last.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def test_the_view_count_follows_each_refresh(demo_gateway: DemoGateway) -> None:
    url = demo_gateway.demo.url
    [(rows, _)] = demo_gateway.sql(VIEW_SQL)
    arguments = {"eid": "AB4001"}

    before = call_rolled_back(url, TOOL, arguments, [])
    refreshed = call_rolled_back(url, TOOL, arguments, DROP_ONE_FROM_VIEW)
    after = call_rolled_back(url, TOOL, arguments, [])

    assert [r.data["view"]["rows"] for r in (before, refreshed, after)] == [rows, rows - 1, rows]
