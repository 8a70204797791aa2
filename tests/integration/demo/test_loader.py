"""The demo loader rebuilds a demo database in one transaction and refuses every other target."""

from __future__ import annotations

import hashlib
import shutil
import uuid
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from artbattle_ops.demo.catalog import DEMO_SQL_DIR, identifier
from artbattle_ops.demo.dataset import Dataset, TableData
from artbattle_ops.demo.guards import DemoTargetRefusedError, check_target
from artbattle_ops.demo.loader import demo_status, seed_database
from artbattle_ops.errors import DemoDataError

AS_OF = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
NAMESPACE = uuid.UUID("5b0f7c1e-1c1a-4c53-9a51-0e8f6c3a7d10")


def uid(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def small_dataset(*eids: str, seed: int = 1) -> Dataset:
    """A handful of rows across reference data, people, artists and events."""
    eids = eids or ("AB4001",)
    dataset = Dataset(scale="demo", seed=seed, as_of=AS_OF)
    dataset.add(
        TableData(
            "countries",
            ("id", "name", "code", "currency_code", "currency_symbol"),
            [(uid("countries:CA"), "Canada", "CA", "CAD", "$")],
        )
    )
    dataset.add(
        TableData(
            "timezones",
            ("id", "name", "timezone_offset", "icann"),
            [(uid("timezones:toronto"), "Eastern Time", "-05:00", "America/Toronto")],
        )
    )
    dataset.add(
        TableData(
            "cities",
            ("id", "name", "country_id", "timezone_id"),
            [(uid("cities:montreal"), "Montréal", uid("countries:CA"), uid("timezones:toronto"))],
        )
    )
    dataset.add(
        TableData(
            "venues",
            ("id", "name", "city_id"),
            [(uid("venues:1"), "Le Lab", uid("cities:montreal"))],
        )
    )
    dataset.add(
        TableData(
            "exchange_rates",
            ("currency_code", "rate_to_usd", "source"),
            [("USD", Decimal("1.000000"), "base"), ("CAD", Decimal("0.735000"), "test")],
        )
    )
    dataset.add(
        TableData(
            "auth.users",
            ("id", "email", "created_at"),
            [(uid("users:ops"), "ops-assistant@artbattle.example", AS_OF)],
        )
    )
    dataset.add(
        TableData(
            "people",
            ("id", "name", "first_name", "last_name", "email", "phone", "is_artist"),
            [
                (
                    uid("people:maya"),
                    "Maya Chen",
                    "Maya",
                    "Chen",
                    "maya.chen@example.com",
                    "+14165550134",
                    True,
                ),
                (uid("people:jordan"), "Jordan", "Jordan", None, "jordan@example.com", None, False),
            ],
        )
    )
    dataset.add(
        TableData(
            "artist_profiles",
            ("id", "entry_id", "name", "person_id", "country", "aliases", "set_primary_profile_at"),
            [
                (
                    uid("artist_profiles:310001"),
                    310001,
                    "Maya Chen",
                    uid("people:maya"),
                    "CA",
                    ["Maya C."],
                    datetime(2025, 1, 1, 12, 0),
                ),
                (
                    uid("artist_profiles:310145"),
                    310145,
                    "Maya Chen Art",
                    uid("people:maya"),
                    "Canada",
                    [],
                    None,
                ),
            ],
        )
    )
    dataset.add(
        TableData(
            "events",
            (
                "id",
                "eid",
                "name",
                "venue_id",
                "city_id",
                "country_id",
                "currency",
                "event_level",
                "event_start_datetime",
                "door_time",
                "enabled",
                "show_in_app",
            ),
            [
                (
                    uid(f"events:{eid}"),
                    eid,
                    f"{eid} – Montréal",
                    uid("venues:1"),
                    uid("cities:montreal"),
                    uid("countries:CA"),
                    "CAD",
                    "REGULAR",
                    AS_OF,
                    time(19, 0),
                    True,
                    True,
                )
                for eid in eids
            ],
        )
    )
    dataset.add(
        TableData(
            "artist_manual_payment_requests",
            (
                "id",
                "artist_profile_id",
                "person_id",
                "payment_details",
                "status",
                "events_referenced",
            ),
            [
                (
                    uid("requests:1"),
                    uid("artist_profiles:310001"),
                    uid("people:maya"),
                    "iban",
                    "pending",
                    list(eids),
                ),
            ],
        )
    )
    dataset.fixtures["healthy_event"] = {"eid": eids[0], "id": uid(f"events:{eids[0]}")}
    return dataset


def count_rows(table: str) -> sql.Composed:
    return sql.SQL("SELECT count(*) FROM {}").format(identifier(table))


def scalar(url: str, query: str | sql.Composed, params: tuple[Any, ...] = ()) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def state(url: str) -> list[tuple[Any, ...]]:
    """Every demo row count, demo_meta entry and demo ledger row: what a failed seed must keep."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'auth') AND c.relkind IN ('r', 'm')
              AND c.relname NOT LIKE 'esbmcp%%'
            ORDER BY 1
            """
        ).fetchall()
        counts = [(name, conn.execute(count_rows(name)).fetchone()) for (name,) in tables]
        ledger = conn.execute(
            "SELECT filename, checksum_sha256 FROM esbmcp_schema_migrations WHERE track = 'demo' "
            "ORDER BY 1"
        ).fetchall()
        meta = (
            conn.execute("SELECT key, value FROM demo_meta ORDER BY key").fetchall()
            if ("public.demo_meta",) in tables
            else []
        )
    return [*counts, *ledger, *meta]


