"""The assistant service as it is deployed and run locally: `create_service_app` over real HTTP
(console in local mode, readiness, health, metrics), and `artbattle-ops ask` as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest

from artbattle_ops.assistant.app import console_mode, create_service_app
from artbattle_ops.config.settings import AssistantSettings, load
from tests.fakes.openai_server import FakeOpenAI
from tests.integration.assistant.conftest import (
    ASSISTANT_USERS,
    SECRET,
    TOKEN,
    Stack,
    assistant_settings,
    served,
    wait_for_rows,
)
from tests.integration.router.test_offline_router_gateway import OWED_SQL

COUNTRY_SQL = "SELECT country FROM artist_profiles WHERE id = %s"
RESTORE_SQL = "UPDATE artist_profiles SET country = %s WHERE id = %s"
OFFLINE = {"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", "OFFLINE_ROUTER_ENABLED": True}
PRODUCTION_SECRETS = {
    "APP_ENV": "production",
    "SUPABASE_DB_URL": "postgresql://ops@db.internal:5432/artbattle",
    "MCP_GATEWAY_AUTH_TOKEN": "prod-token-7d5e0b9c2f4a4e1b8c3d6a9f0e2b4c6d",
    "MCP_REQUEST_SIGNING_SECRET": "prod-signing-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
    "ARGUMENTS_HASH_KEY": "prod-hash-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
}


def owed_names(stack: Stack, eid: str) -> set[str]:
    names = {row[0] for row in stack.sql(OWED_SQL, (eid,))}
    assert names
    return names


def test_the_console_is_served_only_in_local_modes_without_slack() -> None:
    local = load(AssistantSettings, APP_ENV="test")
    with_slack = load(
        AssistantSettings,
        APP_ENV="test",
        SLACK_BOT_TOKEN="xoxb-test-1-2-abc",
        SLACK_SIGNING_SECRET="test-signing-secret-0123456789",
    )
    production = load(AssistantSettings, **PRODUCTION_SECRETS)

    assert (console_mode(local), console_mode(with_slack), console_mode(production)) == (
        True,
        False,
        False,
    )


def test_the_local_service_serves_the_console_over_the_same_pipeline(
    stack: Stack, fake_model: FakeOpenAI
) -> None:
    settings = assistant_settings(stack, fake_model, **OFFLINE)
    expected = owed_names(stack, "AB4001")

    with served(create_service_app(settings)) as url:
        ready = httpx2.get(f"{url}/readyz")
        page = httpx2.get(f"{url}/")
        users = httpx2.get(f"{url}/console/users").json()
        asked = httpx2.post(
            f"{url}/console/ask",
            json={"user": "UFIN", "text": "who still needs to be paid for AB4001"},
            timeout=30,
        ).json()
        metrics = httpx2.get(f"{url}/metrics")
        health = httpx2.get(f"{url}/healthz")

    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ready", "mode": "local console"},
    )
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert {u["user"]: u["role"] for u in users["users"]} == ASSISTANT_USERS
    assert (asked["status"], asked["tools_used"], asked["offline"]) == (
        "completed",
        ["get_artists_owed"],
        True,
    )
    assert all(f"<b>{name}</b>" in asked["html"] or name in asked["text"] for name in expected)
    assert all(name in asked["text"] for name in expected)
    assert metrics.status_code == 200
    assert health.json() == {"status": "ok"}
    rows = wait_for_rows(
        stack,
        "SELECT interaction_type, status FROM esbmcp_chat_sessions WHERE id = %s",
        (asked["session_id"],),
        1,
    )
    assert rows == [("console", "completed")]


def test_without_a_way_to_answer_the_service_is_not_ready_and_says_why(
    stack: Stack, fake_model: FakeOpenAI
) -> None:
    settings = assistant_settings(
        stack, fake_model, OPENAI_BASE_URL="", OPENAI_API_KEY="", OFFLINE_ROUTER_ENABLED=False
    )

    with served(create_service_app(settings)) as url:
        ready = httpx2.get(f"{url}/readyz")

    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unready",
        "reason": "no model endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL)",
    }


def test_with_slack_configured_no_console_is_served(stack: Stack, fake_model: FakeOpenAI) -> None:
    settings = assistant_settings(
        stack,
        fake_model,
        SLACK_BOT_TOKEN="xoxb-test-1-2-abc",
        SLACK_SIGNING_SECRET="test-signing-secret-0123456789",
        SLACK_API_URL="http://127.0.0.1:9/api/",
    )

    with served(create_service_app(settings)) as url:
        page = httpx2.get(f"{url}/")
        unsigned = httpx2.post(f"{url}/slack/events", content=b"{}")

    assert page.status_code == 404
    assert unsigned.status_code == 401


def run_ask(
    tmp_path: Path, env: dict[str, str], *arguments: str
) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "artbattle_ops", "ask", *arguments],
        env=keep | {"DATA_DIR": str(tmp_path)} | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def ask_env(stack: Stack, tmp_path: Path) -> dict[str, str]:
    """What `run` leaves behind: the secrets and the gateway URL in `DATA_DIR/local.env`."""
    (tmp_path / "local.env").write_text(
        f"MCP_GATEWAY_AUTH_TOKEN={TOKEN}\n"
        f"MCP_REQUEST_SIGNING_SECRET={SECRET}\n"
        f"MCP_GATEWAY_URL={stack.gateway_url}\n",
        encoding="utf-8",
    )
    return {
        "APP_ENV": "test",
        "SUPABASE_DB_URL": stack.db_url,
        "RBAC_USER_MAP_JSON": json.dumps(ASSISTANT_USERS),
        "OFFLINE_ROUTER_ENABLED": "true",
        # The directory's other tests ask as the same users; limits are tested elsewhere.
        "RATE_LIMIT_USER_MAX": "10000",
        "RATE_LIMIT_CHANNEL_MAX": "10000",
    }


def test_ask_answers_from_the_terminal_with_the_local_secrets(
    stack: Stack, tmp_path: Path, ask_env: dict[str, str]
) -> None:
    expected = owed_names(stack, "AB4001")

    done = run_ask(tmp_path, ask_env, "Who still needs to be paid for AB4001?", "--user", "UFIN")

    assert done.returncode == 0, done.stderr
    assert all(f"*{name}*" in done.stdout for name in expected)
    assert "tools: get_artists_owed" in done.stdout
    assert "answered by: offline-router" in done.stdout


def test_ask_json_reports_the_session_and_confirms_a_write_when_told(
    stack: Stack, tmp_path: Path, ask_env: dict[str, str]
) -> None:
    [(profile_id, country)] = stack.sql(
        "SELECT id::text, country FROM artist_profiles WHERE superseded_by IS NULL"
        " AND country = 'CA' ORDER BY id DESC LIMIT 1"
    )
    question = f"set the country of artist {profile_id} to IE"
    try:
        preview = run_ask(tmp_path, ask_env, question, "--json", "--user", "UOPS")
        confirmed = run_ask(tmp_path, ask_env, question, "--json", "--confirm", "--user", "UOPS")
        after = stack.sql(COUNTRY_SQL, (profile_id,))
    finally:
        stack.execute(RESTORE_SQL, (country, profile_id))

    unconfirmed: dict[str, Any] = json.loads(preview.stdout)
    done: dict[str, Any] = json.loads(confirmed.stdout)
    assert unconfirmed["confirmation"]["confirmed"] is False
    assert unconfirmed["confirmation"]["tool"] == "update_artist_country"
    assert done["confirmation"]["confirmed"] is True
    assert done["confirmation"]["outcome"].startswith("Done:")
    assert after == [("IE",)]
    rows = stack.sql(
        "SELECT interaction_type FROM esbmcp_chat_sessions WHERE id = ANY(%s::uuid[])",
        ([unconfirmed["session_id"], done["session_id"]],),
    )
    assert rows == [("cli",), ("cli",)]


def test_ask_without_a_gateway_says_how_to_start_one(
    tmp_path: Path, ask_env: dict[str, str]
) -> None:
    done = run_ask(tmp_path, ask_env | {"MCP_GATEWAY_URL": "http://127.0.0.1:9/mcp"}, "hello")

    assert done.returncode == 1
    assert done.stderr.startswith("error: the assistant cannot answer: gateway not reachable")
    assert "make run" in done.stderr
    assert "Traceback" not in done.stderr
