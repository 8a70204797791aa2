"""Liveness and readiness of the gateway (DESIGN.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from artbattle_ops.db.pool import Database
from artbattle_ops.errors import OpsError

# Readiness checks that these exist, not that a ledger row does, so a database migrated by hand
# with psql is ready (observability.md §8).
REQUIRED_OBJECTS = (
    "public.esbmcp_chat_sessions",
    "public.esbmcp_tool_executions",
    "public.esbmcp_tool_errors",
    "public.esbmcp_audit_log",
    "public.esbmcp_feedback",
    "public.esbmcp_confirmations",
    "public.esbmcp_write_operations",
    "public.esbmcp_rate_limits",
    "public.esbmcp_request_nonces",
    "public.esbmcp_slack_event_claims",
    "public.esbmcp_v_tool_usage_30d",
    "public.esbmcp_v_unresolved_errors",
)

MISSING_OBJECTS = """
SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL
"""


@dataclass(frozen=True)
class Readiness:
    """Whether the gateway can serve, and if not, why."""

    ready: bool
    reason: str | None = None


async def check_readiness(
    database: Database | None, skipped_reason: str | None, tool_count: int
) -> Readiness:
    """The database answers, the manifest is loaded with handlers, the migrations are applied."""
    if database is None:
        return Readiness(False, f"database unavailable: {skipped_reason or 'not configured'}")
    if tool_count == 0:
        return Readiness(False, "no tools: the manifest is empty or no handler is registered")
    try:
        rows = await database.fetch_all(MISSING_OBJECTS, (list(REQUIRED_OBJECTS),), timeout_ms=2000)
    except OpsError as exc:
        return Readiness(False, f"database unavailable: {exc.message}")
    if rows:
        missing = ", ".join(str(r["name"]).removeprefix("public.") for r in rows)
        return Readiness(
            False, f"migrations not applied (missing {missing}); run artbattle-ops migrate"
        )
    return Readiness(True)
