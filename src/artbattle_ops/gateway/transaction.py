"""The transaction a tool call's statements share, handed to handlers as `Transaction`."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row


class ConnectionTransaction:
    """Runs a handler's statements on one connection inside the call's transaction.

    The last statement is kept (its text only, never the values) so a failure can be recorded
    with the query preview of observability.md §2.3.
    """

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._conn = conn
        self.last_statement: str | None = None

    async def fetch_all(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        """All rows, as dicts."""
        self.last_statement = query
        cursor = self._conn.cursor(row_factory=dict_row)
        await cursor.execute(query, params)
        return await cursor.fetchall()

    async def fetch_one(self, query: str, params: Any = None) -> dict[str, Any] | None:
        """The first row, or None."""
        rows = await self.fetch_all(query, params)
        return rows[0] if rows else None

    async def execute(self, query: str, params: Any = None) -> int:
        """Run a statement; returns the affected row count."""
        self.last_statement = query
        cursor = await self._conn.execute(query, params)
        return cursor.rowcount
