"""find_duplicate_profiles (tools.md §4.1) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any, Final

import psycopg
import pytest

from artbattle_ops.tools.formats import FormatError, phone_key
from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back

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


# Every key of every active profile, computed in Python from the raw columns (§4.1), so that the
# groups of a lookup by id or query can be checked against all groups, not only the fixtures.
KEY_COLUMNS_SQL = """
SELECT ap.id::text, ap.person_id::text, ap.phone, pe.phone, ap.email, pe.email,
       regexp_replace(btrim(esbmcp_fold(ap.name)), '\\s+', ' ', 'g')
FROM artist_profiles ap
LEFT JOIN people pe ON pe.id = ap.person_id
WHERE ap.superseded_by IS NULL
"""

Group = tuple[str, str, frozenset[str]]


def _phone_key_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return phone_key(value)
    except FormatError:
        return None


def _keys(row: tuple[Any, ...]) -> set[tuple[str, str]]:
    _, person_id, phone, person_phone, email, person_email, name = row
    keys = {("same_person", person_id)} if person_id else set()
    keys |= {("phone", k) for k in map(_phone_key_or_none, (phone, person_phone)) if k}
    keys |= {("email", e.strip().lower()) for e in (email, person_email) if e and e.strip()}
    if name and len(name) >= 4:
        keys.add(("name", name))
    return keys


def groups_of_rows(rows: list[tuple[Any, ...]]) -> set[Group]:
    members: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        for key in _keys(row):
            members.setdefault(key, set()).add(row[0])
    return {(f, v, frozenset(ids)) for (f, v), ids in members.items() if len(ids) >= 2}


def all_groups(gateway: DemoGateway) -> set[Group]:
    return groups_of_rows(gateway.sql(KEY_COLUMNS_SQL))


def returned_groups(groups: dict[str, Any]) -> set[Group]:
    return {
        (g["match_field"], g["match_value"].removeprefix("+"), frozenset(member_ids(g)))
        for g in groups["items"]
    }


def test_a_lookup_by_id_returns_every_group_of_the_full_set_that_holds_the_profile(
    demo_gateway: DemoGateway,
) -> None:
    expected_all = all_groups(demo_gateway)
    profiles = sorted({i for _, _, ids in expected_all for i in ids})

    mismatched = {
        profile: returned_groups(groups_of(demo_gateway, {"artist_profile_id": profile}))
        for profile in profiles
    }

    assert {
        profile: got
        for profile, got in mismatched.items()
        if got != {g for g in expected_all if profile in g[2]}
    } == {}


def test_a_lookup_by_email_returns_every_group_of_the_full_set_with_a_matching_member(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_shared_phone"]
    matching = {
        row[0]
        for row in demo_gateway.sql(KEY_COLUMNS_SQL)
        if fixture["email"].lower() in {(e or "").strip().lower() for e in row[4:6]}
    }

    got = returned_groups(groups_of(demo_gateway, {"query": fixture["email"]}))

    assert got == {g for g in all_groups(demo_gateway) if g[2] & matching}


# Two active profiles, each its person's only profile and in no group, to be made duplicates of
# each other through a key that only one side holds on the profile and the other on its person.
LONE_PROFILES_SQL = """
SELECT ap.id::text, ap.person_id::text
FROM artist_profiles ap
WHERE ap.superseded_by IS NULL AND ap.person_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM artist_profiles o
                  WHERE o.person_id = ap.person_id AND o.id <> ap.id)
