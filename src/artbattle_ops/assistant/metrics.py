"""The assistant's Prometheus metrics; every name carries its unit.

The Slack layer serves `REGISTRY` (and the observability writer's) on `/metrics`.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

REQUESTS = Counter(
    "artbattle_assistant_requests_total",
    "Requests by outcome: completed, error, denied, rate_limited, confirmation",
    ["outcome"],
    registry=REGISTRY,
)
MODEL_CALL_DURATION = Histogram(
    "artbattle_assistant_model_call_duration_seconds",
    "Wall time of model calls by result (ok, timeout, rate_limited, upstream, bad_request)",
    ["result"],
    registry=REGISTRY,
    buckets=_SECONDS,
)
TOOL_CALL_DURATION = Histogram(
    "artbattle_assistant_tool_call_duration_seconds",
    "Wall time of MCP tool calls seen from the assistant, by outcome",
    ["outcome"],
    registry=REGISTRY,
    buckets=_SECONDS,
)
MODEL_TOKENS = Counter(
    "artbattle_assistant_model_tokens_total",
    "Tokens used by model calls, by kind (prompt, completion)",
    ["kind"],
    registry=REGISTRY,
)
SESSIONS = Counter(
    "artbattle_assistant_sessions_total",
    "Session rows handed to the writer (queued) or lost before it (dropped)",
    ["result"],
    registry=REGISTRY,
)
CONFIRMATIONS = Counter(
    "artbattle_assistant_confirmations_total",
    "Confirmation decisions: granted, not_requester, cancelled_by_user, timed_out",
    ["decision"],
    registry=REGISTRY,
)
