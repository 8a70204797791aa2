"""The guarantees of observability.md §8, kept by the one-statement SQL in
`artbattle_ops.db.state_sql`: confirmations consumed once, nonces and Slack events accepted once,
exact rate-limit counters, and a write ledger that never runs a known write twice."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import psycopg
import pytest
from psycopg.types.json import Jsonb

from artbattle_ops.db import state_sql

Connection = psycopg.Connection[tuple[Any, ...]]
T = TypeVar("T")

WAIT_SEC = 30
ARGUMENTS = {"artist_profile_id": "7f3c0000-0000-0000-0000-000000000001", "country": "CA"}
AT = datetime(2025, 3, 1, 12, 0, 59, tzinfo=UTC)


def run_concurrently(url: str, workers: int, work: Callable[[Connection], T]) -> list[T]:
    """Run `work` once per worker, each on its own connection, released together."""
    barrier = threading.Barrier(workers, timeout=WAIT_SEC)

    def worker() -> T:
        with psycopg.connect(url, autocommit=True) as conn:
            barrier.wait()
            return work(conn)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(worker) for _ in range(workers)]
        return [future.result(timeout=WAIT_SEC) for future in futures]


def first(conn: Connection, query: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    return conn.execute(query, params).fetchone()


# -- Confirmations --------------------------------------------------------------------------


def store_confirmation(conn: Connection, **overrides: Any) -> uuid.UUID:
    params = {
        "tool_name": "update_artist_country",
        "requested_by": "U1",
        "request_id": "a" * 32,
        "session_id": None,
        "arguments": Jsonb(ARGUMENTS),
        "arguments_hash": "k1:args",
        "state_hash": "k1:state",
        "idempotency_key": "idem-1",
        "preview": Jsonb({"summary": "Change country"}),
        "ttl_sec": state_sql.CONFIRMATION_TTL_SEC,
        **overrides,
    }
    row = first(conn, state_sql.INSERT_CONFIRMATION, params)
    assert row is not None
    return uuid.UUID(str(row[0]))


def consume(conn: Connection, confirmation_id: uuid.UUID, **overrides: Any) -> Any:
    params = {
        "confirmation_id": confirmation_id,
        "requested_by": "U1",
        "tool_name": "update_artist_country",
        "arguments_hash": "k1:args",
        **overrides,
    }
    return first(conn, state_sql.CONSUME_CONFIRMATION, params)


def read_confirmation(conn: Connection, confirmation_id: uuid.UUID) -> dict[str, Any]:
    cursor = conn.execute(state_sql.READ_CONFIRMATION, {"confirmation_id": confirmation_id})
    row = cursor.fetchone()
    assert row is not None
    assert cursor.description is not None
    return dict(zip([c.name for c in cursor.description], row, strict=True))


def test_a_confirmation_expires_five_minutes_after_it_is_stored(db: Connection) -> None:
    confirmation_id = store_confirmation(db)

    row = db.execute(
        "SELECT expires_at - created_at FROM public.esbmcp_confirmations WHERE id = %s",
        (confirmation_id,),
    ).fetchone()

    assert row == (timedelta(minutes=5),)


def test_a_confirmation_is_consumed_once_and_hands_back_its_arguments(db: Connection) -> None:
    confirmation_id = store_confirmation(db)

    first_use = consume(db, confirmation_id)
    second_use = consume(db, confirmation_id)

    assert first_use is not None
    assert first_use[1] == ARGUMENTS
    assert second_use is None


def test_consuming_a_confirmation_erases_its_arguments(db: Connection) -> None:
    confirmation_id = store_confirmation(db)

    consume(db, confirmation_id)

    row = db.execute(
        "SELECT status, arguments, used_at IS NOT NULL FROM public.esbmcp_confirmations"
    ).fetchone()
    assert row == ("used", None, True)


@pytest.mark.parametrize(
    "mismatch",
    [{"requested_by": "U2"}, {"tool_name": "update_artist_name"}, {"arguments_hash": "k1:other"}],
    ids=["another-user", "another-tool", "other-arguments"],
)
def test_a_confirmation_is_refused_to_another_user_tool_or_arguments(
    mismatch: dict[str, str], db: Connection
) -> None:
    confirmation_id = store_confirmation(db)

    used = consume(db, confirmation_id, **mismatch)

    assert used is None
    assert read_confirmation(db, confirmation_id)["status"] == "pending"


def test_an_expired_confirmation_cannot_be_consumed(db: Connection) -> None:
    confirmation_id = store_confirmation(db)
    db.execute(
        """
        UPDATE public.esbmcp_confirmations
        SET created_at = now() - interval '6 minutes', expires_at = now() - interval '1 minute'
        """
    )

    used = consume(db, confirmation_id)

    assert used is None
    assert read_confirmation(db, confirmation_id)["is_expired"] is True


def test_concurrent_confirmed_calls_consume_the_confirmation_exactly_once(
    migrated_url: str, db: Connection
) -> None:
    confirmation_id = store_confirmation(db)

    results = run_concurrently(migrated_url, 10, lambda conn: consume(conn, confirmation_id))

    assert sum(result is not None for result in results) == 1


def test_expiring_confirmations_erases_the_arguments_of_lapsed_ones_only(db: Connection) -> None:
    lapsed = store_confirmation(db)
    live = store_confirmation(db)
    db.execute(
        """
        UPDATE public.esbmcp_confirmations
        SET created_at = now() - interval '6 minutes', expires_at = now() - interval '1 minute'
        WHERE id = %s
        """,
        (lapsed,),
    )

    db.execute(state_sql.EXPIRE_CONFIRMATIONS)

    rows = db.execute(
        "SELECT id, status, arguments IS NULL FROM public.esbmcp_confirmations"
    ).fetchall()
    assert sorted(rows, key=lambda r: r[0] != lapsed) == [
        (lapsed, "expired", True),
        (live, "pending", False),
    ]


# -- Replay cache and Slack event claims ---------------------------------------------------------


def accept_nonce(conn: Connection, nonce: str) -> Any:
    params = {"nonce": nonce, "signed_at": AT, "max_age_sec": 300}
    return first(conn, state_sql.ACCEPT_REQUEST_NONCE, params)


def test_a_request_nonce_is_accepted_once(db: Connection) -> None:
    accepted = accept_nonce(db, "9f" * 16)
    replayed = accept_nonce(db, "9f" * 16)

    assert (accepted, replayed) == (("9f" * 16,), None)


def test_a_nonce_is_kept_until_its_timestamp_leaves_the_signature_window(db: Connection) -> None:
    accept_nonce(db, "ab" * 16)

    row = db.execute("SELECT expires_at FROM public.esbmcp_request_nonces").fetchone()

    assert row == (AT + timedelta(seconds=300),)


def test_concurrent_replicas_accept_a_nonce_once(migrated_url: str) -> None:
    results = run_concurrently(migrated_url, 10, lambda conn: accept_nonce(conn, "cd" * 16))

    assert sum(result is not None for result in results) == 1


def claim_event(conn: Connection, event_id: str) -> Any:
    params = {"slack_event_id": event_id, "ttl_sec": state_sql.SLACK_EVENT_CLAIM_TTL_SEC}
    return first(conn, state_sql.CLAIM_SLACK_EVENT, params)


def test_a_slack_event_is_claimed_once(db: Connection) -> None:
    claimed = claim_event(db, "Ev0123")
    redelivered = claim_event(db, "Ev0123")

    assert (claimed, redelivered) == (("Ev0123",), None)


def test_concurrent_replicas_claim_a_slack_event_once(migrated_url: str) -> None:
    results = run_concurrently(migrated_url, 10, lambda conn: claim_event(conn, "Ev0456"))

    assert sum(result is not None for result in results) == 1


def test_a_slack_event_claim_lasts_a_day(db: Connection) -> None:
    claim_event(db, "Ev0789")

    row = db.execute(
        "SELECT expires_at - claimed_at FROM public.esbmcp_slack_event_claims"
    ).fetchone()

    assert row == (timedelta(days=1),)


# -- Rate limits and call caps ----------------------------------------------------------------


def hit(conn: Connection, at: datetime = AT, scope: str = "user", subject: str = "U1") -> int:
    params = {"scope": scope, "subject": subject, "at": at, "window_sec": 60}
    row = first(conn, state_sql.INCREMENT_RATE_LIMIT, params)
    assert row is not None
    return int(row[0])


def test_rate_limit_counting_is_exact_under_concurrency(migrated_url: str, db: Connection) -> None:
    limit = 5

    counts = run_concurrently(migrated_url, 20, hit)

    final = db.execute("SELECT hits FROM public.esbmcp_rate_limits").fetchone()
    assert final == (20,)
    assert sorted(counts) == list(range(1, 21))
    assert sum(count <= limit for count in counts) == limit


def test_rate_limit_windows_are_aligned_on_the_epoch(db: Connection) -> None:
    hit(db)

    row = db.execute("SELECT window_start, expires_at FROM public.esbmcp_rate_limits").fetchone()

    window_start = AT.replace(second=0)
    assert row == (window_start, window_start + timedelta(seconds=60))


def test_a_new_window_starts_a_new_count(db: Connection) -> None:
    hit(db)
    hit(db)

    count = hit(db, at=AT + timedelta(seconds=1))

    assert count == 1


def test_scopes_and_subjects_are_counted_apart(db: Connection) -> None:
    hit(db)

    counts = [hit(db, subject="U2"), hit(db, scope="channel", subject="U1")]

    assert counts == [1, 1]


def call(conn: Connection, request_id: str, tool_name: str) -> int:
    params = {"request_id": request_id, "tool_name": tool_name, "at": AT, "ttl_sec": 3600}
    row = first(conn, state_sql.INCREMENT_CALL_COUNT, params)
    assert row is not None
    return int(row[0])


def test_call_caps_count_per_request_and_tool(db: Connection) -> None:
    counts = [
        call(db, "r1", "lookup_event"),
        call(db, "r1", "lookup_event"),
        call(db, "r1", "get_vote_data"),
        call(db, "r2", "lookup_event"),
    ]

    assert counts == [1, 2, 1, 1]


# -- Write ledger ---------------------------------------------------------------------------


def attempt(execution_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "idempotency_key": "idem-1",
        "tool_name": "update_artist_country",
        "requested_by": "U1",
        "role": "ops",
        "confirmation_id": uuid.uuid4(),
        "request_id": "b" * 32,
        "session_id": None,
        "execution_id": execution_id,
        "arguments_hash": "k1:args",
        "arguments_preview": Jsonb({}),
        "before_state": Jsonb({"country": "Canada"}),
        "after_reconciliation": False,
        **overrides,
    }


def complete(
    conn: Connection, execution_id: uuid.UUID, status: str, error_code: str | None = None
) -> Any:
    params = {
        "idempotency_key": "idem-1",
        "execution_id": execution_id,
        "status": status,
        "after_state": Jsonb({"country": "CA"}) if status == "succeeded" else None,
        "result": Jsonb({"changed": True}) if status == "succeeded" else None,
        "error_code": error_code,
    }
    return first(conn, state_sql.COMPLETE_WRITE_OPERATION, params)


def take_over(conn: Connection, **overrides: Any) -> Any:
    return first(conn, state_sql.TAKE_OVER_WRITE_OPERATION, attempt(uuid.uuid4(), **overrides))


def test_a_write_is_recorded_once_per_idempotency_key(db: Connection) -> None:
    created = first(db, state_sql.INSERT_WRITE_OPERATION, attempt(uuid.uuid4()))
    duplicate = first(db, state_sql.INSERT_WRITE_OPERATION, attempt(uuid.uuid4()))

    assert (created, duplicate) == (("idem-1", 1), None)


def test_a_succeeded_write_is_never_taken_over(db: Connection) -> None:
    execution_id = uuid.uuid4()
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(execution_id))
    complete(db, execution_id, "succeeded")

    assert take_over(db, after_reconciliation=True) is None


def test_a_failed_write_is_taken_over_by_one_retry(db: Connection) -> None:
    execution_id = uuid.uuid4()
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(execution_id))
    complete(db, execution_id, "failed", "upstream_error")

    retries = [take_over(db), take_over(db)]

    assert retries == [(2,), None]


def test_a_started_write_is_taken_over_only_after_five_minutes(db: Connection) -> None:
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(uuid.uuid4()))
    fresh = take_over(db)
    db.execute(
        "UPDATE public.esbmcp_write_operations SET started_at = now() - interval '6 minutes'"
    )

    stale = take_over(db)

    assert (fresh, stale) == (None, (2,))


def test_an_unknown_write_is_retried_only_after_reconciliation(db: Connection) -> None:
    execution_id = uuid.uuid4()
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(execution_id))
    complete(db, execution_id, "unknown", "timeout")

    before = take_over(db, after_reconciliation=False)
    after = take_over(db, after_reconciliation=True)

    assert (before, after) == (None, (2,))


def test_only_the_attempt_that_owns_a_write_records_its_outcome(db: Connection) -> None:
    stale_execution, retry_execution = uuid.uuid4(), uuid.uuid4()
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(stale_execution))
    complete(db, stale_execution, "failed", "upstream_error")
    first(db, state_sql.TAKE_OVER_WRITE_OPERATION, attempt(retry_execution))

    outcomes = [
        complete(db, stale_execution, "succeeded"),
        complete(db, retry_execution, "succeeded"),
    ]

    assert outcomes == [None, ("succeeded",)]


def test_reconciliation_settles_an_unknown_write_that_took_effect(db: Connection) -> None:
    execution_id = uuid.uuid4()
    first(db, state_sql.INSERT_WRITE_OPERATION, attempt(execution_id))
    complete(db, execution_id, "unknown", "timeout")
    params = {
        "idempotency_key": "idem-1",
        "after_state": Jsonb({"country": "CA"}),
        "result": Jsonb({"changed": True}),
    }

    settled = first(db, state_sql.SETTLE_UNKNOWN_WRITE_OPERATION, params)

    row = first(db, state_sql.READ_WRITE_OPERATION, {"idempotency_key": "idem-1"})
    assert settled == ("succeeded",)
    assert row is not None
    assert (row[2], row[7], row[8]) == ("succeeded", {"changed": True}, None)
