"""get_bot_sessions (tools.md §8.2) over esbmcp_chat_sessions rows of one probe user."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_bot_sessions"
# Published price of gpt-4o-mini in USD per million input and output tokens.
MINI_PRICE = (0.15, 0.60)

INSERT_SESSION = """
INSERT INTO esbmcp_chat_sessions (id, request_id, slack_user_id, slack_username, user_role,
    interaction_type, user_prompt, ai_model, tools_called, tool_call_count, status,
    error_message, error_id, total_duration_ms, prompt_tokens, completion_tokens, total_tokens,
    service_version, created_at)
VALUES (%(id)s, 'probe', %(user)s, 'probe.user', 'ops', 'app_mention', %(prompt)s, %(model)s,
    %(tools)s, %(tool_count)s, %(status)s, %(error)s, %(error_id)s, %(duration)s, %(prompt_tokens)s,
    %(completion_tokens)s, %(prompt_tokens)s + %(completion_tokens)s, 'test',
    now() - %(age)s::interval)
"""


@dataclass(frozen=True)
class ProbeSessions:
    """One probe user's sessions, newest first: completed, error, unpriced model, old denied."""

    user_id: str
    completed: str
    error: str
    unpriced: str
    old: str


def _session(user: str, row_id: str, status: str, age: str, **values: Any) -> dict[str, Any]:
    tools = values.get("tools", [])
    return {
        "id": row_id,
        "user": user,
        "status": status,
        "age": age,
        "prompt": values.get("prompt", "How did AB4001 go?"),
        "model": values.get("model"),
        "tools": json.dumps([{"tool_name": name} for name in tools]),
        "tool_count": len(tools),
        "error": values.get("error"),
        "error_id": values.get("error_id"),
        "duration": values.get("duration", 1000),
        "prompt_tokens": values.get("prompt_tokens", 0),
        "completion_tokens": values.get("completion_tokens", 0),
    }


@pytest.fixture
def probe_sessions(demo_gateway: DemoGateway) -> Iterator[ProbeSessions]:
    """Four sessions of a fresh user id; deleted after the test."""
    user = f"UPROBE{uuid.uuid4().hex[:8].upper()}"
    ids = ProbeSessions(user, *(str(uuid.uuid4()) for _ in range(4)))
    rows = [
        _session(
            user,
            ids.completed,
            "completed",
            "5 minutes",
            prompt="p" * 200,
            model="gpt-4o-mini",
            tools=["lookup_event", "get_event_summary", "lookup_event"],
            prompt_tokens=1000,
            completion_tokens=500,
            duration=1200,
        ),
        _session(
            user,
            ids.error,
            "error",
            "10 minutes",
            model="gpt-4o-mini",
            error="RuntimeError: boom",
            error_id="err_probe_1",
            prompt_tokens=3000,
            completion_tokens=1000,
            duration=801,
        ),
        _session(
            user,
            ids.unpriced,
            "completed",
            "15 minutes",
            model="mystery-model",
            prompt_tokens=100,
            completion_tokens=50,
            duration=2000,
        ),
        _session(user, ids.old, "denied", "2 days", error="no_role"),
    ]
    with psycopg.connect(demo_gateway.demo.url) as conn:
        for row in rows:
            conn.execute(INSERT_SESSION, row)
    yield ids
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute("DELETE FROM esbmcp_chat_sessions WHERE slack_user_id = %s", (user,))


def _ids(envelope: dict[str, Any]) -> list[str]:
    return [item["id"] for item in envelope["data"]["sessions"]["items"]]


def test_a_users_sessions_of_the_window_are_listed_newest_first(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id})

    assert _ids(envelope) == [
        probe_sessions.completed,
        probe_sessions.error,
        probe_sessions.unpriced,
    ]


def test_a_longer_window_includes_older_sessions(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id, "hours_back": 72})

    assert envelope["data"]["sessions"]["total"] == 4


def test_a_session_shows_a_prompt_preview_and_the_tools_it_called(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id})

    first = envelope["data"]["sessions"]["items"][0]
    assert (first["prompt_preview"], first["tools"], first["tool_call_count"]) == (
        "p" * 119 + "…",
        ["lookup_event", "get_event_summary"],
        3,
    )


def test_the_status_filter_applies_to_the_list_and_the_stats(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id, "status": "ERROR"})

    stats = envelope["data"]["stats"]["items"]
    assert (_ids(envelope), stats) == (
        [probe_sessions.error],
        [{"status": "error", "sessions": 1, "avg_duration_ms": 801, "avg_tool_calls": 0.0}],
    )


def test_stats_average_duration_and_tool_calls_per_status(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id})

    stats = {s["status"]: s for s in envelope["data"]["stats"]["items"]}
    assert stats["completed"] == {
        "status": "completed",
        "sessions": 2,
        "avg_duration_ms": 1600,
        "avg_tool_calls": 1.5,
    }


def test_token_cost_is_computed_per_model_from_the_price_table(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id})

    cost = round((4000 * MINI_PRICE[0] + 1500 * MINI_PRICE[1]) / 1_000_000, 6)
    tokens = envelope["data"]["tokens"]
    assert (tokens["by_model"]["items"][0], tokens["total_estimated_cost_usd"]) == (
        {
            "model": "gpt-4o-mini",
            "prompt_tokens": 4000,
            "completion_tokens": 1500,
            "estimated_cost_usd": cost,
        },
        cost,
    )


def test_a_model_missing_from_the_price_table_has_no_cost(
    demo_gateway: DemoGateway, probe_sessions: ProbeSessions
) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": probe_sessions.user_id})

    tokens = envelope["data"]["tokens"]
    by_model = {m["model"]: m for m in tokens["by_model"]["items"]}
    assert (by_model["mystery-model"]["estimated_cost_usd"], tokens["unpriced_models"]) == (
        None,
        ["mystery-model"],
    )


def test_an_unknown_user_has_no_sessions(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"user_id": "UNOBODY0000"})

    assert envelope["data"]["sessions"]["total"] == 0


@pytest.mark.parametrize(
    "arguments",
    [{"status": "failed"}, {"limit": 51}, {"hours_back": 0}, {"user_id": 42}],
    ids=["unknown-status", "limit-over-50", "zero-hours", "numeric-user"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="finance")

    assert envelope["error"]["code"] == "role_denied"
