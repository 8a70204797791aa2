"""The gateway's Prometheus metrics; names carry their unit."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "artbattle_gateway_http_requests_total",
    "HTTP requests to /mcp by outcome (ok, or the refusal reason)",
    ["outcome"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "artbattle_gateway_http_request_duration_seconds",
    "Wall time of /mcp requests",
    registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TOOL_CALLS = Counter(
    "artbattle_gateway_tool_calls_total",
    "Tool calls by tool and outcome (executed, tool_error, failed, or the refusal code)",
    ["tool", "outcome"],
    registry=REGISTRY,
)
TOOL_DURATION = Histogram(
    "artbattle_gateway_tool_call_duration_seconds",
    "Handler time of dispatched tool calls",
    ["tool"],
    registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
POOL_CONNECTIONS = Gauge(
    "artbattle_gateway_db_pool_connections",
    "Connections of the tools' pool by state (size, available, waiting)",
    ["state"],
    registry=REGISTRY,
)


def observe_call(tool: str, body: dict[str, object], duration_sec: float | None) -> None:
    """Count one tool call by its outcome, and time it when it reached its handler."""
    if body.get("ok"):
        outcome = "executed"
    else:
        error = body.get("error")
        outcome = str(error.get("code")) if isinstance(error, dict) else "failed"
    TOOL_CALLS.labels(tool=tool, outcome=outcome).inc()
    if duration_sec is not None:
        TOOL_DURATION.labels(tool=tool).observe(duration_sec)
