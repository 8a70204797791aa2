"""refresh_vote_weights (tools.md §4.9) end to end: one global refresh under an advisory lock."""

from __future__ import annotations

import hashlib
from typing import Any

import psycopg

from tests.integration.writes.conftest import WriteStack

TOOL = "refresh_vote_weights"
CHANGED_SINCE = "The record changed since you confirmed; ask again to see the new preview."
# The fixed advisory-lock key of the refresh (ASCII "esbmcpvw"), as operators would take it.
LOCK_KEY = 0x6573626D63707677
VIEW_SQL = "SELECT count(*), max(last_calculated) FROM person_vote_weights"
REFRESH_LOGS_SQL = (
    "SELECT count(*) FROM system_logs "
    "WHERE service = 'vote_weights' AND operation = 'refresh_materialized_view'"
)


def view(stack: WriteStack) -> tuple[Any, ...]:
    """The view's row count and latest last_calculated."""
    return stack.sql(VIEW_SQL)[0]


def preview_of(stack: WriteStack, user: str = "UOPS") -> dict[str, Any]:
    body = stack.call(TOOL, {"reason": "before tonight's event"}, user=user)
    assert body["error"]["code"] == "confirmation_required", body
    error: dict[str, Any] = body["error"]
    return error


def confirm(stack: WriteStack, confirmation: str, user: str = "UOPS") -> dict[str, Any]:
    arguments = {"reason": "before tonight's event"}
    return stack.call(TOOL, arguments, user=user, confirmation_id=confirmation)


def test_the_closed_gate_refuses_with_the_exact_message(write_stack: WriteStack) -> None:
    before = view(write_stack)

    body = write_stack.call(TOOL, {}, gated=True)

    assert (body["error"]["code"], body["error"]["message"]) == (
        "mutating_disabled",
        "Mutating tools are disabled by policy",
    )
    assert view(write_stack) == before


def test_an_event_producer_may_not_refresh(write_stack: WriteStack) -> None:
    body = write_stack.call(TOOL, {}, user="UPROD")

    assert body["error"]["code"] == "role_denied"


def test_an_eid_is_refused_because_the_refresh_is_global(write_stack: WriteStack) -> None:
    body = write_stack.call(TOOL, {"eid": "AB4001"})

    assert (body["error"]["code"], body["error"]["argument"]) == ("invalid_arguments", "eid")


def test_the_preview_shows_the_view_and_refreshes_nothing(write_stack: WriteStack) -> None:
    rows, last = view(write_stack)
    [(logs_before,)] = write_stack.sql(REFRESH_LOGS_SQL)

    preview = preview_of(write_stack)["preview"]

    assert (preview["before"]["rows"], preview["before"]["last_calculated"]["utc"]) == (
        rows,
        last.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    assert (preview["idempotency_key"], len(preview["effects"])) == (None, 3)
    assert view(write_stack) == (rows, last)
    assert write_stack.sql(REFRESH_LOGS_SQL) == [(logs_before,)]


def test_a_confirmed_refresh_recalculates_the_view_once(write_stack: WriteStack) -> None:
    rows, last = view(write_stack)
    [(logs_before,)] = write_stack.sql(REFRESH_LOGS_SQL)
    confirmation = preview_of(write_stack)["confirmation_id"]

    body = confirm(write_stack, confirmation)

    rows_after, last_after = view(write_stack)
    assert last_after > last
    assert write_stack.sql(REFRESH_LOGS_SQL) == [(logs_before + 1,)]
    data = body["data"]
    assert (data["refreshed"], data["scope"], data["rows_before"], data["rows_after"]) == (
        True,
        "global",
        rows,
        rows_after,
    )
    assert data["message"].startswith(f"Vote weights refreshed successfully: {rows_after} rows")
    assert data["last_calculated_after"]["utc"] == last_after.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_ledger_key_is_derived_from_the_confirmation(write_stack: WriteStack) -> None:
    confirmation = preview_of(write_stack)["confirmation_id"]

    body = confirm(write_stack, confirmation)

    expected = hashlib.sha256(f"{TOOL}|{confirmation}".encode()).hexdigest()
    assert body["data"]["idempotency_key"] == expected
    rows = write_stack.sql(
        "SELECT status FROM esbmcp_write_operations WHERE idempotency_key = %s", (expected,)
    )
    assert rows == [("succeeded",)]


def test_a_used_confirmation_is_refused(write_stack: WriteStack) -> None:
    confirmation = preview_of(write_stack)["confirmation_id"]
    confirm(write_stack, confirmation)
    before = view(write_stack)

    body = confirm(write_stack, confirmation)

    assert body["error"]["code"] == "confirmation_required"
    assert view(write_stack) == before


def test_another_users_confirmation_is_refused(write_stack: WriteStack) -> None:
    confirmation = preview_of(write_stack)["confirmation_id"]
    before = view(write_stack)

    body = confirm(write_stack, confirmation, user="UOPS2")

    assert body["error"]["code"] == "confirmation_required"
    assert view(write_stack) == before


def test_a_refresh_since_the_preview_is_a_conflict(write_stack: WriteStack) -> None:
    confirmation = preview_of(write_stack)["confirmation_id"]
    write_stack.execute("SELECT manual_refresh_vote_weights()")
    before = view(write_stack)

    body = confirm(write_stack, confirmation)

    assert (body["error"]["code"], body["error"]["message"]) == ("conflict", CHANGED_SINCE)
    assert view(write_stack) == before


def test_a_held_refresh_lock_is_a_conflict(write_stack: WriteStack) -> None:
    confirmation = preview_of(write_stack)["confirmation_id"]
    before = view(write_stack)

    with psycopg.connect(write_stack.db_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        body = confirm(write_stack, confirmation)
        holder.rollback()

    assert (body["error"]["code"], body["error"]["message"]) == (
        "conflict",
        "A vote-weight refresh is already running.",
    )
    assert view(write_stack) == before
