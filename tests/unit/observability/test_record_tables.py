"""The writers' column lists match the DDL of `sql/001_create_esbmcp_tables.sql`."""

import re
from pathlib import Path

import pytest

from artbattle_ops.observability.tables import RECORD_TABLES, RecordTable

DDL = (Path(__file__).resolve().parents[3] / "sql" / "001_create_esbmcp_tables.sql").read_text()


def _ddl_columns(table: str) -> list[tuple[str, str]]:
    match = re.search(rf"CREATE TABLE IF NOT EXISTS public\.{table} \((.*?)\n\);", DDL, re.S)
    assert match, f"{table} not found in the DDL"
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    columns = [line.split()[:2] for line in lines if not line.startswith(("CONSTRAINT", "--"))]
    return [(name, kind.rstrip(",")) for name, kind in columns if not name.startswith("REF")]


@pytest.mark.parametrize("table", RECORD_TABLES, ids=[t.name for t in RECORD_TABLES])
def test_columns_match_the_ddl_in_order(table: RecordTable) -> None:
    assert list(table.columns) == [name for name, _ in _ddl_columns(table.name)]


@pytest.mark.parametrize("table", RECORD_TABLES, ids=[t.name for t in RECORD_TABLES])
def test_jsonb_columns_match_the_ddl(table: RecordTable) -> None:
    jsonb = {name for name, kind in _ddl_columns(table.name) if kind == "jsonb"}

    assert table.jsonb_columns == jsonb
