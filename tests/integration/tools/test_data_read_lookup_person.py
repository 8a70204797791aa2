"""lookup_person (tools.md §3.2) over the seeded demo data, checked against the fixtures and SQL."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "lookup_person"


def people_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def test_a_name_search_finds_the_person_with_profiles(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["duplicate_profiles_shared_phone"]

    data = people_of(demo_gateway, {"query": "chen maya"})

    [first] = [p for p in data["people"]["items"] if p["person_id"] == fixture["person_id"]]
    profile_ids = sorted(p["artist_profile_id"] for p in first["artist_profiles"]["items"])
    assert (data["search_by_used"], profile_ids) == ("name", sorted(fixture["artist_profile_ids"]))


@pytest.mark.parametrize(
    "query", ["(416) 555-0134", "416.555.0134", "+1 416 555 0134", "0014165550134"]
)
def test_a_phone_query_matches_by_phone_key(demo_gateway: DemoGateway, query: str) -> None:
    expected = [
        str(pid)
        for (pid,) in demo_gateway.sql(
            "SELECT id FROM people WHERE regexp_replace(phone, '[^0-9]', '', 'g') = %s",
            ("14165550134",),
        )
    ]

    data = people_of(demo_gateway, {"query": query})

    found = [p["person_id"] for p in data["people"]["items"]]
    assert (data["search_by_used"], sorted(found)) == ("phone", sorted(expected))


def test_an_email_query_matches_the_whole_address_ignoring_case(
    demo_gateway: DemoGateway,
) -> None:
    fixture = demo_gateway.demo.fixtures["null_last_name_person"]

    data = people_of(demo_gateway, {"query": fixture["email"].upper()})

    found = [(p["person_id"], p["last_name"]) for p in data["people"]["items"]]
    assert (data["search_by_used"], found) == ("email", [(fixture["person_id"], None)])


def test_a_null_last_name_does_not_hide_a_person(demo_gateway: DemoGateway) -> None:
    fixture = demo_gateway.demo.fixtures["null_last_name_person"]

    data = people_of(demo_gateway, {"query": "jordan", "limit": 25, "search_by": "name"})

    assert fixture["person_id"] in [p["person_id"] for p in data["people"]["items"]]


def test_exact_name_matches_come_before_partial_ones(demo_gateway: DemoGateway) -> None:
    data = people_of(demo_gateway, {"query": "Rosa", "limit": 25})

    exact = [
        fold(f"{p['first_name'] or ''} {p['last_name'] or ''}") == "rosa"
        or fold(p["name"] or "") == "rosa"
        for p in data["people"]["items"]
    ]
    assert exact == sorted(exact, reverse=True)


def test_the_total_counts_every_match_beyond_the_limit(demo_gateway: DemoGateway) -> None:
    [(expected,)] = demo_gateway.sql(
        "SELECT count(*) FROM people p WHERE lower(p.email) LIKE '%%example.com%%'"
    )

    data = people_of(demo_gateway, {"query": "example.com", "search_by": "email", "limit": 2})

    assert (data["people"]["count"], data["people"]["total"]) == (min(2, expected), expected)


def test_a_search_without_matches_is_an_empty_list(demo_gateway: DemoGateway) -> None:
    data = people_of(demo_gateway, {"query": "zzqx nobody"})

    assert data["people"] == {"items": [], "count": 0, "total": 0, "truncated": False}


@pytest.mark.parametrize(
    "arguments",
    [{"query": "555-0123"}, {"query": "x"}, {"query": "jane", "search_by": "fax"}],
    ids=["seven-digit-phone", "too-short", "unknown-search-by"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_viewer_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"query": "maya"}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"


def test_active_people_come_before_superseded_ones_among_equal_matches(
    demo_gateway: DemoGateway,
) -> None:
    [(first, last)] = demo_gateway.sql(
        "SELECT q.first_name, q.last_name FROM people q WHERE q.superseded_by IS NOT NULL"
        " AND q.first_name IS NOT NULL AND q.last_name IS NOT NULL"
        " ORDER BY q.first_name, q.last_name LIMIT 1"
    )

    data = people_of(demo_gateway, {"query": f"{first} {last}", "limit": 25})

    exact = [
        p for p in data["people"]["items"] if (p["first_name"], p["last_name"]) == (first, last)
    ]
    active = [p["is_active"] for p in exact]
    assert (active, False in active) == (sorted(active, reverse=True), True)
