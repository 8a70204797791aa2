"""get_bot_errors (tools.md §8.1) over esbmcp_tool_errors rows the tests insert themselves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_bot_errors"
PROBED_TOOL = "get_bot_tool_stats"

INSERT_ERROR = """
INSERT INTO esbmcp_tool_errors (id, execution_id, request_id, slack_user_id, user_role,
    tool_name, domain, arguments_hash, arguments_preview, error_type, error_code, error_message,
    error_pattern, error_hint, resolved, resolved_at, resolved_by, service_version, created_at)
VALUES (%(id)s, gen_random_uuid(), 'probe-request', 'UPROBE', 'ops', %(tool)s,
    'bot-observability', 'k1:probe', '{"hours_back": 24}', %(type)s, '57014', %(message)s,
    'probe', 'Narrow the request', %(resolved)s, CASE WHEN %(resolved)s THEN now() END,
    CASE WHEN %(resolved)s THEN 'UOPS' END, 'test', now() - %(age)s::interval)
"""


@dataclass(frozen=True)
class ProbeErrors:
    """Ids of the inserted errors: unresolved (10 min old), resolved (20 min), old (30 h)."""

    unresolved: str
    resolved: str
    old: str


@pytest.fixture
def probe_errors(demo_gateway: DemoGateway) -> Iterator[ProbeErrors]:
    """Three errors of one tool; deleted after the test."""
    errors = ProbeErrors(str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()))
    rows = [
        (errors.unresolved, "sql_error", "x" * 400, False, "10 minutes"),
        (errors.resolved, "timeout", "canceling statement", True, "20 minutes"),
        (errors.old, "sql_error", "old failure", False, "30 hours"),
    ]
    with psycopg.connect(demo_gateway.demo.url) as conn:
        for row_id, error_type, message, resolved, age in rows:
            conn.execute(
                INSERT_ERROR,
                {
                    "id": row_id,
                    "tool": PROBED_TOOL,
                    "type": error_type,
                    "message": message,
                    "resolved": resolved,
                    "age": age,
                },
            )
    yield errors
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(
            "DELETE FROM esbmcp_tool_errors WHERE id = ANY(%s::uuid[])",
            ([errors.unresolved, errors.resolved, errors.old],),
        )


def _ids(envelope: dict[str, Any]) -> list[str]:
    return [item["id"] for item in envelope["data"]["errors"]["items"]]


def _expected_ids(
    demo_gateway: DemoGateway, envelope: dict[str, Any], extra: str = ""
) -> list[str]:
    rows = demo_gateway.sql(
        "SELECT id::text FROM esbmcp_tool_errors WHERE tool_name = %s"
        " AND created_at >= %s::timestamptz - interval '24 hours'"
        + extra
        + " ORDER BY created_at DESC, id",
        (PROBED_TOOL, envelope["meta"]["generated_at"]),
    )
    return [row[0] for row in rows]


def test_errors_of_a_tool_are_listed_newest_first(
    demo_gateway: DemoGateway, probe_errors: ProbeErrors
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL})

    assert _ids(envelope) == _expected_ids(demo_gateway, envelope)


def test_errors_older_than_the_window_are_left_out(
    demo_gateway: DemoGateway, probe_errors: ProbeErrors
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL, "hours_back": 24})

    assert probe_errors.old not in _ids(envelope)


def test_unresolved_only_leaves_out_resolved_errors(
    demo_gateway: DemoGateway, probe_errors: ProbeErrors
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL, "unresolved_only": True})

    assert _ids(envelope) == _expected_ids(demo_gateway, envelope, " AND NOT resolved")


def test_an_error_carries_its_fields_with_the_message_cut_to_300(
    demo_gateway: DemoGateway, probe_errors: ProbeErrors
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL})

    [error] = [e for e in envelope["data"]["errors"]["items"] if e["id"] == probe_errors.unresolved]
    created_at = error.pop("created_at")
    assert (error, created_at["tz_basis"]) == (
        {
            "id": probe_errors.unresolved,
            "tool_name": PROBED_TOOL,
            "domain": "bot-observability",
            "error_type": "sql_error",
            "error_code": "57014",
            "error_message": "x" * 299 + "…",
            "error_hint": "Narrow the request",
            "arguments_preview": {"hours_back": 24},
            "resolved": False,
            "slack_user_id": "UPROBE",
            "user_role": "ops",
        },
        "display",
    )


@pytest.mark.usefixtures("probe_errors")
def test_the_summary_counts_errors_per_tool_and_type_under_the_filters(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL})

    rows = demo_gateway.sql(
        "SELECT tool_name, error_type, count(*) FROM esbmcp_tool_errors WHERE tool_name = %s"
        " AND created_at >= %s::timestamptz - interval '24 hours'"
        " GROUP BY tool_name, error_type ORDER BY count(*) DESC, tool_name, error_type",
        (PROBED_TOOL, envelope["meta"]["generated_at"]),
    )
    summary = envelope["data"]["summary"]["items"]
    assert [(s["tool_name"], s["error_type"], s["count"]) for s in summary] == rows


@pytest.mark.usefixtures("probe_errors")
def test_unresolved_count_counts_unresolved_errors_under_the_filters(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"tool_name": PROBED_TOOL, "limit": 1})

    expected = _expected_ids(demo_gateway, envelope, " AND NOT resolved")
    assert envelope["data"]["unresolved_count"] == len(expected)


@pytest.mark.parametrize(
    "arguments",
    [
        {"tool_name": "drop_tables"},
        {"unresolved_only": "true"},
        {"limit": 0},
        {"hours_back": 721},
    ],
    ids=["unknown-tool", "string-boolean", "zero-limit", "over-30-days"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