def test_seed_loads_every_table_of_the_dataset(database_url: str) -> None:
    dataset = small_dataset("AB4001", "AB4002")

    seed_database(database_url, dataset)

    loaded = {name: scalar(database_url, count_rows(name)) for name in dataset.tables}
    assert loaded == dataset.row_counts()


def test_seed_adapts_jsonb_arrays_enums_and_naive_timestamps(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            """
            SELECT p.aliases, r.events_referenced, e.event_level::text, p.set_primary_profile_at
            FROM artist_profiles p, artist_manual_payment_requests r, events e
            WHERE p.entry_id = 310001
            """
        ).fetchone()

    assert row == (["Maya C."], ["AB4001"], "REGULAR", datetime(2025, 1, 1, 12, 0))


def test_seed_records_demo_meta(database_url: str) -> None:
    dataset = small_dataset()

    seed_database(database_url, dataset)

    with psycopg.connect(database_url) as conn:
        meta: dict[str, Any] = dict(conn.execute("SELECT key, value FROM demo_meta").fetchall())
    checksums = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(DEMO_SQL_DIR.glob("*.sql"))
    }
    assert {k: meta[k] for k in ("marker", "scale", "seed", "as_of", "file_checksums")} == {
        "marker": True,
        "scale": "demo",
        "seed": 1,
        "as_of": AS_OF.isoformat(),
        "file_checksums": checksums,
    }
    assert meta["row_counts"] == dataset.row_counts()
    assert meta["fixtures"] == {"healthy_event": {"eid": "AB4001", "id": str(uid("events:AB4001"))}}
    assert meta["search_index_mode"] in ("trigram", "btree_fallback")
    assert meta["legacy_vote_weights"] is False


