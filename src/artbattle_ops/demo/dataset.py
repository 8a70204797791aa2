"""The in-memory result of the demo-data generator, handed to the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Row = tuple[Any, ...]


@dataclass(frozen=True)
class TableData:
    """Rows for one table, in the column order given.

    `name` is the bare table name for schema `public` (`events`) and schema-qualified otherwise
    (`auth.users`). Values are plain Python: `uuid.UUID`, `str`, `int`, `bool`, `Decimal` for
    numeric, aware `datetime` (UTC) for timestamptz, naive `datetime` for timestamp without time
    zone, `date`, `time`, `list` for arrays, `dict`/`list` for jsonb, or `None`. The loader adapts
    each value to the column's type as the catalog reports it.
    """

    name: str
    columns: tuple[str, ...]
    rows: list[Row]


@dataclass
class Dataset:
    """Everything one generator run produced.

    `tables` is in load order: a table comes after every table it references.
    `fixtures` maps a fixture role (for example `healthy_event`) to its EID and ids.
    `summary` holds counts and the ids of the deliberate defects, for tests to look up.
    """

    scale: str
    seed: int
    as_of: datetime
    tables: dict[str, TableData] = field(default_factory=dict)
    fixtures: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def add(self, table: TableData) -> None:
        """Append a table; a table name may be added once."""
        if table.name in self.tables:
            raise ValueError(f"table {table.name} generated twice")
        self.tables[table.name] = table

    def row_counts(self) -> dict[str, int]:
        """Rows per table, in load order."""
        return {name: len(table.rows) for name, table in self.tables.items()}
