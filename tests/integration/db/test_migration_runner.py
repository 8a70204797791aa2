"""The migration runner applies each numbered file once, in order, and refuses edited files."""

import threading
from pathlib import Path

import psycopg
import pytest

from artbattle_ops.db.migrations import SQL_DIR, list_files, migrate
from artbattle_ops.errors import MigrationError


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def track(tmp_path: Path) -> Path:
    write(tmp_path, "001_first.sql", "CREATE TABLE IF NOT EXISTS public.esbmcp_t1 (id int);")
    write(tmp_path, "002_second.sql", "CREATE TABLE IF NOT EXISTS public.esbmcp_t2 (id int);")
    return tmp_path


def ledger(conn: psycopg.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT track, filename FROM esbmcp_schema_migrations ORDER BY filename"
    ).fetchall()
    return [(str(t), str(f)) for t, f in rows]


def test_pending_files_are_applied_in_order_and_recorded(database_url: str, track: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        report = migrate(conn, "esbmcp", track)

        assert report.applied == ["001_first.sql", "002_second.sql"]
        assert ledger(conn) == [("esbmcp", "001_first.sql"), ("esbmcp", "002_second.sql")]


def test_second_run_skips_recorded_files(database_url: str, track: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn, "esbmcp", track)

        report = migrate(conn, "esbmcp", track)

    assert (report.applied, report.skipped) == ([], ["001_first.sql", "002_second.sql"])


def test_new_file_is_applied_after_the_recorded_ones(database_url: str, track: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn, "esbmcp", track)
        write(track, "005_later.sql", "CREATE TABLE IF NOT EXISTS public.esbmcp_t5 (id int);")

        report = migrate(conn, "esbmcp", track)

    assert report.applied == ["005_later.sql"]


def test_edited_shipped_file_stops_the_run_naming_it(database_url: str, track: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn, "esbmcp", track)
        write(track, "002_second.sql", "CREATE TABLE IF NOT EXISTS public.esbmcp_t2b (id int);")

        with pytest.raises(MigrationError, match=r"002_second\.sql was edited"):
            migrate(conn, "esbmcp", track)


def test_dry_run_lists_pending_files_and_changes_nothing(database_url: str, track: Path) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        report = migrate(conn, "esbmcp", track, dry_run=True)
        exists = conn.execute("SELECT to_regclass('public.esbmcp_t1') IS NOT NULL").fetchone()

    assert (report.pending, exists) == (["001_first.sql", "002_second.sql"], (False,))


def test_failing_file_is_rolled_back_and_not_recorded(database_url: str, track: Path) -> None:
    write(
        track,
        "003_broken.sql",
        "CREATE TABLE public.esbmcp_t3 (id int);\nSELECT * FROM public.no_such_table;",
    )

    with psycopg.connect(database_url, autocommit=True) as conn:
        with pytest.raises(MigrationError, match=r"003_broken.sql failed .*no_such_table"):
            migrate(conn, "esbmcp", track)

        created = conn.execute("SELECT to_regclass('public.esbmcp_t3') IS NOT NULL").fetchone()
        recorded = ledger(conn)

    assert created == (False,)
    assert recorded == [("esbmcp", "001_first.sql"), ("esbmcp", "002_second.sql")]


def test_no_transaction_file_runs_concurrent_index_builds(database_url: str, track: Path) -> None:
    write(
        track,
        "003_index.sql",
        "-- esbmcp:no-transaction\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS esbmcp_t1_id_idx ON public.esbmcp_t1 (id);\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS esbmcp_t2_id_idx ON public.esbmcp_t2 (id);\n",
    )

    with psycopg.connect(database_url, autocommit=True) as conn:
        report = migrate(conn, "esbmcp", track)
        indexes = conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'esbmcp_t%_id_idx'"
        ).fetchone()

    assert ("003_index.sql" in report.applied, indexes) == (True, (2,))


def test_concurrent_runners_apply_each_file_once(database_url: str, track: Path) -> None:
    write(track, "003_count.sql", "CREATE TABLE public.esbmcp_t3 (id int);")  # fails if run twice
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with psycopg.connect(database_url, autocommit=True) as conn:
                migrate(conn, "esbmcp", track)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []


def test_duplicate_numbers_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "001_a.sql", "SELECT 1;")
    write(tmp_path, "001_b.sql", "SELECT 1;")

    with pytest.raises(MigrationError, match="used twice"):
        list_files(tmp_path)


def test_shipped_track_applies_twice_without_changes(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        first = migrate(conn)
        second = migrate(conn)

    assert first.applied == [f.name for f in list_files(SQL_DIR)]
    assert second.applied == []
