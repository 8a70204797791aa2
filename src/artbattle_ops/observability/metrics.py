"""Prometheus metrics of the process; every name carries its unit."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

OBSERVABILITY_ROWS_QUEUED = Counter(
    "artbattle_observability_rows_queued_total",
    "Observability rows accepted into the writer's queue.",
    ["table"],
    registry=REGISTRY,
)
OBSERVABILITY_ROWS_WRITTEN = Counter(
    "artbattle_observability_rows_written_total",
    "Observability rows committed to the database.",
    ["table"],
    registry=REGISTRY,
)
OBSERVABILITY_ROWS_DROPPED = Counter(
    "artbattle_observability_rows_dropped_total",
    "Observability rows lost: the queue was full, or still held rows at the shutdown deadline.",
    ["table", "reason"],
    registry=REGISTRY,
)
OBSERVABILITY_ROWS_FAILED = Counter(
    "artbattle_observability_rows_failed_total",
    "Observability rows dropped after a non-transient database error.",
    ["table"],
    registry=REGISTRY,
)
OBSERVABILITY_WRITE_RETRIES = Counter(
    "artbattle_observability_write_retries_total",
    "Flushes that failed transiently and will be retried.",
    registry=REGISTRY,
)
OBSERVABILITY_QUEUE_DEPTH = Gauge(
    "artbattle_observability_queue_depth_rows",
    "Rows waiting in the writer's queue, the batch being retried included.",
    registry=REGISTRY,
)
OBSERVABILITY_FLUSH_DURATION = Histogram(
    "artbattle_observability_flush_duration_seconds",
    "Wall time of one flush transaction, failed ones included.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
