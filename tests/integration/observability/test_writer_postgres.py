"""The observability writer on a real Postgres: rows land in the `esbmcp_` tables, and an outage
between the writer's pool and the server is ridden out without losing a row."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
import psycopg_pool
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.pool import Database, open_database
from artbattle_ops.observability import events
from artbattle_ops.observability.events import audit_row
from artbattle_ops.observability.sinks import PostgresSink, TableRow
from artbattle_ops.observability.tables import RECORD_TABLES
from artbattle_ops.observability.writer import ObservabilityWriter

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]
NOW = datetime(2024, 5, 1, 19, 30, tzinfo=UTC)


@pytest.fixture
def migrated_url(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
    return database_url


@pytest.fixture
async def database(migrated_url: str) -> AsyncIterator[Database]:
    settings = load(CommonSettings, APP_ENV="test")
    db = await open_database(migrated_url, settings, max_size=2, name="test-writer")
    yield db
    await db.close()


def session_row() -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "request_id": uuid.uuid4().hex,
        "slack_user_id": "U100",
        "user_prompt": "how did AB4001 go?",
        "tools_called": [{"tool_name": "lookup_event", "round": 1}],
        "tool_call_count": 1,
        "service_version": "test",
        "created_at": NOW,
    }


def feedback_row(session_id: uuid.UUID) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "slack_user_id": "U200",
        "rating": -1,
        "reaction": "thumbsdown",
        "slack_message_ts": "1714591800.000100",
        "created_at": NOW,
    }


def failed_call_rows() -> list[TableRow]:
    """A failed call's execution, error and `tool_failed` audit rows, which travel together."""
    execution_id, request_id = uuid.uuid4(), uuid.uuid4().hex
    common = {
        "request_id": request_id,
        "slack_user_id": "U100",
        "user_role": "ops",
        "tool_name": "lookup_event",
        "domain": "data-read",
        "arguments_hash": "k1:00",
        "arguments_preview": {"eid": "AB4001"},
        "service_version": "test",
        "created_at": NOW,
    }
    execution = common | {
        "id": execution_id,
        "risk_level": "read",
        "arguments_keys": ["eid"],
        "ok": False,
        "result_code": "upstream_error",
        "queued_at": NOW,
        "started_at": NOW,
        "completed_at": NOW,
        "duration_ms": 12,
        "error_type": "sql_error",
        "error_code": "42703",
        "error_message": 'column "nme" does not exist',
    }
    error = common | {
        "execution_id": execution_id,
        "error_type": "sql_error",
        "error_code": "42703",
        "error_message": 'column "nme" does not exist',
        "error_pattern": 'column "<value>" does not exist',
    }
    detail = {
        "execution_id": str(execution_id),
        "error_id": str(uuid.uuid4()),
        "error_type": "sql_error",
        "error_code": "42703",
        "result_code": "upstream_error",
        "duration_ms": 12,
    }
    audit = audit_row(
        events.GATEWAY_TOOL_FAILED, detail=detail, request_id=request_id, service_version="test"
    )
    return [
        ("esbmcp_tool_executions", execution),
        ("esbmcp_tool_errors", error),
        ("esbmcp_audit_log", audit),
    ]


def audit_rows(count: int) -> list[dict[str, Any]]:
    return [
        audit_row(events.GATEWAY_MISSING_ROLE, reason="no_role", service_version="test")
        for _ in range(count)
    ]


async def fetch_values(database: Database, query: str) -> list[Any]:
    return [next(iter(row.values())) for row in await database.fetch_all(query)]


async def test_record_table_columns_match_the_database(database: Database) -> None:
    query = """
        SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ANY(%s)
        GROUP BY table_name
    """
    names = [table.name for table in RECORD_TABLES]

    found = {row["table_name"]: row["columns"] for row in await database.fetch_all(query, (names,))}

    assert found == {table.name: list(table.columns) for table in RECORD_TABLES}


async def test_rows_land_in_every_record_table(database: Database) -> None:
    writer = ObservabilityWriter(PostgresSink(database), capacity=100)
    session = session_row()
    writer.enqueue("esbmcp_chat_sessions", session)
    writer.enqueue("esbmcp_feedback", feedback_row(session["id"]))
    writer.enqueue_group(failed_call_rows())

    await writer.stop()

    counts = await fetch_values(
        database,
        """
        SELECT json_build_array(
            (SELECT count(*) FROM esbmcp_chat_sessions),
            (SELECT count(*) FROM esbmcp_feedback),
            (SELECT count(*) FROM esbmcp_tool_executions),
            (SELECT count(*) FROM esbmcp_tool_errors),
            (SELECT count(*) FROM esbmcp_audit_log))
        """,
    )
    assert counts == [[1, 1, 1, 1, 1]]


async def test_jsonb_values_are_stored_as_json_not_as_strings(database: Database) -> None:
    writer = ObservabilityWriter(PostgresSink(database), capacity=100)
    writer.enqueue_group(failed_call_rows())

    await writer.stop()

    kinds = await fetch_values(
        database,
        """
        SELECT json_build_array(jsonb_typeof(e.arguments_keys), jsonb_typeof(e.arguments_preview),
                                jsonb_typeof(a.detail), a.detail->>'error_type')
        FROM esbmcp_tool_executions e, esbmcp_audit_log a
        """,
    )
    assert kinds == [["array", "object", "object", "sql_error"]]


