"""Health, readiness, metrics, transport refusals and the operator `call` command."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from typing import Any

import httpx2

from artbattle_ops.gateway.signing import sign_request
from tests.integration.gateway_app.conftest import (
    SECRET,
    TOKEN,
    Harness,
    gateway_process,
    gateway_settings,
    process_env,
    serve,
    serve_process,
)


def base(url: str) -> str:
    return url.removesuffix("/mcp")


async def test_healthz_answers_without_dependencies(gateway: Harness) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.get(base(gateway.url) + "/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_is_ready_on_a_migrated_database(gateway: Harness) -> None:
    async with httpx2.AsyncClient() as http:
        response = await http.get(base(gateway.url) + "/readyz")

    assert (response.status_code, response.json()["status"]) == (200, "ready")


async def test_readyz_names_missing_migrations(database_url: str, stand_in_handlers: None) -> None:
    async with serve(gateway_settings(database_url)) as url, httpx2.AsyncClient() as http:
        response = await http.get(base(url) + "/readyz")

    assert response.status_code == 503
    assert "migrations not applied" in response.json()["reason"]


async def test_readyz_and_mcp_answer_503_when_the_database_is_unreachable(
    stand_in_handlers: None,
) -> None:
    settings = gateway_settings(
        "postgresql://postgres@127.0.0.1:1/postgres", DB_CONNECT_TIMEOUT_SEC=2
    )
    async with serve(settings) as url, httpx2.AsyncClient() as http:
        ready = await http.get(base(url) + "/readyz")
        mcp = await http.post(url, content=b"{}")

    assert (ready.status_code, mcp.status_code) == (503, 503)
    assert ready.json()["reason"].startswith("database unavailable")


async def test_metrics_count_tool_calls_and_expose_the_writer(gateway: Harness) -> None:
    await gateway.call("lookup_event", {"eid": "AB4001"})

    async with httpx2.AsyncClient() as http:
        text = (await http.get(base(gateway.url) + "/metrics")).text

    assert 'artbattle_gateway_tool_calls_total{outcome="executed",tool="lookup_event"}' in text
    assert "artbattle_observability_queue_depth_rows" in text
    assert 'artbattle_gateway_db_pool_connections{state="size"}' in text


def signed(body: bytes, secret: bytes = SECRET, token: str = TOKEN) -> dict[str, str]:
    return {
        "authorization": f"Bearer {token}",
        "content-type": "application/json",
        "accept": "application/json, text/event-stream",
        **sign_request(secret, "POST", "/mcp", body),
    }


PING = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {}}).encode()


async def post(url: str, body: bytes, headers: dict[str, str]) -> httpx2.Response:
    async with httpx2.AsyncClient() as http:
        return await http.post(url, content=body, headers=headers)


async def test_wrong_token_is_401_and_audited(gateway: Harness) -> None:
    response = await post(gateway.url, PING, signed(PING, token="not-the-token"))

    assert response.status_code == 401
    rows = await gateway.wait_rows(
        "SELECT detail->>'reason' FROM esbmcp_audit_log WHERE event_type = 'signature_denied'"
    )
    assert rows == [("invalid_bearer_token",)]


async def test_replayed_request_is_refused(gateway: Harness) -> None:
    headers = signed(PING)

    first = await post(gateway.url, PING, headers)
    second = await post(gateway.url, PING, headers)

    assert (first.status_code, second.status_code) == (200, 401)


async def test_tampered_body_is_refused(gateway: Harness) -> None:
    headers = signed(PING)
    tampered = PING.replace(b'"id": 1', b'"id": 2')

    response = await post(gateway.url, tampered, headers)

    assert response.status_code == 401


async def test_oversized_body_is_413_before_authentication(gateway: Harness) -> None:
    response = await post(gateway.url, b"x" * 200_000, {"content-type": "application/json"})

    assert response.status_code == 413


async def test_replay_cache_is_shared_with_a_second_gateway_process(
    migrated_url: str, stand_in_handlers: None
) -> None:
    headers = signed(PING)
    async with (
        serve(gateway_settings(migrated_url)) as first,
        serve_process(process_env(migrated_url)) as second,
    ):
        accepted = await post(first, PING, headers)
        replayed = await post(second, PING, headers)

    assert (accepted.status_code, replayed.status_code) == (200, 401)


async def run_cli(*args: str, url: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "APP_ENV": "test",
        "MCP_GATEWAY_URL": url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET.decode(),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "artbattle_ops",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode()


async def test_operator_call_prints_the_envelope(gateway: Harness) -> None:
    code, output = await run_cli(
        "call", "lookup_event", "eid=AB4001", "--user", "UOPS", url=gateway.url
    )

    envelope: dict[str, Any] = json.loads(output)
    assert (code, envelope["ok"], envelope["tool"]) == (0, True, "lookup_event")


async def test_operator_call_exits_3_on_a_tool_error(gateway: Harness) -> None:
    code, output = await run_cli(
        "call", "lookup_event", "eid=AB9999", "--user", "UOPS", url=gateway.url
    )

    assert (code, json.loads(output)["error"]["code"]) == (3, "not_found")


async def test_operator_call_records_a_cli_interaction(gateway: Harness) -> None:
    await run_cli("call", "lookup_event", "eid=AB4001", "--user", "UOPS", url=gateway.url)

    rows = await gateway.wait_rows("SELECT slack_user_id FROM esbmcp_tool_executions")

    assert rows == [("UOPS",)]


async def test_caller_that_goes_away_cancels_its_query(gateway: Harness) -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 7,
            "method": "tools/call",
            "params": {
                "name": "lookup_event",
                "arguments": {"eid": "AB5555"},
                "_meta": {"artbattle/slack_user_id": "UOPS"},
            },
        }
    ).encode()
    async with httpx2.AsyncClient(timeout=1.0) as http:
        request = asyncio.create_task(http.post(gateway.url, content=body, headers=signed(body)))
        started = await wait_for_rows(gateway, SLEEPING, present=True)
        with contextlib.suppress(httpx2.TimeoutException):
            await request

    assert started != []
    # Without cancellation the statement would run on to its 5 s end (or the 8 s timeout).
    assert await wait_for_rows(gateway, SLEEPING, present=False, seconds=2.5) == []


async def wait_for_rows(
    gateway: Harness, query: str, *, present: bool, seconds: float = 5
) -> list[tuple[Any, ...]]:
    """Poll until `query` returns rows (present) or none (absent), for at most `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    rows = gateway.rows(query)
    while bool(rows) != present and loop.time() < deadline:
        await asyncio.sleep(0.05)
        rows = gateway.rows(query)
    return rows


SLEEPING = (
    "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(5)%%' "
    "AND state = 'active' AND datname = current_database()"
)


async def test_sigterm_finishes_the_request_in_flight_and_flushes_its_rows(
    migrated_url: str, stand_in_handlers: None
) -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 8,
            "method": "tools/call",
            "params": {
                "name": "lookup_event",
                "arguments": {"eid": "AB5555"},
                "_meta": {"artbattle/slack_user_id": "UOPS"},
            },
        }
    ).encode()
    harness = Harness("", migrated_url)
    async with gateway_process(process_env(migrated_url)) as gateway:
        async with httpx2.AsyncClient(timeout=30) as http:
            request = asyncio.create_task(
                http.post(gateway.url, content=body, headers=signed(body))
            )
            await wait_for_rows(harness, SLEEPING, present=True)
            gateway.process.terminate()
            response = await request
        exit_code = await asyncio.wait_for(gateway.process.wait(), timeout=30)

    assert (response.status_code, response.json()["result"]["structuredContent"]["ok"]) == (
        200,
        True,
    )
    assert exit_code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once drained
    assert harness.rows("SELECT count(*) FROM esbmcp_tool_executions") == [(1,)]
