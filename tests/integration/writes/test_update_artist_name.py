"""update_artist_name (tools.md §4.2) end to end: gate, preview, confirmation, compare-and-set."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.integration.writes.conftest import WriteStack, profile_edit_key, updated_at_of

TOOL = "update_artist_name"
CHANGED_SINCE = "The record changed since you confirmed; ask again to see the new preview."
PREVIEW_KEYS = {
    "tool",
    "summary",
    "target",
    "before",
    "after",
    "effects",
    "warnings",
    "arguments_hash",
    "state_hash",
    "idempotency_key",
}
# Active, named profiles by artist number; each test takes its own so none sees another's edit.
PROFILE_SQL = """
SELECT id::text, entry_id, name FROM artist_profiles
WHERE superseded_by IS NULL AND name IS NOT NULL
ORDER BY entry_id OFFSET %s LIMIT 1
"""
ROW_SQL = "SELECT name, abhq_bio, country, updated_at FROM artist_profiles WHERE id = %s"


def profile(stack: WriteStack, index: int) -> tuple[str, int, str]:
    [(profile_id, entry_id, name)] = stack.sql(PROFILE_SQL, (index,))
    return profile_id, entry_id, name


def row(stack: WriteStack, profile_id: str) -> tuple[Any, ...]:
    return stack.sql(ROW_SQL, (profile_id,))[0]


def key(profile_id: str, name: str, updated_at: datetime) -> str:
    return profile_edit_key(TOOL, profile_id, name, updated_at)


def preview_of(stack: WriteStack, arguments: dict[str, Any], user: str = "UOPS") -> dict[str, Any]:
    body = stack.call(TOOL, arguments, user=user)
    assert body["error"]["code"] == "confirmation_required", body
    error: dict[str, Any] = body["error"]
    return error


def test_the_closed_gate_refuses_with_the_exact_message(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 0)
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_name": "X Y"}, gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == (
        "mutating_disabled",
        "Mutating tools are disabled by policy",
    )
    assert row(write_stack, profile_id) == before


def test_an_event_producer_may_not_rename(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 0)

    body = write_stack.call(
        TOOL, {"artist_profile_id": profile_id, "new_name": "X Y"}, user="UPROD"
    )

    assert body["error"]["code"] == "role_denied"


def test_the_first_call_previews_without_changing_anything(write_stack: WriteStack) -> None:
    profile_id, entry_id, name = profile(write_stack, 1)
    before = row(write_stack, profile_id)

    error = preview_of(
        write_stack, {"artist_profile_id": profile_id, "new_name": "  Ada   Okafor "}
    )

    preview = error["preview"]
    assert set(preview) == PREVIEW_KEYS
    assert (preview["tool"], preview["before"], preview["after"]) == (
        TOOL,
        {"name": name},
        {"name": "Ada Okafor"},
    )
    assert preview["target"] == {
        "artist_profile_id": profile_id,
        "entry_id": entry_id,
        "name": name,
    }
    assert preview["idempotency_key"] == key(profile_id, "Ada Okafor", before[3])
    assert row(write_stack, profile_id) == before


def test_a_confirmed_rename_sets_the_name_and_updated_at(write_stack: WriteStack) -> None:
    profile_id, entry_id, name = profile(write_stack, 2)
    [(updated_before,)] = write_stack.sql(
        "SELECT updated_at FROM artist_profiles WHERE id = %s", (profile_id,)
    )

    body = write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_name": "Ada Okafor"})

    [(stored, updated_at)] = write_stack.sql(
        "SELECT name, updated_at FROM artist_profiles WHERE id = %s", (profile_id,)
    )
    assert stored == "Ada Okafor"
    assert updated_before is None or updated_at > updated_before
    data = body["data"]
    assert {
        k: data[k] for k in ("artist_profile_id", "entry_id", "changed", "before", "after")
    } == {
        "artist_profile_id": profile_id,
        "entry_id": entry_id,
        "changed": True,
        "before": {"name": name},
        "after": {"name": "Ada Okafor"},
    }
    assert data["updated_at"]["utc"] == updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert data["idempotency_key"] == key(profile_id, "Ada Okafor", updated_before)


def test_a_confirmed_rename_is_recorded_as_succeeded_in_the_ledger(
    write_stack: WriteStack,
) -> None:
    profile_id, _, _ = profile(write_stack, 3)
    version = updated_at_of(write_stack, profile_id)

    write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_name": "Bea Lindqvist"})

    rows = write_stack.sql(
        "SELECT tool_name, status, requested_by FROM esbmcp_write_operations "
        "WHERE idempotency_key = %s",
        (key(profile_id, "Bea Lindqvist", version),),
    )
    assert rows == [(TOOL, "succeeded", "UOPS")]


def test_a_name_set_again_after_another_rename_is_set_not_replayed(
    write_stack: WriteStack,
) -> None:
    profile_id, _, _ = profile(write_stack, 20)
    for name in ("Ada Okafor", "Bea Lindqvist"):
        write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_name": name})

    body = write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_name": "Ada Okafor"})

    assert (body["data"]["replayed"], row(write_stack, profile_id)[0]) == (False, "Ada Okafor")


def test_two_confirmations_of_one_preview_rename_once(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 21)
    arguments = {"artist_profile_id": profile_id, "new_name": "Cy Brandt"}
    first, second = (preview_of(write_stack, arguments) for _ in range(2))

    results = [
        write_stack.call(TOOL, arguments, confirmation_id=pending["confirmation_id"])
        for pending in (first, second)
    ]

    assert [r["data"]["replayed"] for r in results] == [False, True]


def test_a_used_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 4)
    arguments = {"artist_profile_id": profile_id, "new_name": "Cai Wen"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    write_stack.call(TOOL, arguments, confirmation_id=confirmation)
    write_stack.execute("UPDATE artist_profiles SET name = 'Cai Old' WHERE id = %s", (profile_id,))
    after_reset = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == after_reset


def test_another_users_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 5)
    arguments = {"artist_profile_id": profile_id, "new_name": "Dara Quinn"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, user="UOPS2", confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == before


def test_a_name_changed_since_the_preview_is_a_conflict(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 6)
    arguments = {"artist_profile_id": profile_id, "new_name": "Eli Brandt"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    write_stack.execute("UPDATE artist_profiles SET name = 'Elias B' WHERE id = %s", (profile_id,))
    changed = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert (body["error"]["code"], body["error"]["message"]) == ("conflict", CHANGED_SINCE)
    assert row(write_stack, profile_id) == changed


def test_the_current_name_answers_unchanged_without_a_confirmation(
    write_stack: WriteStack,
) -> None:
    profile_id, _, _ = profile(write_stack, 7)
    write_stack.execute("UPDATE artist_profiles SET name = 'Fay Ito' WHERE id = %s", (profile_id,))
    before = row(write_stack, profile_id)
    count_sql = "SELECT count(*) FROM esbmcp_confirmations WHERE tool_name = %s"
    [(pending_before,)] = write_stack.sql(count_sql, (TOOL,))

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_name": " Fay  Ito "})

    assert (body["ok"], body["data"]["changed"]) == (True, False)
    assert write_stack.sql(count_sql, (TOOL,)) == [(pending_before,)]
    assert row(write_stack, profile_id) == before


def test_an_unknown_profile_is_not_found(write_stack: WriteStack) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    body = write_stack.call(TOOL, {"artist_profile_id": missing, "new_name": "Gus Hale"})

    assert (body["error"]["code"], body["error"]["argument"]) == ("not_found", "artist_profile_id")


def test_a_superseded_profile_is_a_conflict_naming_the_active_profile(
    write_stack: WriteStack,
) -> None:
    fixture = write_stack.fixtures["resolved_duplicate"]
    before = row(write_stack, fixture["old_profile_id"])

    body = write_stack.call(
        TOOL, {"artist_profile_id": fixture["old_profile_id"], "new_name": "Hana Sato"}
    )

    assert body["error"]["code"] == "conflict"
    assert fixture["primary_profile_id"] in body["error"]["message"]
    assert row(write_stack, fixture["old_profile_id"]) == before


def test_a_name_other_active_profiles_use_is_previewed_with_a_warning(
    write_stack: WriteStack,
) -> None:
    profile_id, _, _ = profile(write_stack, 8)
    other_id, _, _ = profile(write_stack, 9)
    write_stack.execute(
        "UPDATE artist_profiles SET name = 'Ivo  Marek ' WHERE id = %s", (other_id,)
    )

    error = preview_of(write_stack, {"artist_profile_id": profile_id, "new_name": "Ivo Marek"})

    [warning] = error["preview"]["warnings"]
    assert "find_duplicate_profiles" in warning


def test_a_name_of_digits_and_punctuation_is_invalid(write_stack: WriteStack) -> None:
    profile_id, _, _ = profile(write_stack, 10)

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_name": "123-456."})

    assert (body["error"]["code"], body["error"]["argument"]) == ("invalid_arguments", "new_name")