async def test_a_batch_written_twice_is_stored_once(database: Database) -> None:
    sink = PostgresSink(database)
    batch = [("esbmcp_audit_log", row) for row in audit_rows(3)]

    await sink.write(batch)
    await sink.write(batch)

    assert await fetch_values(database, "SELECT count(*) FROM esbmcp_audit_log") == [3]


async def test_rows_filling_different_columns_take_the_defaults_of_the_ones_they_leave_out(
    database: Database,
) -> None:
    full, bare, full_again = ({**row, "created_at": NOW} for row in audit_rows(3))
    bare = {key: value for key, value in bare.items() if key not in {"detail", "created_at"}}
    batch = [("esbmcp_audit_log", row) for row in (full, bare, full_again)]

    await PostgresSink(database).write(batch)

    stored = await database.fetch_all(
        "SELECT id, detail, created_at > %s AS stamped_now FROM esbmcp_audit_log", (NOW,)
    )
    assert {row["id"]: (row["detail"], row["stamped_now"]) for row in stored} == {
        full["id"]: (full["detail"], False),
        bare["id"]: ({}, True),
        full_again["id"]: (full_again["detail"], False),
    }


async def test_a_row_breaking_a_check_is_dropped_and_the_others_written(
    database: Database,
) -> None:
    writer = ObservabilityWriter(PostgresSink(database), capacity=100)
    good = audit_rows(2)
    bad = audit_rows(1)[0] | {"decision": "maybe"}
    for row in (good[0], bad, good[1]):
        writer.enqueue("esbmcp_audit_log", row)

    await writer.stop()

    ids = await fetch_values(database, "SELECT id FROM esbmcp_audit_log ORDER BY created_at")
    assert (sorted(ids), writer.stats().failed) == (sorted(row["id"] for row in good), 1)


class OutageProxy:
    """A TCP proxy to the server that can cut every connection and refuse new ones, then heal."""

    def __init__(self, open_upstream: Callable[[], Awaitable[Streams]]) -> None:
        self._open_upstream = open_upstream
        self._server: asyncio.Server | None = None
        self._streams: set[asyncio.StreamWriter] = set()
        self.is_cut = False

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    def cut(self) -> None:
        self.is_cut = True
        for stream in list(self._streams):
            stream.transport.abort()
        self._streams.clear()

    def restore(self) -> None:
        self.is_cut = False

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.is_cut:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await self._open_upstream()
        except OSError:
            writer.transport.abort()
            return
        self._streams |= {writer, up_writer}
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )
        for stream in (writer, up_writer):
            stream.transport.abort()
            self._streams.discard(stream)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.transport.abort()


def upstream_opener(url: str) -> Callable[[], Awaitable[Streams]]:
    params = conninfo_to_dict(url)
    host, port = str(params.get("host") or "127.0.0.1"), int(params.get("port") or 5432)
    if host.startswith("/"):
        path = os.path.join(host, f".s.PGSQL.{port}")
        return lambda: asyncio.open_unix_connection(path)
    return lambda: asyncio.open_connection(host, port)


def through_proxy(url: str, port: int) -> str:
    params = conninfo_to_dict(url) | {"host": "127.0.0.1", "port": str(port)}
    return make_conninfo(**params)  # type: ignore[arg-type]


@pytest.fixture
async def proxy(migrated_url: str) -> AsyncIterator[tuple[OutageProxy, str]]:
    outage = OutageProxy(upstream_opener(migrated_url))
    port = await outage.start()
    yield outage, through_proxy(migrated_url, port)
    await outage.close()


@pytest.fixture
async def proxied_database(proxy: tuple[OutageProxy, str]) -> AsyncIterator[Database]:
    # Short waits so that each failed flush is quick, and a pool that gives up reconnecting
    # after a second, so the first flush after the outage connects afresh.
    pool: psycopg_pool.AsyncConnectionPool[Any] = psycopg_pool.AsyncConnectionPool(
        proxy[1],
        min_size=1,
        max_size=2,
        timeout=0.5,
        reconnect_timeout=1.0,
        kwargs={"connect_timeout": 2},
        open=False,
    )
    await pool.open(wait=True, timeout=5)
    yield Database(pool, statement_timeout_ms=2000)
    await pool.close()


async def wait_until(predicate: Callable[[], bool], timeout_sec: float) -> None:
    """Poll `predicate` until it holds; fail the test after `timeout_sec`."""
    async with asyncio.timeout(timeout_sec):
        while True:
            if predicate():
                return
            await asyncio.sleep(0.02)


async def test_an_outage_between_writer_and_server_loses_no_rows(
    proxy: tuple[OutageProxy, str], proxied_database: Database, database: Database
) -> None:
    outage = proxy[0]
    writer = ObservabilityWriter(PostgresSink(proxied_database), 1000, flush_interval_sec=0.05)
    writer.start()
    rows = audit_rows(30)
    for row in rows[:10]:
        writer.enqueue("esbmcp_audit_log", row)
    await wait_until(lambda: writer.stats().written == 10, timeout_sec=5)

    outage.cut()
    for row in rows[10:20]:
        writer.enqueue("esbmcp_audit_log", row)
    await wait_until(lambda: writer.stats().retries >= 4, timeout_sec=10)
    for row in rows[20:]:
        writer.enqueue("esbmcp_audit_log", row)
    outage.restore()
    await wait_until(lambda: writer.stats().written == 30, timeout_sec=10)
    await writer.stop()

    stored = await fetch_values(database, "SELECT id FROM esbmcp_audit_log")
    assert (sorted(stored), writer.stats().dropped) == (sorted(row["id"] for row in rows), 0)
