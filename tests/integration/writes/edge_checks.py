"""What the Edge-backed write tests share: snapshots of the rows a function writes, bounded polls
for telemetry rows, the spec's key derivations written out independently, and the one way to
make the emulator refuse a call for real (an inactive admin account)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from tests.integration.writes.conftest import WriteStack

DISABLED = "Mutating tools are disabled by policy"
CREDENTIALS_REFUSED = "The Edge Function rejected the gateway's credentials."
NOT_YOURS = (
    "This confirmation is unknown, already used or not yours; ask again to get a new preview."
)
ASSISTANT_ADMIN = "ops-assistant@artbattle.example"


def sha256(text: str) -> str:
    """The plain SHA-256 hex digest of the spec's key text."""
    return hashlib.sha256(text.encode()).hexdigest()


def utc_today() -> str:
    """Today's UTC date, as the keys of §5.2 and §5.9 write it."""
    return datetime.now(UTC).date().isoformat()


def snapshot(stack: WriteStack, *tables: str) -> dict[str, set[Any]]:
    """The ids of every row of each table: equal snapshots mean nothing was inserted."""
    return {table: {row[0] for row in stack.sql(f"SELECT id FROM {table}")} for table in tables}


def wait_rows(
    stack: WriteStack, query: str, params: tuple[Any, ...] = (), seconds: float = 5.0
) -> list[tuple[Any, ...]]:
    """Rows of `query` once there are some (telemetry is written after the reply), or [] after
    `seconds`."""
    deadline = time.monotonic() + seconds
    rows = stack.sql(query, params)
    while not rows and time.monotonic() < deadline:
        time.sleep(0.05)
        rows = stack.sql(query, params)
    return rows


def ledger(stack: WriteStack, key: str) -> list[tuple[Any, ...]]:
    """(tool_name, status, error_code) of the write-ledger row with this key."""
    return stack.sql(
        "SELECT tool_name, status, error_code FROM esbmcp_write_operations "
        "WHERE idempotency_key = %s",
        (key,),
    )


def edge_failure_rows(stack: WriteStack, execution_id: str) -> dict[str, Any]:
    """What the execution, error and audit rows of a failed call recorded about the function."""
    execution = wait_rows(
        stack,
        "SELECT edge_function, error_type, error_code, result_code, ok "
        "FROM esbmcp_tool_executions WHERE id = %s",
        (execution_id,),
    )
    error = wait_rows(
        stack,
        "SELECT error_type, error_code FROM esbmcp_tool_errors WHERE execution_id = %s",
        (execution_id,),
    )
    audit = wait_rows(
        stack,
        "SELECT detail->>'error_type', detail->>'error_code', detail->>'idempotency_key' "
        "FROM esbmcp_audit_log WHERE event_type = 'tool_failed' "
        "AND detail->>'execution_id' = %s",
        (execution_id,),
    )
    return {"execution": execution, "error": error, "audit": audit}


@contextmanager
def assistant_admin_inactive(stack: WriteStack) -> Iterator[None]:
    """Deactivate the assistant's admin account, so the emulator answers 403, then restore it."""
    update = "UPDATE abhq_admin_users SET active = %s WHERE lower(email) = %s"
    stack.execute(update, (False, ASSISTANT_ADMIN))
    try:
        yield
    finally:
        stack.execute(update, (True, ASSISTANT_ADMIN))


def ledger_unknown(stack: WriteStack, key: str, tool: str) -> None:
    """A ledger row left `unknown` by an earlier attempt that timed out after sending."""
    stack.execute(
        "INSERT INTO esbmcp_write_operations (idempotency_key, tool_name, requested_by, role, "
        "confirmation_id, request_id, execution_id, arguments_hash, status, error_code, "
        "started_at, completed_at) "
        "VALUES (%s, %s, 'UOPS', 'ops', gen_random_uuid(), 'earlier-request', "
        "gen_random_uuid(), 'k1:earlier', 'unknown', 'timeout', "
        "now() - interval '1 minute', now() - interval '30 seconds')",
        (key, tool),
    )
