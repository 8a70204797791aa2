"""lookup_artist_profile (tools.md §3.3) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "lookup_artist_profile"

EVENTS_SQL = """
SELECT count(DISTINCT a.event_id),
       (SELECT e.eid FROM art x JOIN events e ON e.id = x.event_id WHERE x.artist_id = %s
        ORDER BY e.event_start_datetime DESC LIMIT 1)
FROM art a WHERE a.artist_id = %s
"""


def profiles_of(gateway: DemoGateway, arguments: dict[str, Any]) -> list[dict[str, Any]]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    items: list[dict[str, Any]] = envelope["data"]["profiles"]["items"]
    return items


def test_entry_id_finds_the_profile_with_its_person(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_shared_phone"]

    [profile] = profiles_of(demo_gateway, {"query": "310001", "search_by": "entry_id"})

    assert (profile["artist_profile_id"], profile["person"]["person_id"]) == (
        fixture["artist_profile_ids"][0],
        fixture["person_id"],
    )


def test_event_count_and_last_event_come_from_the_artworks(demo_gateway: DemoGateway) -> None:
    profile_id = demo_gateway.demo.fixtures["pending_manual_request"]["artist_profile_id"]
    [(count, last_eid)] = demo_gateway.sql(EVENTS_SQL, (profile_id, profile_id))

    [profile] = profiles_of(demo_gateway, {"query": profile_id, "search_by": "id"})

    assert (profile["event_count"], profile["last_event_eid"]) == (count, last_eid)


def test_active_profiles_come_before_superseded_ones(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["resolved_duplicate"]

    profiles = profiles_of(demo_gateway, {"query": "ava thompson"})

    ids = [p["artist_profile_id"] for p in profiles]
    assert ids.index(fixture["primary_profile_id"]) < ids.index(fixture["old_profile_id"])


def test_a_superseded_id_is_answered_with_a_warning_naming_the_replacement(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["resolved_duplicate"]

    envelope = demo_gateway.call(TOOL, {"query": fixture["old_profile_id"], "search_by": "id"})

    [warning] = [w for w in envelope["warnings"] if w["code"] == "superseded_profile"]
    assert fixture["primary_profile_id"] in warning["message"]


def test_the_bio_is_whole_by_id_and_cut_to_300_characters_otherwise(
    demo_gateway: DemoGateway,
) -> None:
    [(profile_id, entry_id, bio)] = demo_gateway.sql(
        "SELECT id::text, entry_id, abhq_bio FROM artist_profiles"
        " WHERE length(abhq_bio) > 300 ORDER BY entry_id LIMIT 1"
    )

    [by_id] = profiles_of(demo_gateway, {"query": profile_id, "search_by": "id"})
    [by_entry] = profiles_of(demo_gateway, {"query": str(entry_id), "search_by": "entry_id"})

    assert (by_id["abhq_bio"], by_entry["abhq_bio"], by_entry["abhq_bio_length"]) == (
        bio,
        bio[:300] + "…",
        len(bio),
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": "3f2b8c1e-7d4a-4e21-9b0c-000000000000", "search_by": "id"},
        {"query": "999999999", "search_by": "entry_id"},
    ],
    ids=["unknown-id", "unknown-entry-id"],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", "query")


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": "not-a-uuid", "search_by": "id"},
        {"query": "12a", "search_by": "entry_id"},
        {"query": "x" * 201},
    ],
    ids=["id-not-uuid", "entry-id-not-digits", "too-long"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_marketing_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"query": "maya"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