def test_seed_records_every_demo_file_in_the_ledger_under_track_demo(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT filename, checksum_sha256 FROM esbmcp_schema_migrations "
            "WHERE track = 'demo' ORDER BY filename"
        ).fetchall()

    assert rows == [
        (path.name, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(DEMO_SQL_DIR.glob("*.sql"))
    ]


def test_seed_applies_the_esbmcp_migrations_first(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    applied = scalar(
        database_url,
        "SELECT count(*) FROM esbmcp_schema_migrations WHERE track = 'esbmcp'",
    )

    assert applied >= 2


def test_seed_moves_the_entry_id_sequence_past_the_loaded_artists(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    entry_id = scalar(
        database_url, "INSERT INTO artist_profiles (name) VALUES ('New') RETURNING entry_id"
    )

    assert entry_id == 310146


def test_seed_populates_person_vote_weights(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    weights = scalar(database_url, "SELECT count(*) FROM person_vote_weights")

    assert weights == 1


def test_seeding_twice_replaces_the_data_cleanly(database_url: str) -> None:
    seed_database(database_url, small_dataset("AB4001", "AB4002", seed=1))

    seed_database(database_url, small_dataset("AB4003", seed=2))

    with psycopg.connect(database_url) as conn:
        eids = conn.execute("SELECT eid FROM events ORDER BY eid").fetchall()
        seed = conn.execute("SELECT value FROM demo_meta WHERE key = 'seed'").fetchone()
    assert (eids, seed) == ([("AB4003",)], (2,))


def test_failed_seed_leaves_an_empty_database_unchanged(database_url: str) -> None:
    broken = small_dataset("AB4001", "AB4001")
    with psycopg.connect(database_url, autocommit=True) as conn:
        before = conn.execute("SELECT count(*) FROM pg_class WHERE relname = 'events'").fetchone()

    with pytest.raises(DemoDataError):
        seed_database(database_url, broken)

    after = scalar(database_url, "SELECT count(*) FROM pg_class WHERE relname = 'events'")
    assert (before, after) == ((0,), 0)


def test_failed_seed_leaves_a_demo_database_exactly_as_it_was(database_url: str) -> None:
    seed_database(database_url, small_dataset("AB4001", "AB4002"))
    before = state(database_url)

    with pytest.raises(DemoDataError):
        seed_database(database_url, small_dataset("AB4003", "AB4003", seed=2))

    assert state(database_url) == before


def test_failed_load_names_the_table_and_the_cause(database_url: str) -> None:
    with pytest.raises(DemoDataError, match=r"^loading table events failed: duplicate key") as info:
        seed_database(database_url, small_dataset("AB4001", "AB4001"))

    assert "\n" not in info.value.message


def test_interrupted_seed_leaves_the_database_as_it_was(database_url: str) -> None:
    seed_database(database_url, small_dataset("AB4001"))
    before = state(database_url)

    def interrupt(table: str, rows: int, total: int) -> None:
        if table == "events":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seed_database(database_url, small_dataset("AB4009", seed=3), progress=interrupt)

    assert state(database_url) == before


def test_progress_reports_every_table_with_its_row_count(database_url: str) -> None:
    dataset = small_dataset("AB4001", "AB4002")
    calls: list[tuple[str, int, int]] = []

    seed_database(database_url, dataset, progress=lambda *call: calls.append(call))

    assert calls == [(name, count, count) for name, count in dataset.row_counts().items()]


def test_dataset_table_missing_from_the_schema_is_named(database_url: str) -> None:
    dataset = small_dataset()
    dataset.add(TableData("paintings", ("id",), [(uid("paintings:1"),)]))

    with pytest.raises(DemoDataError, match="dataset table paintings is not in the demo schema"):
        seed_database(database_url, dataset)


def test_seed_without_search_indexes_records_mode_none(database_url: str) -> None:
    report = seed_database(database_url, small_dataset(), search_indexes=False)

    mode = scalar(database_url, "SELECT value FROM demo_meta WHERE key = 'search_index_mode'")
    assert (report.search_index_mode, mode) == ("none", "none")


def test_seed_refuses_a_real_art_battle_database(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.events (id uuid PRIMARY KEY, eid text)")
        conn.execute("INSERT INTO public.events VALUES (gen_random_uuid(), 'AB4001')")

    with pytest.raises(DemoTargetRefusedError, match="real Art Battle database"):
        seed_database(database_url, small_dataset())

    assert scalar(database_url, "SELECT count(*) FROM public.events") == 1


def test_seed_refuses_a_database_whose_marker_is_not_true(database_url: str) -> None:
    seed_database(database_url, small_dataset())
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE demo_meta SET value = 'false' WHERE key = 'marker'")

    with pytest.raises(DemoTargetRefusedError, match="marker"):
        seed_database(database_url, small_dataset())


def test_seed_refuses_demo_table_names_taken_in_a_database_without_demo_data(
    database_url: str,
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.people (id int)")

    with pytest.raises(DemoTargetRefusedError, match=r"public\.people"):
        seed_database(database_url, small_dataset())


def test_refusal_carries_a_stable_code(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.events (id uuid PRIMARY KEY)")

    with pytest.raises(DemoTargetRefusedError) as info:
        seed_database(database_url, small_dataset())

    assert info.value.code == "demo_target_refused"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:secret@db.abcdefghijkl.supabase.co:5432/postgres",
        "postgresql://postgres.abcdefghijkl@aws-0-eu-central-1.pooler.supabase.com:6543/postgres",
        "postgresql://postgres@DB.ABCDEFGHIJKL.SUPABASE.CO/postgres",
        "host=db.abcdefghijkl.supabase.co dbname=postgres user=postgres",
        "postgresql://u@localhost,db.abcdefghijkl.supabase.co/postgres",
        "postgresql://u@db.abcdefghijkl.supabase.co./postgres",
    ],
    ids=["direct", "pooler", "upper-case", "key-value", "multi-host", "trailing-dot"],
)
def test_check_target_refuses_supabase_hosts(url: str) -> None:
    with pytest.raises(DemoTargetRefusedError, match="Supabase host"):
        check_target(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql://postgres@localhost/artbattle",
        "postgresql://postgres:@/postgres?host=/tmp/pgdata",
        "dbname=artbattle host=db.internal.example",
    ],
    ids=["loopback", "localhost", "socket", "key-value"],
)
def test_check_target_accepts_local_and_private_hosts(url: str) -> None:
    check_target(url)


def test_seed_refuses_a_supabase_host_before_connecting() -> None:
    url = "postgresql://postgres:secret@db.abcdefghijkl.supabase.co:5432/postgres"

    with pytest.raises(DemoTargetRefusedError):
        seed_database(url, small_dataset())


def test_invalid_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(DemoDataError) as info:
        check_target("postgresql://user:s3cret@host:notaport/db?bogus=1 = =")

    assert "s3cret" not in info.value.message


def test_unreachable_server_is_a_one_line_connection_error() -> None:
    url = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2"

    with pytest.raises(DemoDataError, match=r"^cannot connect to the database") as info:
        seed_database(url, small_dataset())

    assert "\n" not in info.value.message


def test_demo_status_is_none_without_demo_data(database_url: str) -> None:
    assert demo_status(database_url) is None


def test_demo_status_reports_fresh_data_after_a_seed(database_url: str) -> None:
    seed_database(database_url, small_dataset())

    status = demo_status(database_url)

    assert status is not None
    assert (status.stale, status.scale, status.seed) == (False, "demo", 1)


def test_demo_status_is_stale_when_a_demo_file_changed(database_url: str, tmp_path: Path) -> None:
    files = tmp_path / "demo"
    shutil.copytree(DEMO_SQL_DIR, files)
    seed_database(database_url, small_dataset(), directory=files)
    with (files / "120_finalize.sql").open("a", encoding="utf-8") as handle:
        handle.write("\n-- edited in place\n")

    status = demo_status(database_url, directory=files)

    assert status is not None
    assert (status.stale, status.changed_files) == (True, ("120_finalize.sql",))
