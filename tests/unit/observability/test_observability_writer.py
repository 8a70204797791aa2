"""The observability writer (observability.md §2.7), driven with a memory sink and a fake clock."""

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from artbattle_ops.errors import DatabaseError
from artbattle_ops.observability import metrics
from artbattle_ops.observability.sinks import MemorySink, SinkError, TableRow
from artbattle_ops.observability.writer import ObservabilityWriter

AUDIT = "esbmcp_audit_log"
EXECUTIONS = "esbmcp_tool_executions"
ERRORS = "esbmcp_tool_errors"
FEEDBACK = "esbmcp_feedback"


class FakeClock:
    """Monotonic seconds that only move when the writer sleeps or a test advances them."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class FlakySink(MemorySink):
    """Raises the queued failures first, then rejects rows the predicate picks."""

    def __init__(self, reject: Callable[[Mapping[str, Any]], bool] = lambda row: False) -> None:
        super().__init__()
        self.failures: list[SinkError] = []
        self.always: SinkError | None = None
        self.reject = reject

    async def write(self, rows: Sequence[TableRow]) -> None:
        if self.always:
            raise self.always
        if self.failures:
            raise self.failures.pop(0)
        if any(self.reject(row) for _, row in rows):
            raise SinkError(
                rows[0][0], DatabaseError("bad row", kind="integrity", sqlstate="23514")
            )
        await super().write(rows)


class WatchedSink(MemorySink):
    """Lets a test wait, with a bound, until the background task has written some rows."""

    def __init__(self) -> None:
        super().__init__()
        self._written = asyncio.Condition()

    async def write(self, rows: Sequence[TableRow]) -> None:
        await super().write(rows)
        async with self._written:
            self._written.notify_all()

    async def wait_for_rows(self, count: int, timeout_sec: float = 2.0) -> None:
        async with asyncio.timeout(timeout_sec), self._written:
            await self._written.wait_for(lambda: len(self.rows) >= count)


class HangingSink(MemorySink):
    """A sink whose write never returns, like a server that stopped answering."""

    async def write(self, rows: Sequence[TableRow]) -> None:
        await asyncio.Event().wait()


def transient() -> SinkError:
    return SinkError(AUDIT, DatabaseError("down", kind="connection", sqlstate="08006"))


def undefined_table() -> SinkError:
    return SinkError(AUDIT, DatabaseError("no table", kind="undefined_object", sqlstate="42P01"))


def crash(row: Mapping[str, Any]) -> bool:
    raise RuntimeError("sink bug")


def make_writer(
    sink: MemorySink, clock: FakeClock, capacity: int = 10_000, **options: Any
) -> ObservabilityWriter:
    return ObservabilityWriter(sink, capacity, clock=clock, sleep=clock.sleep, **options)


def rows(count: int, table: str = AUDIT, start: int = 0) -> list[TableRow]:
    return [(table, {"n": n}) for n in range(start, start + count)]


def enqueue_all(writer: ObservabilityWriter, table_rows: list[TableRow]) -> None:
    for table, row in table_rows:
        writer.enqueue(table, row)


def dropped_log_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "observability_write_dropped"]


async def test_rows_are_written_in_enqueue_order() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    queued = [*rows(2), (EXECUTIONS, {"n": 2}), *rows(2, start=3)]
    enqueue_all(writer, queued)

    await writer.flush()

    assert sink.rows == queued


async def test_a_flush_writes_batches_of_at_most_200_rows() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(450))

    await writer.flush()

    assert [len(batch) for batch in sink.batches] == [200, 200, 50]


async def test_a_group_lands_whole_in_the_next_batch_when_the_current_one_is_full() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    group = [(EXECUTIONS, {"id": 1}), (ERRORS, {"id": 2}), (AUDIT, {"id": 3})]
    enqueue_all(writer, rows(199))
    writer.enqueue_group(group)

    await writer.flush()

    assert sink.batches[1] == group


async def test_a_group_larger_than_a_batch_is_written_in_one_flush() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    writer.enqueue_group(rows(250))

    await writer.flush()

    assert [len(batch) for batch in sink.batches] == [250]


async def test_a_full_queue_drops_the_newest_rows_and_counts_them() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock, capacity=3)
    enqueue_all(writer, rows(5))

    await writer.flush()

    assert (sink.rows, writer.stats().dropped) == (rows(3), 2)


async def test_a_group_that_does_not_fit_is_dropped_whole() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock, capacity=3)
    enqueue_all(writer, rows(2))
    writer.enqueue_group(rows(2, table=ERRORS))

    await writer.flush()

    assert (sink.rows, writer.stats().dropped) == (rows(2), 2)


def test_drops_are_logged_once_a_minute_per_table(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    writer = make_writer(MemorySink(), clock, capacity=1)
    enqueue_all(writer, rows(4))
    clock.now += 61
    enqueue_all(writer, rows(2))

    logged = [(r.__dict__["table"], r.__dict__["row_count"]) for r in dropped_log_records(caplog)]

    assert logged == [(AUDIT, 1), (AUDIT, 3)]


def test_drop_counter_metric_counts_the_dropped_rows() -> None:
    writer = make_writer(MemorySink(), FakeClock(), capacity=1)
    labels = {"table": FEEDBACK, "reason": "queue_full"}
    before = metrics.REGISTRY.get_sample_value("artbattle_observability_rows_dropped_total", labels)

    enqueue_all(writer, rows(3, table=FEEDBACK))

    after = metrics.REGISTRY.get_sample_value("artbattle_observability_rows_dropped_total", labels)
    assert (after or 0) - (before or 0) == 2


async def test_enqueue_copies_the_row() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    row: dict[str, Any] = {"n": 1}
    writer.enqueue(AUDIT, row)
    row["n"] = 2

    await writer.flush()

    assert sink.rows == [(AUDIT, {"n": 1})]


async def test_a_transient_failure_keeps_the_batch_ahead_of_newer_rows() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.failures.append(transient())
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(3))
    await writer.flush()
    enqueue_all(writer, rows(2, start=3))

    await writer.flush()

    assert sink.rows == rows(5)


async def test_a_transient_failure_loses_nothing() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.failures.append(transient())
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(3))

    await writer.flush()

    assert (writer.stats().queue_depth, writer.stats().retries, sink.rows) == (3, 1, [])


async def test_retry_delay_doubles_from_200_ms_and_is_capped_at_5_s() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.always = transient()
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(1))
    delays = []

    for _ in range(7):
        await writer.flush()
        delays.append(writer.retry_delay_sec)

    assert delays == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]


async def test_a_successful_write_resets_the_retry_delay() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.failures.extend([transient(), transient()])
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(1))
    for _ in range(3):
        await writer.flush()

    assert writer.retry_delay_sec == 0.0


async def test_a_non_transient_failure_drops_the_batch_and_logs_table_and_sqlstate(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.failures.append(undefined_table())
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(3))

    await writer.flush()

    failed = [r.__dict__ for r in caplog.records if r.getMessage() == "observability_write_failed"]
    assert [(f["table"], f["sqlstate"], f["row_count"]) for f in failed] == [(AUDIT, "42P01", 3)]


async def test_a_non_transient_failure_counts_the_rows_as_failed() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.failures.append(undefined_table())
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(3))

    await writer.flush()

    assert (writer.stats().failed, writer.stats().queue_depth) == (3, 0)


async def test_a_row_specific_failure_drops_only_the_offending_rows() -> None:
    sink, clock = FlakySink(reject=lambda row: row.get("n") == 1), FakeClock()
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(3))

    await writer.flush()

    assert (sink.rows, writer.stats().failed) == ([rows(1)[0], rows(1, start=2)[0]], 1)


async def test_a_sink_that_raises_unexpectedly_does_not_stop_the_writer() -> None:
    sink, clock = FlakySink(), FakeClock()
    writer = make_writer(sink, clock)
    sink.reject = crash
    enqueue_all(writer, rows(1))
    await writer.flush()
    sink.reject = lambda row: False
    enqueue_all(writer, rows(1, start=1))

    await writer.flush()

    assert (sink.rows, writer.stats().failed) == (rows(1, start=1), 1)


async def test_stop_flushes_everything_queued() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    writer.start()
    enqueue_all(writer, rows(250))

    await writer.stop()

    assert (len(sink.rows), writer.stats().dropped) == (250, 0)


async def test_stop_counts_what_remains_at_the_deadline_as_dropped() -> None:
    sink, clock = FlakySink(), FakeClock()
    sink.always = transient()
    writer = make_writer(sink, clock)
    enqueue_all(writer, rows(5))

    await writer.stop(deadline_sec=5.0)

    assert (writer.stats().dropped, writer.stats().queue_depth, clock.now) == (5, 0, 1005.0)


async def test_stop_gives_up_on_a_hanging_sink_at_the_deadline() -> None:
    writer = ObservabilityWriter(HangingSink(), 10)
    writer.start()
    enqueue_all(writer, rows(2))

    await asyncio.wait_for(writer.stop(deadline_sec=0.05), timeout=2.0)

    assert writer.stats().dropped == 2


async def test_rows_enqueued_after_stop_are_dropped_and_counted() -> None:
    sink, clock = MemorySink(), FakeClock()
    writer = make_writer(sink, clock)
    await writer.stop()

    writer.enqueue(AUDIT, {"n": 1})

    assert (writer.stats().dropped, sink.rows) == (1, [])


async def test_background_task_flushes_as_soon_as_a_batch_is_queued() -> None:
    sink, clock = WatchedSink(), FakeClock()
    writer = make_writer(sink, clock, flush_interval_sec=3600.0)
    writer.start()
    enqueue_all(writer, rows(200))

    await sink.wait_for_rows(200)

    await writer.stop()
    assert len(sink.batches) == 1


async def test_background_task_flushes_a_partial_batch_after_the_interval() -> None:
    sink = WatchedSink()
    writer = ObservabilityWriter(sink, 10, flush_interval_sec=0.01)
    writer.start()
    enqueue_all(writer, rows(3))

    await sink.wait_for_rows(3)

    await writer.stop()
    assert sink.rows == rows(3)


def test_queue_depth_gauge_follows_the_queue() -> None:
    writer = make_writer(MemorySink(), FakeClock())

    enqueue_all(writer, rows(7))

    depth = metrics.REGISTRY.get_sample_value("artbattle_observability_queue_depth_rows")
    assert depth == 7


@pytest.mark.parametrize(
    "options",
    [{"capacity": 0}, {"batch_rows": 0}, {"flush_interval_sec": 0.0}],
    ids=["capacity", "batch_rows", "interval"],
)
def test_non_positive_limits_are_refused(options: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"capacity": 10} | options

    with pytest.raises(ValueError, match="positive"):
        ObservabilityWriter(MemorySink(), **arguments)
