"""The migration runner: applies numbered SQL files once each and records them in a ledger."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from artbattle_ops import __version__
from artbattle_ops.db.errors import describe
from artbattle_ops.errors import MigrationError

logger = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
NO_TRANSACTION_MARKER = "-- esbmcp:no-transaction"
# Any fixed 64-bit number will do; it only has to be the same for every runner.
ADVISORY_LOCK_KEY = 0x65736263_6D6967
_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS public.esbmcp_schema_migrations (
    track text NOT NULL,
    filename text NOT NULL,
    checksum_sha256 text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user,
    duration_ms int NOT NULL,
    runner_version text NOT NULL,
    CONSTRAINT esbmcp_schema_migrations_pkey PRIMARY KEY (track, filename)
);
ALTER TABLE public.esbmcp_schema_migrations ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE public.esbmcp_schema_migrations IS
    'Migration ledger: one row per applied file and track, written by the migration runner';
"""

SELECT_APPLIED = """
SELECT filename, checksum_sha256
FROM public.esbmcp_schema_migrations
WHERE track = %s
"""

RECORD_APPLIED = """
INSERT INTO public.esbmcp_schema_migrations
    (track, filename, checksum_sha256, duration_ms, runner_version)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (track, filename) DO UPDATE
SET checksum_sha256 = EXCLUDED.checksum_sha256,
    applied_at = now(),
    applied_by = current_user,
    duration_ms = EXCLUDED.duration_ms,
    runner_version = EXCLUDED.runner_version
"""


@dataclass(frozen=True)
class MigrationFile:
    """One numbered SQL file of a track."""

    number: int
    name: str
    path: Path
    sql: str
    checksum: str

    @property
    def no_transaction(self) -> bool:
        """Whether the file must run outside a transaction (concurrent index builds)."""
        return self.sql.lstrip().startswith(NO_TRANSACTION_MARKER)


@dataclass
class MigrationReport:
    """What a run did, or would do for a dry run."""

    track: str
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)


def list_files(directory: Path) -> list[MigrationFile]:
    """The track's `NNN_name.sql` files in numeric order.

    Raises:
        MigrationError: two files share a number.
    """
    files: list[MigrationFile] = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            continue
        data = path.read_bytes()
        files.append(
            MigrationFile(
                number=int(match.group(1)),
                name=path.name,
                path=path,
                sql=data.decode("utf-8"),
                checksum=hashlib.sha256(data).hexdigest(),
            )
        )
    files.sort(key=lambda f: f.number)
    numbers = [f.number for f in files]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise MigrationError(f"migration numbers used twice in {directory}: {duplicates}")
    return files


def ensure_ledger(conn: psycopg.Connection) -> None:
    """Create the ledger table when it is missing (idempotent, own transaction)."""
    with conn.transaction():
        conn.execute(CREATE_LEDGER)


def migrate(
    conn: psycopg.Connection,
    track: str = "esbmcp",
    directory: Path | None = None,
    *,
    dry_run: bool = False,
) -> MigrationReport:
    """Apply the track's pending files in order, each in its own transaction with its ledger row.

    `conn` must be in autocommit mode. A session advisory lock serialises concurrent runners.

    Raises:
        MigrationError: a recorded file was edited, or a file failed (nothing of it is kept).
    """
    directory = directory or (SQL_DIR if track == "esbmcp" else SQL_DIR / track)
    files = list_files(directory)
    conn.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
    try:
        return _migrate_locked(conn, track, files, dry_run=dry_run)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))


def _migrate_locked(
    conn: psycopg.Connection, track: str, files: list[MigrationFile], *, dry_run: bool
) -> MigrationReport:
    report = MigrationReport(track=track)
    if not dry_run:
        ensure_ledger(conn)
    applied = _applied_checksums(conn, track)

    for file in files:
        recorded = applied.get(file.name)
        if recorded == file.checksum:
            report.skipped.append(file.name)
        elif recorded is not None:
            report.mismatched.append(file.name)
        else:
            report.pending.append(file.name)

    if report.mismatched:
        if dry_run:
            return report
        raise MigrationError(
            f"{report.mismatched[0]} was edited after it was applied (checksum differs); "
            "shipped migrations are never edited: write a new numbered file instead"
        )
    if dry_run:
        return report

    by_name = {f.name: f for f in files}
    for name in report.pending:
        apply_file(conn, track, by_name[name])
        report.applied.append(name)
    return report


def _applied_checksums(conn: psycopg.Connection, track: str) -> dict[str, str]:
    exists = conn.execute("SELECT to_regclass('public.esbmcp_schema_migrations')").fetchone()
    if exists is None or exists[0] is None:
        return {}
    rows = conn.execute(SELECT_APPLIED, (track,)).fetchall()
    return {str(name): str(checksum) for name, checksum in rows}


def apply_file(conn: psycopg.Connection, track: str, file: MigrationFile) -> None:
    """Run one file and record it: both in one transaction, unless the file opts out.

    Raises:
        MigrationError: the file failed; its transaction was rolled back.
    """
    started = time.perf_counter()
    try:
        if file.no_transaction:
            for statement in split_statements(file.sql):
                conn.execute(statement)
            _record(conn, track, file, started)
        else:
            with conn.transaction():
                conn.execute(file.sql)
                _record(conn, track, file, started)
    except psycopg.Error as exc:
        raise MigrationError(f"{file.name} failed and was rolled back: {describe(exc)}") from exc
    logger.info(
        "migration_applied",
        extra={"track": track, "migration": file.name, "duration_ms": _elapsed_ms(started)},
    )


def split_statements(text: str) -> list[str]:
    """Split a no-transaction file into its statements.

    Such files hold only `CREATE INDEX CONCURRENTLY` statements, which may not share a query
    string (PostgreSQL runs a multi-statement string as one implicit transaction).
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def _record(conn: psycopg.Connection, track: str, file: MigrationFile, started: float) -> None:
    conn.execute(
        RECORD_APPLIED, (track, file.name, file.checksum, _elapsed_ms(started), __version__)
    )


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
