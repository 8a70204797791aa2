"""update_artist_bio (tools.md §4.3) end to end: normalisation, clearing to NULL, HQ bio only."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest

from tests.integration.writes.conftest import WriteStack, profile_edit_key, updated_at_of

TOOL = "update_artist_bio"
CHANGED_SINCE = "The record changed since you confirmed; ask again to see the new preview."
NEW_BIO = "Paints crowds and city lights in fast, loose strokes."
# Active profiles with and without an HQ bio, by artist number; each test takes its own.
PROFILE_SQL = """
SELECT id::text FROM artist_profiles
WHERE superseded_by IS NULL AND (abhq_bio IS NOT NULL) = %s
ORDER BY entry_id OFFSET %s LIMIT 1
"""
ROW_SQL = "SELECT name, abhq_bio, bio, country, updated_at FROM artist_profiles WHERE id = %s"


def with_bio(stack: WriteStack, index: int) -> str:
    [(profile_id,)] = stack.sql(PROFILE_SQL, (True, index))
    return str(profile_id)


def without_bio(stack: WriteStack, index: int) -> str:
    [(profile_id,)] = stack.sql(PROFILE_SQL, (False, index))
    return str(profile_id)


def row(stack: WriteStack, profile_id: str) -> tuple[Any, ...]:
    return stack.sql(ROW_SQL, (profile_id,))[0]


def stored_bio(stack: WriteStack, profile_id: str) -> str | None:
    [(bio,)] = stack.sql("SELECT abhq_bio FROM artist_profiles WHERE id = %s", (profile_id,))
    return None if bio is None else str(bio)


def key(profile_id: str, bio: str, updated_at: datetime) -> str:
    digest = hashlib.sha256(bio.encode()).hexdigest()
    return profile_edit_key(TOOL, profile_id, digest, updated_at)


def preview_of(stack: WriteStack, arguments: dict[str, Any]) -> dict[str, Any]:
    body = stack.call(TOOL, arguments)
    assert body["error"]["code"] == "confirmation_required", body
    error: dict[str, Any] = body["error"]
    return error


def test_the_closed_gate_refuses_with_the_exact_message(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 0)
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_bio": ""}, gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == (
        "mutating_disabled",
        "Mutating tools are disabled by policy",
    )
    assert row(write_stack, profile_id) == before


def test_finance_may_not_edit_a_bio(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 0)

    body = write_stack.call(
        TOOL, {"artist_profile_id": profile_id, "new_bio": NEW_BIO}, user="UFIN"
    )

    assert body["error"]["code"] == "role_denied"


def test_the_preview_shows_lengths_and_excerpts_and_changes_nothing(
    write_stack: WriteStack,
) -> None:
    profile_id = with_bio(write_stack, 1)
    before = row(write_stack, profile_id)
    old = str(before[1])

    preview = preview_of(write_stack, {"artist_profile_id": profile_id, "new_bio": NEW_BIO})[
        "preview"
    ]

    expected_excerpt = old if len(old) <= 200 else old[:200] + "…"
    assert (preview["before"]["abhq_bio"], preview["before"]["length"]) == (
        expected_excerpt,
        len(old),
    )
    assert preview["after"] == {"abhq_bio": NEW_BIO, "length": len(NEW_BIO), "clears_bio": False}
    assert preview["idempotency_key"] == key(profile_id, NEW_BIO, before[4])
    assert row(write_stack, profile_id) == before


def test_a_confirmed_bio_replaces_only_the_hq_bio(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 2)
    name, old, own_bio, country, updated_before = row(write_stack, profile_id)

    body = write_stack.confirm(
        TOOL, {"artist_profile_id": profile_id, "new_bio": "  Line one\r\nLine two  "}
    )

    assert row(write_stack, profile_id)[:4] == (name, "Line one\nLine two", own_bio, country)
    data = body["data"]
    assert {k: data[k] for k in ("changed", "cleared", "previous_length", "new_length")} == {
        "changed": True,
        "cleared": False,
        "previous_length": len(old),
        "new_length": len("Line one\nLine two"),
    }
    assert data["idempotency_key"] == key(profile_id, "Line one\nLine two", updated_before)


def test_a_confirmed_bio_is_recorded_as_succeeded_in_the_ledger(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 3)
    version = updated_at_of(write_stack, profile_id)

    write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_bio": NEW_BIO})

    rows = write_stack.sql(
        "SELECT tool_name, status FROM esbmcp_write_operations WHERE idempotency_key = %s",
        (key(profile_id, NEW_BIO, version),),
    )
    assert rows == [(TOOL, "succeeded")]


def test_a_blank_bio_clears_it_to_null(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 4)

    body = write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_bio": " \r\n "})

    assert stored_bio(write_stack, profile_id) is None
    assert (body["data"]["cleared"], body["data"]["new_length"]) == (True, 0)


def test_clearing_an_empty_string_bio_stores_null(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 5)
    write_stack.execute("UPDATE artist_profiles SET abhq_bio = 'x' WHERE id = %s", (profile_id,))

    write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_bio": ""})

    assert stored_bio(write_stack, profile_id) is None


@pytest.mark.parametrize("stored", [None, ""], ids=["null", "empty"])
def test_clearing_a_bio_that_is_already_empty_is_unchanged(
    write_stack: WriteStack, stored: str | None
) -> None:
    profile_id = without_bio(write_stack, 0 if stored is None else 1)
    write_stack.execute(
        "UPDATE artist_profiles SET abhq_bio = %s WHERE id = %s", (stored, profile_id)
    )
    before = row(write_stack, profile_id)
    count_sql = "SELECT count(*) FROM esbmcp_confirmations WHERE tool_name = %s"
    [(pending_before,)] = write_stack.sql(count_sql, (TOOL,))

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_bio": ""})

    assert (body["ok"], body["data"]["changed"]) == (True, False)
    assert write_stack.sql(count_sql, (TOOL,)) == [(pending_before,)]
    assert row(write_stack, profile_id) == before


def test_an_over_long_bio_is_refused_with_the_exact_message(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 6)
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_bio": "é" * 2314})

    assert (body["error"]["code"], body["error"]["message"]) == (
        "invalid_arguments",
        "new_bio is 2314 characters; the limit is 2000.",
    )
    assert row(write_stack, profile_id) == before


def test_length_is_counted_after_crlf_and_trimming_in_code_points(
    write_stack: WriteStack,
) -> None:
    profile_id = with_bio(write_stack, 7)
    bio = "🎨" * 1000 + "\r\n" * 400 + "🎨" * 599  # 2399 sent, 1999 code points stored

    preview = preview_of(write_stack, {"artist_profile_id": profile_id, "new_bio": f" {bio} "})

    assert preview["preview"]["after"]["length"] == 1999


def test_a_used_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 8)
    arguments = {"artist_profile_id": profile_id, "new_bio": NEW_BIO}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    write_stack.call(TOOL, arguments, confirmation_id=confirmation)
    write_stack.execute("UPDATE artist_profiles SET abhq_bio = 'y' WHERE id = %s", (profile_id,))
    after_reset = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == after_reset


def test_another_users_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id = with_bio(write_stack, 9)
    arguments = {"artist_profile_id": profile_id, "new_bio": NEW_BIO}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, user="UOPS2", confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == before


def test_a_bio_changed_past_the_excerpt_since_the_preview_is_a_conflict(
    write_stack: WriteStack,
) -> None:
    profile_id = with_bio(write_stack, 10)
    long_bio = "a" * 500
    write_stack.execute(
        "UPDATE artist_profiles SET abhq_bio = %s WHERE id = %s", (long_bio, profile_id)
    )
    arguments = {"artist_profile_id": profile_id, "new_bio": NEW_BIO}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    same_length = "a" * 400 + "b" + "a" * 99
    write_stack.execute(
        "UPDATE artist_profiles SET abhq_bio = %s WHERE id = %s", (same_length, profile_id)
    )
    changed = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert (body["error"]["code"], body["error"]["message"]) == ("conflict", CHANGED_SINCE)
    assert row(write_stack, profile_id) == changed


def test_an_unknown_profile_is_not_found(write_stack: WriteStack) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    body = write_stack.call(TOOL, {"artist_profile_id": missing, "new_bio": NEW_BIO})

    assert (body["error"]["code"], body["error"]["argument"]) == ("not_found", "artist_profile_id")


def test_a_superseded_profile_is_a_conflict_naming_the_active_profile(
    write_stack: WriteStack,
) -> None:
    fixture = write_stack.fixtures["resolved_duplicate"]
    before = row(write_stack, fixture["old_profile_id"])

    body = write_stack.call(
        TOOL, {"artist_profile_id": fixture["old_profile_id"], "new_bio": NEW_BIO}
    )

    assert body["error"]["code"] == "conflict"
    assert fixture["primary_profile_id"] in body["error"]["message"]
    assert row(write_stack, fixture["old_profile_id"]) == before
