"""The asynchronous observability writer (observability.md §2.7): never on the user path."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from artbattle_ops.db.errors import is_transient
from artbattle_ops.errors import DatabaseError
from artbattle_ops.observability import metrics
from artbattle_ops.observability.events import LogEvent
from artbattle_ops.observability.sinks import Sink, SinkError, TableRow

logger = logging.getLogger(__name__)

Unit = tuple[TableRow, ...]  # rows that must land in the same flush

BACKOFF_INITIAL_SEC = 0.2
BACKOFF_MAX_SEC = 5.0
DROP_LOG_INTERVAL_SEC = 60.0
# Row-specific failures: the rest of the batch is written one unit at a time, so one bad row
# does not take the others with it. Schema errors (42xxx) would fail every unit alike.
_ISOLATABLE_KINDS = frozenset({"invalid_data", "integrity"})


@dataclass(frozen=True)
class WriterStats:
    """Counters since the writer was created, and the current queue depth."""

    queued: int
    written: int
    dropped: int
    failed: int
    retries: int
    flushes: int
    queue_depth: int
    last_flush_duration_sec: float


class ObservabilityWriter:
    """A bounded queue of rows for the `esbmcp_` tables, flushed in batches by a background task.

    Producers call `enqueue` or `enqueue_group` from the event loop's thread; neither blocks nor
    raises. Rows are written in enqueue order; a transient failure keeps the batch at the head and
    retries it with exponential backoff while new rows queue behind it.
    """

    def __init__(
        self,
        sink: Sink,
        capacity: int,
        flush_interval_sec: float = 0.5,
        batch_rows: int = 200,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if capacity < 1 or batch_rows < 1 or flush_interval_sec <= 0:
            raise ValueError("capacity, batch_rows and flush_interval_sec must be positive")
        self._sink = sink
        self._capacity = capacity
        self._flush_interval_sec = flush_interval_sec
        self._batch_rows = batch_rows
        self._clock = clock
        self._sleep = sleep

        self._queue: deque[Unit] = deque()
        self._head: list[Unit] = []  # the batch being written or retried
        self._depth = 0
        self._consecutive_failures = 0
        self._retry_at: float | None = None
        self._counts: Counter[str] = Counter()
        self._last_flush_duration_sec = 0.0
        self._drops_unlogged: Counter[str] = Counter()
        self._drop_logged_at: dict[str, float] = {}

        self._flush_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._stopped = False

    def enqueue(self, table: str, row: Mapping[str, Any]) -> None:
        """Queue one row; when the queue is full the row is dropped and counted."""
        self._accept(((table, dict(row)),))

    def enqueue_group(self, rows: Sequence[TableRow]) -> None:
        """Queue rows that must be written in the same flush, or drop them all when full."""
        if rows:
            self._accept(tuple((table, dict(row)) for table, row in rows))

    def stats(self) -> WriterStats:
        """A snapshot of the counters."""
        return WriterStats(
            queued=self._counts["queued"],
            written=self._counts["written"],
            dropped=self._counts["dropped"],
            failed=self._counts["failed"],
            retries=self._counts["retries"],
            flushes=self._counts["flushes"],
            queue_depth=self._depth,
            last_flush_duration_sec=self._last_flush_duration_sec,
        )

    @property
    def retry_delay_sec(self) -> float:
        """The current backoff: 0 when the last write succeeded."""
        if not self._consecutive_failures:
            return 0.0
        delay: float = BACKOFF_INITIAL_SEC * 2 ** (self._consecutive_failures - 1)
        return min(delay, BACKOFF_MAX_SEC)

    def start(self) -> None:
        """Start the background flush task; call from a running event loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="observability-writer"
            )

    async def stop(self, deadline_sec: float = 5.0) -> None:
        """Flush what is queued within `deadline_sec`; whatever remains is counted as dropped."""
        if self._stopped:
            return
        self._stopping = True
        deadline = self._clock() + deadline_sec
        self._wake.set()
        await self._join_task(deadline_sec)

        await self._drain(deadline)
        self._stopped = True
        self._drop_remaining()
        logger.info(LogEvent.OBSERVABILITY_WRITER_STOPPED, extra=vars(self.stats()))

    async def flush(self) -> None:
        """Write batches until the queue is empty or a write fails transiently."""
        async with self._flush_lock:
            while self._head or self._queue:
                if not self._head:
                    self._head = self._take_batch()
                if not await self._write_head():
                    return

    def _accept(self, unit: Unit) -> None:
        if self._stopped or self._depth + len(unit) > self._capacity:
            self._count_dropped(unit, "shutdown" if self._stopped else "queue_full")
            return
        self._queue.append(unit)
        self._depth += len(unit)
        self._counts["queued"] += len(unit)
        for table, rows in _rows_per_table(unit).items():
            metrics.OBSERVABILITY_ROWS_QUEUED.labels(table).inc(rows)
        metrics.OBSERVABILITY_QUEUE_DEPTH.set(self._depth)
        if self._depth >= self._batch_rows and self._retry_at is None:
            self._wake.set()

    def _take_batch(self) -> list[Unit]:
        """Whole units from the head, up to `batch_rows` rows (a bigger unit goes alone)."""
        batch = [self._queue.popleft()]
        rows = len(batch[0])
        while self._queue and rows + len(self._queue[0]) <= self._batch_rows:
            rows += len(self._queue[0])
            batch.append(self._queue.popleft())
        return batch

    async def _write_head(self) -> bool:
        """Write the head batch; False when it failed transiently and stays for a retry."""
        error = await self._try_write(self._head)
        if error is None:
            self._finish(self._head, "written")
            self._head = []
            return True
        if is_transient(error.error):
            self._back_off(error)
            return False
        if len(self._head) > 1 and error.error.kind in _ISOLATABLE_KINDS:
            return await self._write_units_alone()
        self._fail(self._head, error)
        self._head = []
        return True

    async def _write_units_alone(self) -> bool:
        while self._head:
            unit = self._head[0]
            error = await self._try_write([unit])
            if error is not None and is_transient(error.error):
                self._back_off(error)
                return False
            if error is None:
                self._finish([unit], "written")
            else:
                self._fail([unit], error)
            self._head.pop(0)
        return True

    async def _try_write(self, units: Sequence[Unit]) -> SinkError | None:
        rows = [row for unit in units for row in unit]
        started = self._clock()
        try:
            await self._sink.write(rows)
        except SinkError as exc:
            return exc
        except Exception as exc:  # a broken sink must not stop the writer
            return SinkError(rows[0][0], DatabaseError(type(exc).__name__, kind="unknown"))
        finally:
            self._record_flush(self._clock() - started)
        self._consecutive_failures = 0
        self._retry_at = None
        return None

    def _record_flush(self, duration_sec: float) -> None:
        self._counts["flushes"] += 1
        self._last_flush_duration_sec = duration_sec
        metrics.OBSERVABILITY_FLUSH_DURATION.observe(duration_sec)

    def _back_off(self, error: SinkError) -> None:
        self._consecutive_failures += 1
        self._counts["retries"] += 1
        metrics.OBSERVABILITY_WRITE_RETRIES.inc()
        self._retry_at = self._clock() + self.retry_delay_sec
        if self._consecutive_failures == 1:
            logger.warning(LogEvent.OBSERVABILITY_WRITE_RETRYING, extra=_error_fields(error))

    def _fail(self, units: Sequence[Unit], error: SinkError) -> None:
        rows = self._finish(units, "failed")
        logger.error(
            LogEvent.OBSERVABILITY_WRITE_FAILED, extra=_error_fields(error) | {"row_count": rows}
        )

    def _finish(self, units: Iterable[Unit], outcome: str) -> int:
        """Take rows out of the depth and count them as written or failed; returns the count."""
        per_table = _rows_per_table(row for unit in units for row in unit)
        counter = (
            metrics.OBSERVABILITY_ROWS_WRITTEN
            if outcome == "written"
            else metrics.OBSERVABILITY_ROWS_FAILED
        )
        for table, rows in per_table.items():
            counter.labels(table).inc(rows)
        total = sum(per_table.values())
        self._counts[outcome] += total
        self._depth -= total
        metrics.OBSERVABILITY_QUEUE_DEPTH.set(self._depth)
        return total

    def _count_dropped(self, unit: Unit, reason: str) -> None:
        for table, rows in _rows_per_table(unit).items():
            self._counts["dropped"] += rows
            metrics.OBSERVABILITY_ROWS_DROPPED.labels(table, reason).inc(rows)
            self._drops_unlogged[table] += rows
            self._log_drops(table, reason, force=False)

    def _log_drops(self, table: str, reason: str, force: bool) -> None:
        """At most one `observability_write_dropped` per table and minute, with the count."""
        now = self._clock()
        last = self._drop_logged_at.get(table)
        if not force and last is not None and now - last < DROP_LOG_INTERVAL_SEC:
            return
        self._drop_logged_at[table] = now
        rows = self._drops_unlogged.pop(table, 0)
        extra = {"table": table, "reason": reason, "row_count": rows}
        logger.warning(LogEvent.OBSERVABILITY_WRITE_DROPPED, extra=extra)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            delay = self._seconds_until_due()
            if delay > 0:
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)
            if self._stopping:
                return
            if self._retry_at is None or self._clock() >= self._retry_at:
                await self.flush()

    def _seconds_until_due(self) -> float:
        if self._retry_at is not None:
            return self._retry_at - self._clock()
        if self._depth >= self._batch_rows:
            return 0.0
        return self._flush_interval_sec

    async def _join_task(self, timeout_sec: float) -> None:
        """Let the background task finish its flush; cancel it at the deadline."""
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=max(timeout_sec, 0.0))
        if not done:
            task.cancel()
        with suppress(asyncio.CancelledError):
            await task

    async def _drain(self, deadline: float) -> None:
        while self._depth and (remaining := deadline - self._clock()) > 0:
            try:
                async with asyncio.timeout(remaining):
                    await self.flush()
            except TimeoutError:
                return
            if self._retry_at is not None:
                await self._sleep(max(0.0, min(self._retry_at, deadline) - self._clock()))

    def _drop_remaining(self) -> None:
        units = [*self._head, *self._queue]
        self._head, self._queue = [], deque()
        self._depth = 0
        metrics.OBSERVABILITY_QUEUE_DEPTH.set(0)
        for unit in units:
            self._count_dropped(unit, "shutdown")
        for table in list(self._drops_unlogged):
            self._log_drops(table, "shutdown", force=True)


def _rows_per_table(rows: Iterable[TableRow]) -> dict[str, int]:
    return dict(Counter(table for table, _ in rows))


def _error_fields(error: SinkError) -> dict[str, Any]:
    return {
        "table": error.table,
        "sqlstate": error.error.sqlstate,
        "error_kind": error.error.kind,
        "error": error.error.message,
    }
