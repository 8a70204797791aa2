"""Where the observability writer's batches go: Postgres, or memory in unit tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from psycopg import sql
from psycopg.types.json import Jsonb

from artbattle_ops.db.pool import Database
from artbattle_ops.errors import DatabaseError
from artbattle_ops.observability.tables import RECORD_TABLES, TABLES_BY_NAME, RecordTable

TableRow = tuple[str, Mapping[str, Any]]

# ON CONFLICT DO NOTHING makes a retried batch harmless when its first attempt committed but the
# acknowledgement was lost, and is the specified insert for sessions (slack_event_id) and feedback.
INSERT_ROW = sql.SQL(
    "INSERT INTO public.{table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING"
)
INSERT_DEFAULTS = sql.SQL("INSERT INTO public.{table} DEFAULT VALUES ON CONFLICT DO NOTHING")

Statement = tuple[str, sql.Composed, list[list[Any]]]


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
    """Pipelined INSERTs into the `esbmcp_` record tables, one transaction per batch."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def write(self, rows: Sequence[TableRow]) -> None:
        """Insert the batch, table by table in foreign-key order, rows in order within a table.

        Each run of rows that fill the same columns is one `executemany` of a single-row INSERT:
        its text is the same from batch to batch, so the driver converts it once per batch (and
        prepares it where DB_PREPARED_STATEMENTS allows), and the rows travel pipelined. A
        multi-row VALUES list is new text for every batch size, and composing one of 200 rows
        holds the event loop for milliseconds.

        Raises:
            SinkError: the transaction failed; `table` names the statement that failed.
        """
        statements = [
            statement
            for table, table_rows in _grouped(rows)
            for statement in insert_statements(table, table_rows)
        ]
        failing = statements[0][0] if statements else None
        try:
            async with self._database.transaction() as conn:
                cursor = conn.cursor()
                for table, query, params in statements:
                    failing = table
                    await cursor.executemany(query, params)
        except DatabaseError as exc:
            raise SinkError(failing, exc) from exc


def _grouped(rows: Sequence[TableRow]) -> list[tuple[RecordTable, list[Mapping[str, Any]]]]:
    by_name: dict[str, list[Mapping[str, Any]]] = {}
    for name, row in rows:
        if name not in TABLES_BY_NAME:
            raise SinkError(name, _invalid_row("not an esbmcp_ record table"))
        by_name.setdefault(name, []).append(row)
    return [(table, by_name[table.name]) for table in RECORD_TABLES if table.name in by_name]


def insert_statements(table: RecordTable, rows: Sequence[Mapping[str, Any]]) -> list[Statement]:
    """The INSERTs for `rows`, in order: one per run of rows that fill the same columns, with
    each row's values; a column a row leaves out takes its DEFAULT.

    Raises:
        SinkError: a row names an unknown column or holds a value jsonb cannot store.
    """
    unknown = {column for row in rows for column in row} - set(table.columns)
    if unknown:
        raise SinkError(table.name, _invalid_row(f"unknown columns {sorted(unknown)}"))
    statements: list[Statement] = []
    shape: tuple[str, ...] | None = None
    for row in rows:
        columns = tuple(column for column in table.columns if column in row)
        if columns != shape:
            shape = columns
            statements.append((table.name, _insert_row(table.name, columns), []))
        statements[-1][2].append([_adapt(table, column, row[column]) for column in columns])
    return statements


@lru_cache(maxsize=256)
def _insert_row(table: str, columns: tuple[str, ...]) -> sql.Composed:
    if not columns:
        return INSERT_DEFAULTS.format(table=sql.Identifier(table))
    return INSERT_ROW.format(
        table=sql.Identifier(table),
        columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
        values=sql.SQL(", ").join([sql.Placeholder()] * len(columns)),
    )


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