ORDER BY ap.id
"""
SET_PROFILE: Final = "UPDATE artist_profiles SET {column} = %(value)s WHERE id = %(id)s::uuid"
SET_PERSON: Final = "UPDATE people SET {column} = %(value)s WHERE id = %(id)s::uuid"
CROSS_KEYS = {
    "email": ("email", "Cross.Key@Example.org", " cross.key@example.org "),
    "phone": ("phone", "+1 (647) 555-0123", "6475550123"),
}


def _cross_changes(field: str, first: str, second: str, person: str) -> list[Any]:
    column, own, persons = CROSS_KEYS[field]
    return [
        (SET_PROFILE.format(column=column), {"value": own, "id": first}),
        (SET_PROFILE.format(column=column), {"value": None, "id": second}),
        (SET_PERSON.format(column=column), {"value": persons, "id": person}),
    ]


def _groups_after(url: str, changes: list[Any]) -> set[Group]:
    with psycopg.connect(url) as conn:
        for statement, params in changes:
            conn.execute(statement, params)
        rows = conn.execute(KEY_COLUMNS_SQL).fetchall()
        conn.rollback()
    return groups_of_rows(rows)


@pytest.mark.parametrize("field", sorted(CROSS_KEYS))
@pytest.mark.parametrize("seed", ["profile-side", "person-side"])
def test_a_key_held_by_one_profile_and_by_another_profiles_person_groups_them(
    demo_gateway: DemoGateway, field: str, seed: str
) -> None:
    grouped = {i for _, _, ids in all_groups(demo_gateway) for i in ids}
    lone = [r for r in demo_gateway.sql(LONE_PROFILES_SQL) if r[0] not in grouped]
    (first, _), (second, person) = lone[0], lone[1]
    changes = _cross_changes(field, first, second, person)
    profile = first if seed == "profile-side" else second

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {"artist_profile_id": profile}, changes)

    expected = {g for g in _groups_after(demo_gateway.demo.url, changes) if profile in g[2]}
    assert returned_groups(result.data["groups"]) == expected
    assert any(g[2] == {first, second} for g in expected)


def _ordered(groups: set[Group]) -> list[Group]:
    """§4.1 order: confidence (name last), size descending, then key value and field."""
    return sorted(groups, key=lambda g: (g[0] == "name", -len(g[2]), g[1], g[0]))


def test_a_full_scan_returns_the_first_groups_of_the_full_set_in_order(
    demo_gateway: DemoGateway,
) -> None:
    expected = _ordered(all_groups(demo_gateway))

    groups = groups_of(demo_gateway, {"limit": 20})

    got = [
        (g["match_field"], g["match_value"].removeprefix("+"), frozenset(member_ids(g)))
        for g in groups["items"]
    ]
    assert (got, groups["total"]) == (expected[:20], len(expected))


# Keys that take the slow paths of the full scan: accented names with runs of spaces (folded by
# esbmcp_fold, not lower), and phones written with spaces, brackets or a leading 00 (keyed by
# esbmcp_phone_key, not by stripping a leading +).
SLOW_PATH_KEYS: Final = {
    "name": ["Zoë  Ñúñez-Bélanger", "zoe nunez-belanger", " ZOË\tNUÑEZ-BELANGER "],
    "phone": ["+44 (20) 7946 0958", "0044 20 7946 0958", "+442079460958"],
}


@pytest.mark.parametrize("field", sorted(SLOW_PATH_KEYS))
def test_a_full_scan_groups_keys_written_differently(demo_gateway: DemoGateway, field: str) -> None:
    grouped = {i for _, _, ids in all_groups(demo_gateway) for i in ids}
    lone = [r[0] for r in demo_gateway.sql(LONE_PROFILES_SQL) if r[0] not in grouped][:3]
    changes: list[Any] = [
        (SET_PROFILE.format(column=field), {"value": value, "id": profile})
        for profile, value in zip(lone, SLOW_PATH_KEYS[field], strict=True)
    ]

    result = call_rolled_back(
        demo_gateway.demo.url, TOOL, {"match_on": field, "limit": 50}, changes
    )

    expected = _ordered(_groups_after(demo_gateway.demo.url, changes))
    got = [
        (g["match_field"], g["match_value"].removeprefix("+"), frozenset(member_ids(g)))
        for g in result.data["groups"]["items"]
    ]
    assert got == [g for g in expected if g[0] == field][:50]
    assert frozenset(lone) in {g[2] for g in expected}
