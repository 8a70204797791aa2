"""Classification of handler failures (observability.md §2.3): code, caller message, error row."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from artbattle_ops.gateway.failures import (
    INTERNAL_MESSAGE,
    LOCKED_MESSAGE,
    UNAVAILABLE_MESSAGE,
    classify_failure,
)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (errors.QueryCanceled(), ("timeout", "timeout", "57014")),
        (errors.LockNotAvailable(), ("timeout", "timeout", "55P03")),
        (errors.AdminShutdown(), ("upstream_error", "connection_error", "57P01")),
        (errors.UndefinedColumn(), ("internal_error", "sql_error", "42703")),
    ],
    ids=["statement-timeout", "lock-timeout", "server-shutdown", "sql-error"],
)
def test_sql_failures_are_classified_by_sqlstate(
    exc: psycopg.Error, expected: tuple[str, str, str]
) -> None:
    failure = classify_failure(exc, timeout_ms=8000)

    assert (failure.result_code, failure.error_type, failure.error_code) == expected


def test_a_statement_timeout_names_the_limit_in_seconds() -> None:
    failure = classify_failure(errors.QueryCanceled(), timeout_ms=8000)

    assert failure.caller_message.startswith("The query took longer than 8 s")


def test_a_lock_wait_says_the_record_is_busy_not_that_the_query_was_slow() -> None:
    failure = classify_failure(errors.LockNotAvailable(), timeout_ms=10_000)

    assert failure.caller_message == LOCKED_MESSAGE


@pytest.mark.parametrize(
    ("exc", "message"),
    [(errors.AdminShutdown(), UNAVAILABLE_MESSAGE), (errors.UndefinedColumn(), INTERNAL_MESSAGE)],
    ids=["unreachable", "internal"],
)
def test_other_sql_failures_show_only_a_safe_message(exc: psycopg.Error, message: str) -> None:
    assert classify_failure(exc, timeout_ms=8000).caller_message == message
