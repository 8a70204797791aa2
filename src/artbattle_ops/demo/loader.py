"""The demo loader: rebuilds the demo schema and loads a generated dataset in one transaction."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from artbattle_ops import __version__
from artbattle_ops.db.errors import describe
from artbattle_ops.db.migrations import RECORD_APPLIED, MigrationFile, list_files, migrate
from artbattle_ops.demo.bulk_load import Progress, copy_table
from artbattle_ops.demo.catalog import (
    DEMO_SQL_DIR,
    DROP_ROUTINES_AND_TYPES,
    POST_LOAD_FROM,
    SEARCH_INDEX_FILE,
    TRACK,
    drop_tables_statement,
)
from artbattle_ops.demo.dataset import Dataset
from artbattle_ops.demo.guards import DatabaseKind, check_target, inspect_database
from artbattle_ops.errors import DemoDataError

__all__ = ["DemoStatus", "SeedReport", "check_target", "demo_status", "seed_database"]

logger = logging.getLogger(__name__)

# Serialises concurrent seeds of one database; any fixed number distinct from the runner's.
SEED_LOCK_KEY = 0x64656D6F_73656564

UPSERT_META = """
INSERT INTO public.demo_meta (key, value, updated_at)
VALUES (%s, %s, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
"""

READ_META = "SELECT key, value FROM public.demo_meta"

FORGET_DEMO_LEDGER = "DELETE FROM public.esbmcp_schema_migrations WHERE track = %s"


@dataclass(frozen=True)
class SeedReport:
    """What one seed loaded."""

    scale: str
    seed: int
    as_of: datetime
    row_counts: dict[str, int]
    file_checksums: dict[str, str]
    search_index_mode: str
    duration_ms: int


@dataclass(frozen=True)
class DemoStatus:
    """The demo data a database holds, and whether the schema files changed since it was built."""

    scale: str | None
    seed: int | None
    as_of: str | None
    search_index_mode: str | None
    row_counts: dict[str, int]
    changed_files: tuple[str, ...]

    @property
    def stale(self) -> bool:
        """Whether a demo file was added, removed or edited since the data was loaded."""
        return bool(self.changed_files)


def seed_database(
    url: str,
    dataset: Dataset,
    *,
    progress: Progress | None = None,
    search_indexes: bool = True,
    directory: Path | None = None,
) -> SeedReport:
    """Apply the esbmcp_ migrations, then rebuild the demo schema and load `dataset`.

    The rebuild is one transaction: on any failure or interrupt the database is left exactly as
    it was. `search_indexes=False` skips `110` and records `search_index_mode = 'none'`.

    Raises:
        DemoTargetRefusedError: a Supabase host, a real Art Battle database, or a database the
            loader did not build.
        DemoDataError: the server is unreachable, a demo file or a table load failed.
        MigrationError: an esbmcp_ migration failed.
    """
    check_target(url)
    files = list_files(directory or DEMO_SQL_DIR)
    started = time.perf_counter()
    with _connect(url) as conn:
        migrate(conn)
        try:
            mode = _rebuild(conn, dataset, files, progress, search_indexes=search_indexes)
        except psycopg.Error as exc:
            raise DemoDataError(f"seeding failed and was rolled back: {describe(exc)}") from exc

    duration_ms = round((time.perf_counter() - started) * 1000)
    row_count = sum(dataset.row_counts().values())
    logger.info(
        "demo_seeded",
        extra={"scale": dataset.scale, "row_count": row_count, "duration_ms": duration_ms},
    )
    return SeedReport(
        scale=dataset.scale,
        seed=dataset.seed,
        as_of=dataset.as_of,
        row_counts=dataset.row_counts(),
        file_checksums={f.name: f.checksum for f in files},
        search_index_mode=mode,
        duration_ms=duration_ms,
    )


def demo_status(url: str, *, directory: Path | None = None) -> DemoStatus | None:
    """The database's demo data, or None when it has none.

    Raises:
        DemoDataError: the server is unreachable or the URL is invalid.
    """
    current = {f.name: f.checksum for f in list_files(directory or DEMO_SQL_DIR)}
    with _connect(url) as conn:
        row = conn.execute("SELECT to_regclass('public.demo_meta') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return None
        meta: dict[str, Any] = {str(k): v for k, v in conn.execute(READ_META).fetchall()}
    if meta.get("marker") is not True:
        return None

    recorded: dict[str, str] = meta.get("file_checksums") or {}
    changed = sorted(
        name for name in current.keys() | recorded.keys() if current.get(name) != recorded.get(name)
    )
    return DemoStatus(
        scale=meta.get("scale"),
        seed=meta.get("seed"),
        as_of=meta.get("as_of"),
        search_index_mode=meta.get("search_index_mode"),
        row_counts=meta.get("row_counts") or {},
        changed_files=tuple(changed),
    )


def _connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.ProgrammingError as exc:
        raise DemoDataError("the database URL is not a valid PostgreSQL connection string") from exc
    except psycopg.Error as exc:
        raise DemoDataError(f"cannot connect to the database: {describe(exc)}") from exc


def _rebuild(
    conn: psycopg.Connection,
    dataset: Dataset,
    files: list[MigrationFile],
    progress: Progress | None,
    *,
    search_indexes: bool,
) -> str:
    """Drop, recreate and load in one transaction; returns the search index mode."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SEED_LOCK_KEY,))
        if inspect_database(conn) is DatabaseKind.DEMO:
            _drop_demo_objects(conn)
        durations = _build(conn, dataset, files, progress, search_indexes=search_indexes)
        mode = _search_index_mode(conn) if search_indexes else "none"
        _write_meta(conn, dataset, files, mode)
        _record_ledger(conn, files, durations)
    return mode


def _drop_demo_objects(conn: psycopg.Connection) -> None:
    conn.execute(drop_tables_statement())
    conn.execute(DROP_ROUTINES_AND_TYPES)


def _build(
    conn: psycopg.Connection,
    dataset: Dataset,
    files: list[MigrationFile],
    progress: Progress | None,
    *,
    search_indexes: bool,
) -> dict[str, int]:
    durations: dict[str, int] = {}
    for file in files:
        if file.number < POST_LOAD_FROM:
            durations[file.name] = _apply(conn, file)
    for table in dataset.tables.values():
        copy_table(conn, table, progress)
    for file in files:
        if file.number >= POST_LOAD_FROM and (search_indexes or file.number != SEARCH_INDEX_FILE):
            durations[file.name] = _apply(conn, file)
    return durations


def _apply(conn: psycopg.Connection, file: MigrationFile) -> int:
    started = time.perf_counter()
    try:
        conn.execute(file.sql)
    except psycopg.Error as exc:
        raise DemoDataError(f"{file.name} failed: {describe(exc)}") from exc
    return round((time.perf_counter() - started) * 1000)


def _search_index_mode(conn: psycopg.Connection) -> str:
    row = conn.execute(
        "SELECT value #>> '{}' FROM public.demo_meta WHERE key = 'search_index_mode'"
    ).fetchone()
    return str(row[0]) if row and row[0] else "none"


def _write_meta(
    conn: psycopg.Connection, dataset: Dataset, files: list[MigrationFile], mode: str
) -> None:
    row_counts = dataset.row_counts()
    meta: dict[str, Any] = {
        "marker": True,
        "generator_version": dataset.summary.get("generator_version", __version__),
        "seed": dataset.seed,
        "scale": dataset.scale,
        "as_of": dataset.as_of.isoformat(),
        "file_checksums": {f.name: f.checksum for f in files},
        "search_index_mode": mode,
        "fixtures": dataset.fixtures,
        "row_counts": row_counts,
        "legacy_vote_weights": row_counts.get("vote_weights", 0) > 0,
    }
    with conn.cursor() as cur:
        cur.executemany(UPSERT_META, [(key, _jsonb(value)) for key, value in meta.items()])


def _jsonb(value: Any) -> Jsonb:
    # Fixtures hold uuids and instants: store them as their text form.
    return Jsonb(value, dumps=lambda obj: json.dumps(obj, default=str))


def _record_ledger(
    conn: psycopg.Connection, files: list[MigrationFile], durations: dict[str, int]
) -> None:
    conn.execute(FORGET_DEMO_LEDGER, (TRACK,))
    rows = [
        (TRACK, f.name, f.checksum, durations[f.name], __version__)
        for f in files
        if f.name in durations
    ]
    with conn.cursor() as cur:
        cur.executemany(RECORD_APPLIED, rows)
