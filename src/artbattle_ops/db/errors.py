"""Postgres failures classified by SQLSTATE, never by message text."""

from __future__ import annotations

import psycopg
import psycopg_pool

from artbattle_ops.errors import DatabaseError

# Class prefixes and exact codes, most specific first. See the PostgreSQL manual, appendix A.
_KINDS: tuple[tuple[str, str], ...] = (
    ("57014", "timeout"),  # query_canceled: statement_timeout
    ("55P03", "lock_timeout"),
    ("25P03", "timeout"),  # idle_in_transaction_session_timeout
    ("40001", "serialization"),
    ("40P01", "deadlock"),
    ("42501", "permission"),
    ("28", "authentication"),
    ("08", "connection"),
    ("57P", "connection"),  # admin shutdown, crash shutdown, cannot connect now
    ("53300", "too_many_connections"),
    ("53", "resources"),
    ("3D000", "undefined_database"),
    ("42P01", "undefined_object"),  # undefined table
    ("42703", "undefined_object"),  # undefined column
    ("42883", "undefined_object"),  # undefined function
    ("42704", "undefined_object"),  # undefined object (type, role, ...)
    ("3F000", "undefined_object"),  # invalid schema name
    ("42", "syntax_or_access"),
    ("23", "integrity"),
    ("22", "invalid_data"),
    ("25006", "read_only"),
)

# Failures worth a retry by a writer that can wait (observability.md §2.7).
TRANSIENT_KINDS = frozenset(
    {"connection", "serialization", "deadlock", "too_many_connections", "pool_timeout"}
)

_MESSAGES = {
    "timeout": "the database query took too long and was cancelled",
    "lock_timeout": "the database was busy (lock wait timed out)",
    "serialization": "the database transaction conflicted with another; retry",
    "deadlock": "the database transaction conflicted with another; retry",
    "permission": "the database role lacks permission for this query",
    "authentication": "the database refused the credentials",
    "connection": "the database connection failed",
    "too_many_connections": "the database has too many connections",
    "resources": "the database ran out of resources",
    "undefined_database": "the database does not exist",
    "undefined_object": "a table, column or function the query needs does not exist",
    "syntax_or_access": "the database rejected the query",
    "integrity": "the change would break a database constraint",
    "invalid_data": "the database rejected a value",
    "read_only": "the database is read-only",
    "pool_timeout": "no database connection became free in time",
    "unknown": "the database operation failed",
}


def kind_of(sqlstate: str | None) -> str:
    """The failure kind for a SQLSTATE, `unknown` when none matches."""
    if not sqlstate:
        return "unknown"
    for prefix, kind in _KINDS:
        if sqlstate.startswith(prefix):
            return kind
    return "unknown"


def classify(exc: BaseException) -> DatabaseError:
    """Map a driver exception to a `DatabaseError` whose message is safe to show."""
    if isinstance(exc, psycopg_pool.PoolTimeout):
        return DatabaseError(_MESSAGES["pool_timeout"], kind="pool_timeout")
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate is None and isinstance(exc, psycopg.OperationalError):
        kind = "connection"
    else:
        kind = kind_of(sqlstate)
    return DatabaseError(_MESSAGES[kind], kind=kind, sqlstate=sqlstate)


def is_transient(error: DatabaseError) -> bool:
    """Whether waiting and retrying may succeed."""
    return error.kind in TRANSIENT_KINDS


def describe(exc: psycopg.Error) -> str:
    """A one-line operator-facing description: the server's primary message and SQLSTATE.

    For operator commands only (migrate, seed); never shown to Slack users.
    """
    lines = str(exc).strip().splitlines()
    text = exc.diag.message_primary or (lines[0] if lines else type(exc).__name__)
    sqlstate = getattr(exc, "sqlstate", None)
    return f"{text} (SQLSTATE {sqlstate})" if sqlstate else text
