"""Run a read handler on demo data changed inside a transaction that is always rolled back.

For the rules no fixture covers (schema.md §8.16): the test changes the rows it needs, calls the
handler on the same connection, and nothing it changed is ever seen by another test.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, LiteralString

import psycopg

from artbattle_ops.gateway.transaction import ConnectionTransaction
from artbattle_ops.tools.arguments import validate_arguments
from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.registry import READ_HANDLERS, Caller, ToolCall, load_handlers


@dataclass(frozen=True)
class HandlerResult:
    """What a handler returned, and the warnings it added."""

    data: dict[str, Any]
    warnings: list[dict[str, str]] = field(default_factory=list)


def call_rolled_back(
    url: str,
    tool: str,
    arguments: dict[str, Any],
    changes: list[tuple[LiteralString, dict[str, Any]]],
    now: datetime | None = None,
) -> HandlerResult:
    """Apply `changes` (SQL with named parameters), call `tool` and roll everything back."""
    return asyncio.run(_call(url, tool, arguments, changes, now or datetime.now(UTC)))


async def _call(
    url: str,
    tool: str,
    arguments: dict[str, Any],
    changes: list[tuple[LiteralString, dict[str, Any]]],
    now: datetime,
) -> HandlerResult:
    load_handlers()
    spec = load_manifest()[tool]
    clean = validate_arguments(tool, spec.parameters, arguments)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        try:
            for statement, params in changes:
                await conn.execute(statement, params)
            call = ToolCall(
                spec=spec,
                arguments=clean,
                caller=Caller(slack_user_id="UOPS", role="ops", request_id="rolled-back"),
                db=ConnectionTransaction(conn),
                now=now,
                settings=SimpleNamespace(display_timezone="America/Toronto"),
            )
            data = await READ_HANDLERS[tool](call)
            return HandlerResult(data, list(call.warnings))
        finally:
            await conn.rollback()
