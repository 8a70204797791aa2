"""Async connection pools with a statement timeout on every query.

Compatible with Supabase's transaction-mode pooler: no server-side prepared statements unless
`DB_PREPARED_STATEMENTS` enables them, and the timeout is set per transaction (`SET LOCAL`),
never per session.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
import psycopg_pool
from psycopg.rows import dict_row

from artbattle_ops.config.settings import CommonSettings
from artbattle_ops.db.errors import classify

logger = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any] | None
SET_TIMEOUT = "SELECT set_config('statement_timeout', %s, true)"
# One round trip for both settings; a transaction may always become read-only.
SET_READ_ONLY_WITH_TIMEOUT = (
    "SELECT set_config('transaction_read_only', 'on', true), "
    "set_config('statement_timeout', %s, true)"
)


# Connections in use by the current request, when its server tracks them: a request whose caller
# went away has their statements cancelled on the server (see gateway.app).
ACTIVE_CONNECTIONS: ContextVar[set[psycopg.AsyncConnection[Any]] | None] = ContextVar(
    "active_connections", default=None
)


class Database:
    """A pool plus the project's query rules: timeouts, dict rows, classified errors."""

    def __init__(
        self, pool: psycopg_pool.AsyncConnectionPool[Any], statement_timeout_ms: int
    ) -> None:
        self.pool = pool
        self.statement_timeout_ms = statement_timeout_ms

    @asynccontextmanager
    async def transaction(
        self, *, timeout_ms: int | None = None, read_only: bool = False
    ) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A connection inside a transaction whose statements time out after `timeout_ms`.

        Raises:
            DatabaseError: any driver or server failure, classified by SQLSTATE.
        """
        active = ACTIVE_CONNECTIONS.get()
        try:
            async with self.pool.connection() as conn, conn.transaction():
                timeout = f"{timeout_ms or self.statement_timeout_ms}ms"
                await conn.execute(
                    SET_READ_ONLY_WITH_TIMEOUT if read_only else SET_TIMEOUT, (timeout,)
                )
                if active is not None:
                    active.add(conn)
                try:
                    yield conn
                finally:
                    if active is not None:
                        active.discard(conn)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise classify(exc) from exc

    async def fetch_all(
        self, query: str, params: Params = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        """All rows of a read-only query, as dicts."""
        rows, _ = await self._single(query, params, timeout_ms=timeout_ms, read_only=True)
        return rows

    async def fetch_one(
        self, query: str, params: Params = None, *, timeout_ms: int | None = None
    ) -> dict[str, Any] | None:
        """The first row of a read-only query, or None."""
        rows = await self.fetch_all(query, params, timeout_ms=timeout_ms)
        return rows[0] if rows else None

    async def execute(
        self, query: str, params: Params = None, *, timeout_ms: int | None = None
    ) -> int:
        """Run one writing statement in its own transaction; returns the affected row count."""
        _, rowcount = await self._single(query, params, timeout_ms=timeout_ms, read_only=False)
        return rowcount

    async def execute_returning(
        self, query: str, params: Params = None, *, timeout_ms: int | None = None
    ) -> dict[str, Any] | None:
        """Run one writing statement with RETURNING in its own transaction; its first row."""
        rows, _ = await self._single(query, params, timeout_ms=timeout_ms, read_only=False)
        return rows[0] if rows else None

    async def _single(
        self, query: str, params: Params, *, timeout_ms: int | None, read_only: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """One statement in its own transaction, sent in one round trip (pipeline mode):
        BEGIN, the timeout, the statement and COMMIT travel together."""
        timeout = f"{timeout_ms or self.statement_timeout_ms}ms"
        setup = SET_READ_ONLY_WITH_TIMEOUT if read_only else SET_TIMEOUT
        try:
            async with self.pool.connection() as conn:
                async with conn.pipeline(), conn.transaction():
                    await conn.execute(setup, (timeout,))
                    cursor = conn.cursor(row_factory=dict_row)
                    await cursor.execute(query, params)
                rows = await cursor.fetchall() if cursor.description else []
                return rows, cursor.rowcount
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise classify(exc) from exc

    def stats(self) -> dict[str, int]:
        """Pool gauges for metrics: size, available and waiting connections."""
        raw = self.pool.get_stats()
        return {
            "size": raw.get("pool_size", 0),
            "available": raw.get("pool_available", 0),
            "waiting": raw.get("requests_waiting", 0),
        }

    async def close(self) -> None:
        """Close every connection of the pool."""
        await self.pool.close()


def connection_kwargs(settings: CommonSettings) -> dict[str, Any]:
    """Arguments for every new connection: timeouts and the prepared-statement policy."""
    return {
        "connect_timeout": settings.db_connect_timeout_sec,
        "prepare_threshold": 5 if settings.db_prepared_statements else None,
        "application_name": "artbattle-ops",
    }


async def open_database(
    url: str, settings: CommonSettings, *, max_size: int | None = None, name: str = "tools"
) -> Database:
    """Open a pool on `url` and check one connection.

    Raises:
        DatabaseError: the server is unreachable or refuses the connection.
    """
    await _probe(url, settings)
    size = max_size or settings.db_pool_max_size
    pool: psycopg_pool.AsyncConnectionPool[Any] = psycopg_pool.AsyncConnectionPool(
        url,
        min_size=min(settings.db_pool_min_size, size),
        max_size=size,
        max_idle=settings.db_pool_max_idle_sec,
        timeout=settings.db_connect_timeout_sec,
        kwargs=connection_kwargs(settings),
        name=name,
        open=False,
    )
    try:
        await pool.open(wait=True, timeout=settings.db_connect_timeout_sec)
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        await pool.close()
        raise classify(exc) from exc
    return Database(pool, settings.db_statement_timeout_ms)


async def _probe(url: str, settings: CommonSettings) -> None:
    """Connect once, so a bad URL fails with the server's reason rather than a pool timeout."""
    try:
        conn = await psycopg.AsyncConnection.connect(url, **connection_kwargs(settings))
    except psycopg.Error as exc:
        raise classify(exc) from exc
    await conn.close()
