"""Prometheus metrics of the Slack front end; every name carries its unit."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "artbattle_slack_requests_total",
    "Slack HTTP requests by outcome: accepted, signature_denied, not_configured.",
    ["outcome"],
    registry=REGISTRY,
)
EVENTS = Counter(
    "artbattle_slack_events_total",
    "Slack events and interactions handled, by kind (app_mention, slash_command, ...).",
    ["kind"],
    registry=REGISTRY,
)
DUPLICATES = Counter(
    "artbattle_slack_duplicate_events_total",
    "Redelivered Slack events ignored because another delivery was claimed first.",
    registry=REGISTRY,
)
ACK_DURATION = Histogram(
    "artbattle_slack_ack_duration_seconds",
    "Time from receiving a Slack HTTP request to answering it.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
POSTS = Counter(
    "artbattle_slack_posts_total",
    "Slack Web API calls made to show something, by method and outcome (ok, error).",
    ["method", "outcome"],
    registry=REGISTRY,
)
