"""Reading rows as dicts on the connection of the call's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row

Params = tuple[Any, ...] | Mapping[str, Any]


async def fetch_one(
    conn: psycopg.AsyncConnection[Any], query: str, params: Params
) -> dict[str, Any] | None:
    """The first row of `query`, or None."""
    cursor = conn.cursor(row_factory=dict_row)
    await cursor.execute(query, params)
    return await cursor.fetchone()


async def fetch_row(
    conn: psycopg.AsyncConnection[Any], query: str, params: Params
) -> dict[str, Any]:
    """The row a statement that always returns one (an INSERT … RETURNING) produced."""
    row = await fetch_one(conn, query, params)
    if row is None:
        raise RuntimeError("statement returned no row")
    return row
