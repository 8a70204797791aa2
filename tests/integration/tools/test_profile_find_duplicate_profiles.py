"""find_duplicate_profiles (tools.md §4.1) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "find_duplicate_profiles"
CONFIDENCE_RANK = {"high": 0, "medium": 1}

ART_ROWS_SQL = """
SELECT ap.id::text FROM artist_profiles ap
LEFT JOIN art a ON a.artist_id = ap.id
WHERE ap.id = ANY(%s::uuid[])
GROUP BY ap.id, ap.created_at
ORDER BY count(a.id) DESC, ap.created_at, ap.id
LIMIT 1
"""


def groups_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    groups: dict[str, Any] = envelope["data"]["groups"]
    return groups


def member_ids(group: dict[str, Any]) -> set[str]:
    return {p["artist_profile_id"] for p in group["profiles"]["items"]}


def test_profiles_of_one_person_are_grouped_by_person_phone_and_email_not_name(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_shared_phone"]
    pair = set(fixture["artist_profile_ids"])

    groups = groups_of(demo_gateway, {"artist_profile_id": fixture["artist_profile_ids"][0]})

    fields = {g["match_field"] for g in groups["items"] if member_ids(g) >= pair}
    assert fields == {"same_person", "phone", "email"}


def test_a_shared_phone_is_shown_as_its_phone_key(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_shared_phone"]

    groups = groups_of(demo_gateway, {"query": fixture["email"].upper(), "match_on": "phone"})

    [group] = groups["items"]
    assert (group["match_value"], member_ids(group)) == (
        fixture["phone"],
        set(fixture["artist_profile_ids"]),
    )


def test_phones_in_different_formats_are_found_after_normalising(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_phone_format"]

    groups = groups_of(demo_gateway, {"query": fixture["phones"][1], "match_on": "phone"})

    [group] = groups["items"]
    assert (group["match_value"], member_ids(group)) == (
        "+15145550187",
        set(fixture["artist_profile_ids"]),
    )


def test_superseded_profiles_are_left_out_by_default(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["resolved_duplicate"]

    groups = groups_of(demo_gateway, {"query": "ava thompson"})

    assert not any(fixture["old_profile_id"] in member_ids(g) for g in groups["items"])


def test_superseded_profiles_are_grouped_when_included(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["resolved_duplicate"]
    pair = {fixture["old_profile_id"], fixture["primary_profile_id"]}

    groups = groups_of(demo_gateway, {"query": "ava thompson", "include_superseded": True})

    assert any(member_ids(g) >= pair for g in groups["items"])


def test_a_superseded_id_is_answered_with_a_warning_naming_the_replacement(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["resolved_duplicate"]

    envelope = demo_gateway.call(TOOL, {"artist_profile_id": fixture["old_profile_id"]})

    [warning] = [w for w in envelope["warnings"] if w["code"] == "superseded_profile"]
    assert fixture["primary_profile_id"] in warning["message"]


def test_the_suggested_primary_has_the_most_artworks_then_the_earliest_creation(
    demo_gateway: DemoGateway,
) -> None:
    groups = groups_of(demo_gateway, {"limit": 10})

    expected = [
        demo_gateway.sql(ART_ROWS_SQL, (sorted(member_ids(g)),))[0][0] for g in groups["items"]
    ]
    assert [g["suggested_primary_id"] for g in groups["items"]] == expected


def test_a_full_scan_orders_groups_by_confidence_then_size(demo_gateway: DemoGateway) -> None:
    groups = groups_of(demo_gateway, {"limit": 50})

    keys = [(CONFIDENCE_RANK[g["confidence"]], -g["profiles"]["count"]) for g in groups["items"]]
    assert keys == sorted(keys)


def test_the_group_total_is_not_capped_by_the_limit(demo_gateway: DemoGateway) -> None:
    groups = groups_of(demo_gateway, {"limit": 1})

    assert (groups["count"], groups["total"] > 1, groups["truncated"]) == (1, True, True)


def test_name_only_matching_groups_by_the_folded_name(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_phone_format"]

    groups = groups_of(demo_gateway, {"query": "LUCAS moreau", "match_on": "name"})

    [group] = groups["items"]
    assert (group["match_value"], group["confidence"], member_ids(group)) == (
        "lucas moreau",
        "medium",
        set(fixture["artist_profile_ids"]),
    )


def test_an_unknown_profile_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(
        TOOL, {"artist_profile_id": "3f2b8c1e-7d4a-4e21-9b0c-000000000000"}
    )

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == (
        "not_found",
        "artist_profile_id",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": "m"},
        {"match_on": "fuzzy"},
        {"limit": 51},
        {"artist_profile_id": "310001"},
        {"include_superseded": "true"},
    ],
    ids=["query-too-short", "unknown-match-on", "limit-over-50", "id-not-uuid", "string-bool"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_finance_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"query": "maya"}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
