"""Postgres failures are classified by SQLSTATE, not by message text."""

import psycopg
import psycopg_pool
import pytest

from artbattle_ops.db.errors import classify, is_transient, kind_of


@pytest.mark.parametrize(
    ("sqlstate", "kind"),
    [
        ("57014", "timeout"),
        ("55P03", "lock_timeout"),
        ("42501", "permission"),
        ("28P01", "authentication"),
        ("08006", "connection"),
        ("57P01", "connection"),
        ("53300", "too_many_connections"),
        ("3D000", "undefined_database"),
        ("42P01", "undefined_object"),
        ("42703", "undefined_object"),
        ("42883", "undefined_object"),
        ("42601", "syntax_or_access"),
        ("23505", "integrity"),
        ("22P02", "invalid_data"),
        ("40001", "serialization"),
        ("40P01", "deadlock"),
        ("25006", "read_only"),
        ("XX000", "unknown"),
        (None, "unknown"),
    ],
)
def test_sqlstate_maps_to_kind(sqlstate: str | None, kind: str) -> None:
    assert kind_of(sqlstate) == kind


def test_pool_timeout_is_transient() -> None:
    error = classify(psycopg_pool.PoolTimeout("no connection"))

    assert (error.kind, is_transient(error)) == ("pool_timeout", True)


def test_operational_error_without_sqlstate_is_a_connection_failure() -> None:
    error = classify(psycopg.OperationalError("connection refused"))

    assert error.kind == "connection"


def test_classified_message_never_carries_the_server_text() -> None:
    error = classify(psycopg.OperationalError('password for user "app" s3cret failed'))

    assert "s3cret" not in error.message
