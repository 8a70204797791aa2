"""Turning an exception a handler raised into the caller's error and the `esbmcp_tool_errors` row.

The classification is observability.md §2.3: the first matching row wins. The caller only ever
sees a stable code and a safe message; SQL text, values and stack traces stay in the error row,
scrubbed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg
import psycopg_pool

from artbattle_ops.errors import DatabaseError
from artbattle_ops.tools.errors import ToolError

TIMEOUT_MESSAGE = (
    "The query took longer than {seconds} s and was cancelled. Narrow the request "
    "(for example pass eid or a smaller hours_back)."
)
# A lock wait that ran out (lock_timeout): the statement was not slow, the row was busy.
LOCKED_MESSAGE = (
    "The record is locked by another change in progress, so this was not done; "
    "try again in a moment."
)
UNAVAILABLE_MESSAGE = "The database is unreachable right now; try again in a minute."
INTERNAL_MESSAGE = "Internal error"

_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03", "53300")
_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_ART_CODE = re.compile(r"\bAB\d{3,}-\d+-\d+\b", re.IGNORECASE)
_EID = re.compile(r"\bAB\d{3,}\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Failure:
    """A raised failure, classified: what the caller gets and what the error row keeps."""

    result_code: str  # the envelope's error.code
    caller_message: str
    error_type: str
    error_code: str | None
    message: str  # internal, scrubbed later
    detail: str | None = None
    hint: str | None = None
    position: str | None = None
    sql_query_preview: str | None = None
    edge_function: str | None = None


def classify_failure(exc: BaseException, *, timeout_ms: int) -> Failure:
    """Classify an exception raised while a handler ran."""
    cause = _driver_error(exc)
    if isinstance(cause, psycopg_pool.PoolTimeout):
        return Failure("timeout", _timeout(timeout_ms), "timeout", "pool_timeout", str(cause))
    if isinstance(cause, psycopg.Error):
        return _classify_sql(cause, timeout_ms)
    if isinstance(exc, ToolError):
        return _classify_raised_tool_error(exc)
    message = f"{type(exc).__name__}: {exc}"
    return Failure("internal_error", INTERNAL_MESSAGE, "unknown", None, message)


def _driver_error(exc: BaseException) -> BaseException:
    """The psycopg error behind a project `DatabaseError`, or the exception itself."""
    if isinstance(exc, DatabaseError) and exc.__cause__ is not None:
        return exc.__cause__
    return exc


def _classify_sql(exc: psycopg.Error, timeout_ms: int) -> Failure:
    sqlstate = exc.sqlstate or ""
    diag = exc.diag
    message = f"{type(exc).__name__}: {diag.message_primary or exc}"
    kind: tuple[str, str, str, str | None]
    if sqlstate == "55P03":
        kind = ("timeout", LOCKED_MESSAGE, "timeout", sqlstate)
    elif sqlstate == "57014":
        kind = ("timeout", _timeout(timeout_ms), "timeout", sqlstate)
    elif not sqlstate or sqlstate.startswith(_CONNECTION_STATES):
        kind = ("upstream_error", UNAVAILABLE_MESSAGE, "connection_error", sqlstate or None)
    else:
        kind = ("internal_error", INTERNAL_MESSAGE, "sql_error", sqlstate)
    result_code, caller_message, error_type, error_code = kind
    return Failure(
        result_code,
        caller_message,
        error_type,
        error_code,
        message,
        detail=diag.message_detail,
        hint=diag.message_hint,
        position=diag.statement_position,
    )


def _classify_raised_tool_error(exc: ToolError) -> Failure:
    status = getattr(exc, "http_status", None)
    function = getattr(exc, "edge_function", None)
    if exc.code == "timeout":
        code = "edge_timeout" if function else "upstream_timeout"
        return Failure(exc.code, exc.message, "timeout", code, exc.message, edge_function=function)
    if function is not None and status is not None:
        return Failure(
            exc.code,
            exc.message,
            "edge_function_error",
            str(status),
            exc.message,
            edge_function=function,
        )
    if exc.code == "upstream_error":
        code = str(status) if status is not None else "network"
        return Failure(exc.code, exc.message, "upstream_error", code, exc.message)
    return Failure(exc.code, exc.message, "validation_error", exc.code, exc.message)


# Tool errors that mean the handler failed (ok = false, an error row), rather than a business
# answer it returned (has_error_field): tools.md §1.9, "failed ... or tool_failed".
RAISED_CODES = frozenset({"timeout", "upstream_error", "internal_error"})


def is_raised(exc: BaseException) -> bool:
    """Whether the exception is a failure of the handler rather than a business answer."""
    return not isinstance(exc, ToolError) or exc.code in RAISED_CODES


def _timeout(timeout_ms: int) -> str:
    seconds = timeout_ms / 1000
    return TIMEOUT_MESSAGE.format(seconds=f"{seconds:g}")


def query_preview(statement: str | None) -> str | None:
    """The failing statement with placeholders only, whitespace collapsed, at most 500 chars."""
    if not statement:
        return None
    return _SPACE.sub(" ", statement).strip()[:500]


def error_pattern(scrubbed_message: str) -> str:
    """The grouping key: ids, codes, literals and numbers replaced; at most 200 chars."""
    text = _UUID.sub("<uuid>", scrubbed_message)
    text = _ART_CODE.sub("<art_code>", text)
    text = _EID.sub("<eid>", text)
    text = _QUOTED.sub("<value>", text)
    text = _DIGITS.sub("<n>", text)
    return _SPACE.sub(" ", text).strip()[:200]
