"""update_artist_country (tools.md §4.4) end to end: assigned codes only, hints, never converted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.integration.writes.conftest import WriteStack, profile_edit_key, updated_at_of

TOOL = "update_artist_country"
CHANGED_SINCE = "The record changed since you confirmed; ask again to see the new preview."
# Active profiles by artist number; each test takes its own so none sees another's edit.
PROFILE_SQL = """
SELECT id::text FROM artist_profiles WHERE superseded_by IS NULL
ORDER BY entry_id OFFSET %s LIMIT 1
"""
ROW_SQL = "SELECT name, abhq_bio, country, updated_at FROM artist_profiles WHERE id = %s"


def profile(stack: WriteStack, index: int, country: str | None = "US") -> str:
    """The index-th active profile, with its country set to `country` first."""
    [(profile_id,)] = stack.sql(PROFILE_SQL, (index,))
    stack.execute("UPDATE artist_profiles SET country = %s WHERE id = %s", (country, profile_id))
    return str(profile_id)


def row(stack: WriteStack, profile_id: str) -> tuple[Any, ...]:
    return stack.sql(ROW_SQL, (profile_id,))[0]


def stored_country(stack: WriteStack, profile_id: str) -> str | None:
    [(country,)] = stack.sql("SELECT country FROM artist_profiles WHERE id = %s", (profile_id,))
    return None if country is None else str(country)


def key(profile_id: str, code: str, updated_at: datetime) -> str:
    return profile_edit_key(TOOL, profile_id, code, updated_at)


def preview_of(stack: WriteStack, arguments: dict[str, Any]) -> dict[str, Any]:
    body = stack.call(TOOL, arguments)
    assert body["error"]["code"] == "confirmation_required", body
    error: dict[str, Any] = body["error"]
    return error


def test_the_closed_gate_refuses_with_the_exact_message(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 0)
    before = row(write_stack, profile_id)

    body = write_stack.call(
        TOOL, {"artist_profile_id": profile_id, "new_country": "CA"}, gated=True
    )

    assert (body["error"]["code"], body["error"]["message"]) == (
        "mutating_disabled",
        "Mutating tools are disabled by policy",
    )
    assert row(write_stack, profile_id) == before


def test_marketing_may_not_set_a_country(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 0)

    body = write_stack.call(
        TOOL, {"artist_profile_id": profile_id, "new_country": "CA"}, user="UMKT"
    )

    assert body["error"]["code"] == "role_denied"


def test_the_preview_shows_the_stored_text_and_the_code_with_its_name(
    write_stack: WriteStack,
) -> None:
    profile_id = profile(write_stack, 1, "Canada")
    before = row(write_stack, profile_id)

    preview = preview_of(write_stack, {"artist_profile_id": profile_id, "new_country": " ca "})[
        "preview"
    ]

    assert (preview["before"], preview["after"], preview["warnings"]) == (
        {"country": "Canada"},
        {"country": "CA", "country_name": "Canada"},
        [],
    )
    assert preview["idempotency_key"] == key(profile_id, "CA", before[3])
    assert row(write_stack, profile_id) == before


def test_a_confirmed_code_is_stored_and_returned(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 2, "United States")
    version = updated_at_of(write_stack, profile_id)

    body = write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_country": "GB"})

    assert stored_country(write_stack, profile_id) == "GB"
    data = body["data"]
    assert (data["changed"], data["before"], data["after"]) == (
        True,
        {"country": "United States"},
        {"country": "GB", "country_name": "United Kingdom"},
    )
    assert data["idempotency_key"] == key(profile_id, "GB", version)


def test_a_confirmed_code_is_recorded_as_succeeded_in_the_ledger(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 3)
    version = updated_at_of(write_stack, profile_id)

    write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_country": "NZ"})

    rows = write_stack.sql(
        "SELECT tool_name, status FROM esbmcp_write_operations WHERE idempotency_key = %s",
        (key(profile_id, "NZ", version),),
    )
    assert rows == [(TOOL, "succeeded")]


def test_a_country_set_back_after_another_change_is_set_not_replayed(
    write_stack: WriteStack,
) -> None:
    profile_id = profile(write_stack, 20)
    for code in ("NZ", "CA"):
        write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_country": code})

    body = write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_country": "NZ"})

    assert (body["data"]["replayed"], stored_country(write_stack, profile_id)) == (False, "NZ")


@pytest.mark.parametrize(
    ("sent", "hint"),
    [
        ("UK", "Did you mean GB (United Kingdom)? Call again with that code."),
        ("CAN", "Did you mean CA (Canada)? Call again with that code."),
        ("Canada", "Did you mean CA (Canada)? Call again with that code."),
        ("XK", None),
    ],
    ids=["reserved-uk", "alpha-3", "english-name", "not-assigned"],
)
def test_a_value_that_is_not_an_assigned_code_is_refused_with_a_hint(
    write_stack: WriteStack, sent: str, hint: str | None
) -> None:
    profile_id = profile(write_stack, 4)
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_country": sent})

    error = body["error"]
    assert (error["code"], error["argument"], error["hint"]) == (
        "invalid_arguments",
        "new_country",
        hint,
    )
    assert row(write_stack, profile_id) == before


def test_a_code_without_events_is_previewed_with_a_warning(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 5)
    [(listed,)] = write_stack.sql("SELECT count(*) FROM countries WHERE code = 'GL'")
    assert listed == 0

    preview = preview_of(write_stack, {"artist_profile_id": profile_id, "new_country": "GL"})[
        "preview"
    ]

    [warning] = preview["warnings"]
    assert "countries table" in warning


def test_the_stored_code_answers_unchanged_without_a_confirmation(
    write_stack: WriteStack,
) -> None:
    profile_id = profile(write_stack, 6, "CA")
    before = row(write_stack, profile_id)
    count_sql = "SELECT count(*) FROM esbmcp_confirmations WHERE tool_name = %s"
    [(pending_before,)] = write_stack.sql(count_sql, (TOOL,))

    body = write_stack.call(TOOL, {"artist_profile_id": profile_id, "new_country": "ca"})

    assert (body["ok"], body["data"]["changed"]) == (True, False)
    assert write_stack.sql(count_sql, (TOOL,)) == [(pending_before,)]
    assert row(write_stack, profile_id) == before


def test_a_lower_case_stored_code_is_corrected(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 7, "ca")

    write_stack.confirm(TOOL, {"artist_profile_id": profile_id, "new_country": "CA"})

    assert stored_country(write_stack, profile_id) == "CA"


def test_a_used_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 8)
    arguments = {"artist_profile_id": profile_id, "new_country": "AU"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    write_stack.call(TOOL, arguments, confirmation_id=confirmation)
    write_stack.execute("UPDATE artist_profiles SET country = 'US' WHERE id = %s", (profile_id,))
    after_reset = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == after_reset


def test_another_users_confirmation_is_refused(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 9)
    arguments = {"artist_profile_id": profile_id, "new_country": "AU"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    before = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, user="UOPS2", confirmation_id=confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert row(write_stack, profile_id) == before


def test_a_country_changed_since_the_preview_is_a_conflict(write_stack: WriteStack) -> None:
    profile_id = profile(write_stack, 10)
    arguments = {"artist_profile_id": profile_id, "new_country": "TH"}
    confirmation = preview_of(write_stack, arguments)["confirmation_id"]
    write_stack.execute("UPDATE artist_profiles SET country = 'NL' WHERE id = %s", (profile_id,))
    changed = row(write_stack, profile_id)

    body = write_stack.call(TOOL, arguments, confirmation_id=confirmation)

    assert (body["error"]["code"], body["error"]["message"]) == ("conflict", CHANGED_SINCE)
    assert row(write_stack, profile_id) == changed


def test_an_unknown_profile_is_not_found(write_stack: WriteStack) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    body = write_stack.call(TOOL, {"artist_profile_id": missing, "new_country": "CA"})

    assert (body["error"]["code"], body["error"]["argument"]) == ("not_found", "artist_profile_id")


def test_a_superseded_profile_is_a_conflict_naming_the_active_profile(
    write_stack: WriteStack,
) -> None:
    fixture = write_stack.fixtures["resolved_duplicate"]
    before = row(write_stack, fixture["old_profile_id"])

    body = write_stack.call(
        TOOL, {"artist_profile_id": fixture["old_profile_id"], "new_country": "CA"}
    )

    assert body["error"]["code"] == "conflict"
    assert fixture["primary_profile_id"] in body["error"]["message"]
    assert row(write_stack, fixture["old_profile_id"]) == before
