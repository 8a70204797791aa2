"""The async pool: statement timeouts, no server-side prepared statements, classified failures."""

import logging
from collections.abc import AsyncIterator

import pytest

from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.client import create_db_client
from artbattle_ops.db.pool import Database, open_database
from artbattle_ops.errors import DatabaseError


def make_settings(**values: object) -> CommonSettings:
    return load(CommonSettings, APP_ENV="test", **values)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = await open_database(database_url, make_settings(DB_STATEMENT_TIMEOUT_MS=300))
    yield db
    await db.close()


async def test_query_longer_than_the_statement_timeout_is_cancelled(database: Database) -> None:
    with pytest.raises(DatabaseError) as caught:
        await database.fetch_all("SELECT pg_sleep(2)")

    assert caught.value.kind == "timeout"


async def test_per_query_timeout_overrides_the_default(database: Database) -> None:
    query = "SELECT current_setting('statement_timeout') AS t"

    row = await database.fetch_one(query, timeout_ms=75)

    assert row == {"t": "75ms"}


async def test_repeated_queries_leave_no_prepared_statements(database: Database) -> None:
    for _ in range(10):
        await database.fetch_all("SELECT %s::int AS n", (1,))

    async with database.transaction() as conn:
        cursor = await conn.execute("SELECT count(*) FROM pg_prepared_statements")
        row = await cursor.fetchone()

    assert row == (0,)


async def test_reads_run_in_read_only_transactions(database: Database) -> None:
    with pytest.raises(DatabaseError) as caught:
        await database.fetch_all("CREATE TABLE t_should_fail (id int)")

    assert caught.value.kind == "read_only"


async def test_read_only_transaction_applies_its_settings_to_every_statement(
    database: Database,
) -> None:
    query = (
        "SELECT current_setting('transaction_read_only') AS ro, "
        "current_setting('statement_timeout') AS t"
    )
    async with database.transaction(read_only=True, timeout_ms=250) as conn:
        first = await (await conn.execute(query)).fetchone()
        await conn.execute("SELECT 1")
        second = await (await conn.execute(query)).fetchone()

    assert first == second == ("on", "250ms")


async def test_read_only_transaction_refuses_a_write_and_keeps_the_pool_usable(
    database: Database,
) -> None:
    async def write_after_a_read() -> None:
        async with database.transaction(read_only=True) as conn:
            await (await conn.execute("SELECT 1")).fetchone()
            await (await conn.execute("CREATE TABLE t_should_fail (id int)")).fetchall()

    with pytest.raises(DatabaseError) as caught:
        await write_after_a_read()

    async with database.transaction(read_only=True) as conn:
        row = await (await conn.execute("SELECT to_regclass('t_should_fail') IS NULL")).fetchone()
    assert (caught.value.kind, row) == ("read_only", (True,))


async def test_read_only_transaction_times_out_as_a_timeout(database: Database) -> None:
    with pytest.raises(DatabaseError) as caught:
        async with database.transaction(read_only=True, timeout_ms=100) as conn:
            await (await conn.execute("SELECT pg_sleep(2)")).fetchall()

    assert caught.value.kind == "timeout"
    assert await database.fetch_one("SELECT 7 AS n") == {"n": 7}


async def test_write_transaction_reports_row_counts_as_each_statement_runs(
    database: Database,
) -> None:
    async with database.transaction() as conn:
        await conn.execute("CREATE TEMP TABLE t_counts (n int) ON COMMIT DROP")
        inserted = await conn.execute("INSERT INTO t_counts SELECT generate_series(1, 3)")
        rowcount = inserted.rowcount
        read_only = await (await conn.execute("SHOW transaction_read_only")).fetchone()

    assert (rowcount, read_only) == (3, ("off",))


async def test_missing_table_is_an_undefined_object(database: Database) -> None:
    with pytest.raises(DatabaseError) as caught:
        await database.fetch_all("SELECT * FROM no_such_table")

    assert (caught.value.kind, caught.value.sqlstate) == ("undefined_object", "42P01")


async def test_unreachable_server_fails_fast_as_a_connection_error() -> None:
    settings = make_settings(DB_CONNECT_TIMEOUT_SEC=2)

    with pytest.raises(DatabaseError) as caught:
        await open_database("postgresql://postgres@127.0.0.1:1/postgres", settings)

    assert caught.value.kind == "connection"


async def test_client_creation_logs_db_client_created(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    client = await create_db_client(
        make_settings(SUPABASE_DB_URL=database_url), component="gateway"
    )
    await client.close()

    assert [r.getMessage() for r in caplog.records if r.name.endswith("client")] == [
        "db_client_created"
    ]


async def test_client_creation_logs_db_client_skipped_with_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    settings = load(CommonSettings, APP_ENV="production")

    client = await create_db_client(settings, component="gateway")

    skipped = [r for r in caplog.records if r.getMessage() == "db_client_skipped"]
    assert (client.database, skipped[0].__dict__["reason"]) == (None, "no_database_configured")


async def test_client_with_unreachable_server_is_skipped_as_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(
        SUPABASE_DB_URL="postgresql://postgres@127.0.0.1:1/postgres", DB_CONNECT_TIMEOUT_SEC=2
    )

    client = await create_db_client(settings, component="gateway")

    skipped = [r for r in caplog.records if r.getMessage() == "db_client_skipped"]
    assert skipped[0].__dict__["reason"] == "connection"
    assert client.skipped_reason == "connection"
