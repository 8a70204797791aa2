"""get_bot_tool_stats (tools.md §8.3) over esbmcp_ rows the tests insert themselves.

The probe tool, domain, user and failure code are fresh names with 300 calls, more than any real
tool gets in a test session, so their entries are computed by hand. Figures over every row (the
totals and denials) are checked between independent counts taken before and after the call.
"""

from __future__ import annotations

import math
import statistics
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_bot_tool_stats"
CALLS = 300

# Call n takes n ms; every tenth call returned a tool error with the probe's code.
INSERT_EXECUTIONS = """
INSERT INTO esbmcp_tool_executions (request_id, slack_user_id, user_role, tool_name, domain,
    risk_level, arguments_hash, ok, has_error_field, result_code, queued_at, started_at,
    duration_ms, service_version, created_at)
SELECT 'probe', %(user)s, 'ops', %(tool)s, %(domain)s, 'read', 'k1:probe', true, n %% 10 = 0,
       CASE WHEN n %% 10 = 0 THEN %(code)s END, now(), now(), n, 'test',
       now() - interval '1 minute'
  FROM generate_series(1, %(calls)s) AS n
"""

INSERT_DENIALS = """
INSERT INTO esbmcp_audit_log (source, event_type, decision, slack_user_id, detail,
    service_version, created_at)
SELECT %(source)s, 'role_denied', 'deny', %(user)s, '{"reason": "role_not_allowed"}', 'test',
       now() - interval '1 minute'
  FROM generate_series(1, %(count)s)
"""

GATEWAY_ROLE_DENIALS = """
SELECT count(*) FROM esbmcp_audit_log
 WHERE source = 'gateway' AND event_type = 'role_denied'
   AND created_at >= now() - interval '24 hours'
"""


@dataclass(frozen=True)
class Probe:
    """The fresh names the probe rows use."""

    tool: str
    domain: str
    user: str
    code: str


@pytest.fixture
def probe(demo_gateway: DemoGateway) -> Iterator[Probe]:
    """300 calls of a probe tool, 1 of another, 5 gateway and 500 Slack denials; deleted after."""
    tag = uuid.uuid4().hex[:8]
    names = Probe(f"probe_tool_{tag}", f"probe-{tag}", f"UPROBE{tag.upper()}", f"probe_{tag}")
    with psycopg.connect(demo_gateway.demo.url) as conn:
        values = {"user": names.user, "domain": names.domain, "code": names.code}
        conn.execute(INSERT_EXECUTIONS, values | {"tool": names.tool, "calls": CALLS})
        conn.execute(INSERT_EXECUTIONS, values | {"tool": f"{names.tool}_rare", "calls": 1})
        for source, count in (("gateway", 5), ("slack", 500)):
            conn.execute(INSERT_DENIALS, {"source": source, "user": names.user, "count": count})
    yield names
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute("DELETE FROM esbmcp_tool_executions WHERE slack_user_id = %s", (names.user,))
        conn.execute("DELETE FROM esbmcp_audit_log WHERE slack_user_id = %s", (names.user,))


def _entry(envelope: dict[str, Any], block: str, key: str, value: str) -> dict[str, Any]:
    entries: list[dict[str, Any]] = envelope["data"][block]["items"]
    [entry] = [item for item in entries if item[key] == value]
    return entry


def test_a_tool_shows_calls_failures_and_latency(demo_gateway: DemoGateway, probe: Probe) -> None:
    envelope = demo_gateway.call(TOOL, {})

    durations = list(range(1, CALLS + 1))
    ordered = sorted(durations)
    rank = 0.95 * (CALLS - 1)
    p95 = ordered[math.floor(rank)] + (rank - math.floor(rank)) * (
        ordered[math.ceil(rank)] - ordered[math.floor(rank)]
    )
    assert _entry(envelope, "by_tool", "tool_name", probe.tool) == {
        "tool_name": probe.tool,
        "domain": probe.domain,
        "calls": CALLS,
        "ok": CALLS - CALLS // 10,
        "failed": CALLS // 10,
        "failure_rate_pct": 10.0,
        "avg_ms": math.floor(statistics.mean(durations) + 0.5),
        "p95_ms": math.floor(p95 + 0.5),
        "max_ms": CALLS,
    }


def test_tools_are_listed_by_calls_with_a_true_total(
    demo_gateway: DemoGateway, probe: Probe
) -> None:
    envelope = demo_gateway.call(TOOL, {"limit": 1})

    [(tools,)] = demo_gateway.sql(
        "SELECT count(DISTINCT tool_name) FROM esbmcp_tool_executions"
        " WHERE created_at >= %s::timestamptz - interval '24 hours'",
        (envelope["meta"]["generated_at"],),
    )
    by_tool = envelope["data"]["by_tool"]
    assert ([t["tool_name"] for t in by_tool["items"]], by_tool["total"], by_tool["truncated"]) == (
        [probe.tool],
        tools,
        True,
    )


def test_a_domain_shows_its_calls_and_failures(demo_gateway: DemoGateway, probe: Probe) -> None:
    envelope = demo_gateway.call(TOOL, {})

    assert _entry(envelope, "by_domain", "domain", probe.domain) == {
        "domain": probe.domain,
        "calls": CALLS + 1,
        "failed": CALLS // 10,
    }


def test_the_busiest_user_is_among_the_top_users(demo_gateway: DemoGateway, probe: Probe) -> None:
    envelope = demo_gateway.call(TOOL, {})

    assert _entry(envelope, "by_user", "slack_user_id", probe.user) == {
        "slack_user_id": probe.user,
        "user_role": "ops",
        "calls": CALLS + 1,
        "distinct_tools": 2,
    }


def test_failures_are_grouped_by_the_code_the_caller_got(
    demo_gateway: DemoGateway, probe: Probe
) -> None:
    envelope = demo_gateway.call(TOOL, {})

    assert _entry(envelope, "failures_by_code", "code", probe.code) == {
        "code": probe.code,
        "count": CALLS // 10,
    }


@pytest.mark.usefixtures("probe")
def test_denials_count_only_the_gateways_audit_events(demo_gateway: DemoGateway) -> None:
    [(before,)] = demo_gateway.sql(GATEWAY_ROLE_DENIALS)

    envelope = demo_gateway.call(TOOL, {})

    [(after,)] = demo_gateway.sql(GATEWAY_ROLE_DENIALS)
    assert before <= envelope["data"]["denials"]["role_denied"] <= after


@pytest.mark.usefixtures("probe")
def test_totals_count_every_execution_of_the_window(demo_gateway: DemoGateway) -> None:
    count = (
        "SELECT count(*) FROM esbmcp_tool_executions WHERE created_at >= now() - interval '1 day'"
    )
    [(before,)] = demo_gateway.sql(count)

    envelope = demo_gateway.call(TOOL, {})

    [(after,)] = demo_gateway.sql(count)
    totals = envelope["data"]["totals"]
    assert (before <= totals["calls"] <= after, totals["ok"] + totals["failed"]) == (
        True,
        totals["calls"],
    )


@pytest.mark.parametrize(
    "arguments",
    [{"hours_back": 721}, {"limit": 0}, {"limit": "30"}, {"tool_name": "lookup_event"}],
    ids=["over-30-days", "zero-limit", "string-limit", "unknown-key"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
