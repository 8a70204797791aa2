"""Bulk loading of generated tables with COPY, each value adapted to its column's type."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg import pq, sql

from artbattle_ops.db.errors import describe
from artbattle_ops.demo.catalog import identifier, qualified
from artbattle_ops.demo.dataset import TableData
from artbattle_ops.errors import DemoDataError

# Called with (table name, rows loaded so far, rows in the table).
Progress = Callable[[str, int, int], None]

PROGRESS_EVERY_ROWS = 20_000
TEXT_OID = 25

READ_COLUMN_TYPES = """
SELECT a.attname, a.atttypid::int
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
"""


def copy_table(conn: psycopg.Connection, table: TableData, progress: Progress | None) -> None:
    """COPY every row of `table` into its demo table.

    Raises:
        DemoDataError: the table or a column is not in the demo schema, or a row was refused;
            the message names the table.
    """
    oids = column_oids(conn, table)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.columns))
    )
    total = len(table.rows)
    done = 0
    try:
        with conn.cursor() as cur, cur.copy(statement) as copy:
            copy.set_types(oids)
            for row in table.rows:
                copy.write_row(row)
                done += 1
                if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
                    progress(table.name, done, total)
    except psycopg.Error as exc:
        raise DemoDataError(f"loading table {table.name} failed: {describe(exc)}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        # A dumper met a Python value of the wrong kind for its column (a generator bug).
        raise DemoDataError(
            f"loading table {table.name} failed: row {done + 1} has a value that does not fit "
            f"its column's type ({type(exc).__name__}: {exc})"
        ) from exc
    if progress is not None:
        progress(table.name, total, total)


def column_oids(conn: psycopg.Connection, table: TableData) -> list[int]:
    """The type oid to dump each of the table's columns with, in the dataset's column order.

    Types psycopg has no text dumper for (enums, `char(n)`) are sent as text, which the server
    parses into the column's type.

    Raises:
        DemoDataError: the table or one of its columns does not exist.
    """
    found = {
        str(name): int(oid)
        for name, oid in conn.execute(READ_COLUMN_TYPES, (qualified(table.name),)).fetchall()
    }
    if not found:
        raise DemoDataError(f"dataset table {table.name} is not in the demo schema")
    missing = [column for column in table.columns if column not in found]
    if missing:
        raise DemoDataError(
            f"dataset table {table.name} has columns the demo schema lacks: {', '.join(missing)}"
        )
    return [_dumpable(conn, found[column]) for column in table.columns]


def _dumpable(conn: psycopg.Connection, oid: int) -> int:
    try:
        conn.adapters.get_dumper_by_oid(oid, pq.Format.TEXT)
    except psycopg.ProgrammingError:
        return TEXT_OID
    return oid
