"""Where the observability writer's batches go: Postgres, or memory in unit tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from psycopg import sql
from psycopg.types.json import Jsonb

from artbattle_ops.db.pool import Database
from artbattle_ops.errors import DatabaseError
from artbattle_ops.observability.tables import RECORD_TABLES, TABLES_BY_NAME, RecordTable

TableRow = tuple[str, Mapping[str, Any]]

# ON CONFLICT DO NOTHING makes a retried batch harmless when its first attempt committed but the
# acknowledgement was lost, and is the specified insert for sessions (slack_event_id) and feedback.
INSERT_ROWS = sql.SQL("""
INSERT INTO public.{table} ({columns})
VALUES {rows}
ON CONFLICT DO NOTHING
""")


class SinkError(Exception):
    """A batch could not be written; `error` is classified by SQLSTATE."""

    def __init__(self, table: str | None, error: DatabaseError) -> None:
        super().__init__(error.message)
        self.table = table
        self.error = error


class Sink(Protocol):
    """The writer's destination."""

    async def write(self, rows: Sequence[TableRow]) -> None:
        """Write `rows` in one transaction, keeping their order within each table.

        Raises:
            SinkError: nothing was written.
        """


class MemorySink:
    """Keeps every written batch, for unit tests."""

    def __init__(self) -> None:
        self.batches: list[list[TableRow]] = []

    @property
    def rows(self) -> list[TableRow]:
        """Every written row, in write order."""
        return [row for batch in self.batches for row in batch]

    async def write(self, rows: Sequence[TableRow]) -> None:
        """Record the batch."""
        self.batches.append(list(rows))


class PostgresSink:
    """Multi-row INSERTs into the `esbmcp_` record tables, one transaction per batch."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def write(self, rows: Sequence[TableRow]) -> None:
        """Insert the batch, table by table in foreign-key order, rows in order within a table.

        Raises:
            SinkError: the transaction failed; `table` names the statement that failed.
        """
        statements = [insert_statement(table, table_rows) for table, table_rows in _grouped(rows)]
        failing = statements[0][0] if statements else None
        try:
            async with self._database.transaction() as conn:
                for table, query, params in statements:
                    failing = table
                    await conn.execute(query, params)
        except DatabaseError as exc:
            raise SinkError(failing, exc) from exc


def _grouped(rows: Sequence[TableRow]) -> list[tuple[RecordTable, list[Mapping[str, Any]]]]:
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for name, row in rows:
        if name not in TABLES_BY_NAME:
            raise SinkError(name, _invalid_row("not an esbmcp_ record table"))
        by_name.setdefault(name, []).append(row)
    return [(table, by_name[table.name]) for table in RECORD_TABLES if table.name in by_name]


def insert_statement(
    table: RecordTable, rows: Sequence[Mapping[str, Any]]
) -> tuple[str, sql.Composed, list[Any]]:
    """One INSERT for `rows`; a column a row leaves out takes its DEFAULT.

    Raises:
        SinkError: a row names an unknown column or holds a value jsonb cannot store.
    """
    present = {column for row in rows for column in row}
    unknown = present - set(table.columns)
    if unknown:
        raise SinkError(table.name, _invalid_row(f"unknown columns {sorted(unknown)}"))
    columns = [c for c in table.columns if c in present] or [table.columns[0]]

    params: list[Any] = []
    values = []
    for row in rows:
        items: list[sql.Composable] = []
        for column in columns:
            if column not in row:
                items.append(sql.DEFAULT)
                continue
            items.append(sql.Placeholder())
            params.append(_adapt(table, column, row[column]))
        values.append(sql.SQL("({})").format(sql.SQL(", ").join(items)))

    query = INSERT_ROWS.format(
        table=sql.Identifier(table.name),
        columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
        rows=sql.SQL(", ").join(values),
    )
    return table.name, query, params


def _adapt(table: RecordTable, column: str, value: Any) -> Any:
    if column not in table.jsonb_columns:
        return _without_nul(value)
    try:
        text = json.dumps(_without_nul(value), default=str, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SinkError(table.name, _invalid_row(f"{column} is not JSON")) from exc
    return Jsonb(value, dumps=lambda _value: text)


def _without_nul(value: Any) -> Any:
    """Postgres text and jsonb refuse NUL; it becomes U+FFFD rather than losing the row."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(item) for item in value]
    return value


def _invalid_row(message: str) -> DatabaseError:
    return DatabaseError(message, kind="invalid_data")
