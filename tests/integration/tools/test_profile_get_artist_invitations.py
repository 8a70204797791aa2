"""get_artist_invitations (tools.md §4.5) over the seeded demo data, against fixtures and SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_artist_invitations"
STATUSES = ("pending", "accepted", "declined", "withdrawn", "expired")

STATUS_COUNTS_SQL = """
SELECT status::text, count(*) FROM artist_invitations WHERE event_eid = %s GROUP BY status
"""

NEWEST_SQL = """
SELECT id::text FROM artist_invitations WHERE event_eid = %s
ORDER BY created_at DESC NULLS LAST, id
"""

CONFIRMED_NUMBERS_SQL = """
SELECT DISTINCT artist_number FROM artist_confirmations
WHERE event_eid = %s AND confirmation_status = 'confirmed'
"""

# An invitation of an old event that has no profile id, and the profile its number names.
UNLINKED_SQL = """
SELECT i.id::text, ap.id::text, ap.name FROM artist_invitations i
JOIN artist_profiles ap ON ap.entry_id::text = i.artist_number
WHERE i.artist_profile_id IS NULL
ORDER BY i.id LIMIT 1
"""

ORPHAN_ARTIST_SQL = """
SELECT ap.id::text FROM artist_invitations i
JOIN artist_profiles ap ON ap.id = i.artist_profile_id OR ap.entry_id::text = i.artist_number
WHERE i.event_eid = %s
ORDER BY ap.id LIMIT 1
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_status_counts_cover_every_match_and_all_five_statuses(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]
    expected = dict.fromkeys(STATUSES, 0)
    expected.update(dict(demo_gateway.sql(STATUS_COUNTS_SQL, (eid,))))

    data = data_of(demo_gateway, {"eid": eid, "limit": 1})

    assert data["status_counts"] == expected


def test_invitations_are_listed_newest_first_with_the_true_total(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    expected = [row[0] for row in demo_gateway.sql(NEWEST_SQL, (eid,))]

    invitations = data_of(demo_gateway, {"eid": eid, "limit": 5})["invitations"]

    ids = [item["invitation_id"] for item in invitations["items"]]
    assert (ids, invitations["total"]) == (expected[:5], len(expected))


def test_a_status_filter_keeps_only_that_status(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["ready_event"]["eid"]

    invitations = data_of(demo_gateway, {"eid": eid, "status": "PENDING"})["invitations"]

    assert [item["status"] for item in invitations["items"]] == ["pending", "pending"]


def test_confirmed_comes_from_the_confirmations_of_the_same_event(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["healthy_event"]["eid"]
    expected = {row[0] for row in demo_gateway.sql(CONFIRMED_NUMBERS_SQL, (eid,))}

    items = data_of(demo_gateway, {"eid": eid, "limit": 200})["invitations"]["items"]

    assert {item["artist_number"] for item in items if item["confirmed"]} == expected


def test_an_invitation_without_a_profile_id_is_the_artist_s_by_number(
    demo_gateway: DemoGateway,
) -> None:
    [(invitation_id, profile_id, name)] = demo_gateway.sql(UNLINKED_SQL)

    items = data_of(demo_gateway, {"artist_profile_id": profile_id, "limit": 200})["invitations"]

    [item] = [i for i in items["items"] if i["invitation_id"] == invitation_id]
    assert (item["artist_profile_id"], item["artist_name"]) == (profile_id, name)


def test_an_invitation_to_an_unknown_event_is_kept_with_display_times(
    demo_gateway: DemoGateway,
) -> None:
    eid = demo_gateway.demo.fixtures["orphan_invitations"]["eid"]
    [(profile_id,)] = demo_gateway.sql(ORPHAN_ARTIST_SQL, (eid,))

    items = data_of(demo_gateway, {"artist_profile_id": profile_id, "limit": 200})["invitations"]

    [item] = [i for i in items["items"] if i["event_eid"] == eid]
    assert (item["event_name"], item["event_start"], item["created_at"]["tz_basis"]) == (
        None,
        None,
        "display",
    )


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"eid": "AB9999"}, "eid"),
        ({"artist_profile_id": "3f2b8c1e-7d4a-4e21-9b0c-000000000000"}, "artist_profile_id"),
    ],
    ids=["eid-of-orphan-invitations", "unknown-profile"],
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
        {"status": "pending"},
        {"eid": "AB4015", "status": "confirmed"},
        {"eid": "AB4015", "limit": 0},
    ],
    ids=["neither-id", "status-alone", "no-confirmed-status", "limit-zero"],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_marketing_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4015"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
