"""Gateway overhead: a cheap read as direct SQL versus through the signed MCP gateway.

One run measures, on the demo data: the query through the driver (the same read-only
transaction and statement timeout a tool uses), and the same query as a tool call through the
gateway (bearer token, HMAC signature, replay cache, role and cap checks, audit), with 1 and with
16 concurrent clients. The gateway runs in its own process so its peak memory is its own.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import psycopg

from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.embedded import EmbeddedPostgres
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.pool import open_database
from artbattle_ops.db.target import DatabaseTarget
from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from bench.report import write_section

QUERY = "SELECT currency_code, rate_to_usd FROM exchange_rates ORDER BY currency_code"
TOKEN = "bench-token-7d1f0c9b2e4a"
SECRET = "bench-secret-5a8e3c1d9f2b"
CALLS = {1: 400, 16: 3200}

# The gateway process registers a bench handler for get_exchange_rates (the real one lands with
# the payments domain) that runs exactly QUERY.
SERVER = f"""
import sys, uvicorn
from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.app import create_app
from artbattle_ops.tools.registry import READ_HANDLERS, load_handlers

async def rates(call):
    rows = await call.db.fetch_all({QUERY!r})
    block = {{"items": rows, "count": len(rows), "total": len(rows), "truncated": False}}
    return {{"rates": block}}

load_handlers()  # the real modules first, so the bench handler replaces any real one
READ_HANDLERS["get_exchange_rates"] = rates
uvicorn.run(create_app(load(GatewaySettings)), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning", access_log=False)
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def measure(
    call: Callable[[], Awaitable[None]], clients: int, total: int
) -> tuple[list[float], float]:
    """Latencies (ms) of `total` calls spread over `clients` concurrent loops, and calls/s."""
    latencies: list[float] = []

    async def loop(count: int) -> None:
        for _ in range(count):
            started = time.perf_counter()
            await call()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*[loop(total // clients) for _ in range(clients)])
    return latencies, len(latencies) / (time.perf_counter() - started)


async def direct(url: str, clients: int) -> tuple[list[float], float]:
    settings = load(CommonSettings, APP_ENV="test", DB_POOL_MAX_SIZE=max(clients, 2))
    database = await open_database(url, settings)

    async def call() -> None:
        await database.fetch_all(QUERY)

    try:
        await measure(call, clients, clients * 20)  # warm-up
        return await measure(call, clients, CALLS[clients])
    finally:
        await database.close()


async def through_gateway(url: str, clients: int) -> tuple[list[float], float]:
    caller = CallerMeta(slack_user_id="UBENCH")
    async with AsyncExitStack() as stack:
        queue = [
            await stack.enter_async_context(gateway_session(url, TOKEN, SECRET.encode()))
            for _ in range(clients)
        ]
        for client in queue:  # the SDK validates results against the listing it holds
            await list_tools(client, caller)

        async def call() -> None:
            client = queue.pop()
            try:
                body = await call_tool(client, "get_exchange_rates", {}, caller)
                assert body["ok"], body
            finally:
                queue.append(client)

        await measure(call, clients, clients * 20)
        return await measure(call, clients, CALLS[clients])


PLAIN_SERVER = """
import os, pickle, sys, uvicorn
from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.app import create_app
from artbattle_ops.gateway.transaction import ConnectionTransaction

record_to = os.environ.get("BENCH_STATEMENTS")
if record_to:  # record each handler statement (text and values) for EXPLAIN by the bench
    plain_fetch_all = ConnectionTransaction.fetch_all

    async def recording_fetch_all(self, query, params=None):
        with open(record_to, "ab") as out:
            pickle.dump((query, params), out)
        return await plain_fetch_all(self, query, params)

    ConnectionTransaction.fetch_all = recording_fetch_all
uvicorn.run(create_app(load(GatewaySettings)), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning", access_log=False)
"""


def start_gateway(
    db_url: str,
    port: int,
    *,
    bench_handler: bool = True,
    record_to: Path | None = None,
    settings: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """A gateway process on `db_url`, ready; `settings` adds to or overrides its environment."""
    env = {
        **os.environ,
        "APP_ENV": "test",
        "SUPABASE_DB_URL": db_url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET,
        "RBAC_USER_MAP_JSON": '{"UBENCH": "ops"}',
        "DB_POOL_MAX_SIZE": "16",
        "LOG_LEVEL": "WARNING",
    }
    env |= settings or {}
    if record_to is not None:
        env["BENCH_STATEMENTS"] = str(record_to)
    script = SERVER if bench_handler else PLAIN_SERVER
    process = subprocess.Popen([sys.executable, "-c", script, str(port)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            import urllib.request

            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gateway did not become ready")


def table_row(
    clients: int, sql_lat: list[float], sql_rate: float, gw_lat: list[float], gw_rate: float
) -> str:
    """One line of the results table."""
    sql_p50, gw_p50 = statistics.median(sql_lat), statistics.median(gw_lat)
    cells = [
        str(clients),
        f"{sql_p50:.2f}",
        f"{percentile(sql_lat, 99):.2f}",
        f"{sql_rate:,.0f}",
        f"{gw_p50:.2f}",
        f"{percentile(gw_lat, 99):.2f}",
        f"{gw_rate:,.0f}",
        f"{gw_p50 - sql_p50:+.2f}",
        f"{gw_p50 / sql_p50:.1f}x",
    ]
    return "| " + " | ".join(cells) + " |"


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run() -> None:
    """Measure and record the `gateway` section."""
    from artbattle_ops.cli.database import seed as seed_demo

    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedPostgres(Path(folder) / "pg")
        url = server.start()
        with psycopg.connect(url, autocommit=True) as conn:
            migrate(conn)
        seed_demo(DatabaseTarget(url, "embedded"), "demo", 1, None)
        port = 18081
        gateway = start_gateway(url, port)
        try:
            rows = []
            for clients in (1, 16):
                sql_lat, sql_rate = asyncio.run(direct(url, clients))
                mcp_url = f"http://127.0.0.1:{port}/mcp"
                gw_lat, gw_rate = asyncio.run(through_gateway(mcp_url, clients))
                rows.append(table_row(clients, sql_lat, sql_rate, gw_lat, gw_rate))
            memory = peak_rss_mib(gateway.pid)
        finally:
            gateway.terminate()
            gateway.wait(timeout=30)
            server.stop()

    body = "\n".join(
        [
            "## Gateway overhead (issue 3)",
            "",
            "A cheap read (`get_exchange_rates` over 9 rows) as direct SQL through the driver "
            "(read-only transaction with its statement timeout) and as a tool call through the "
            "gateway (bearer, HMAC signature, replay cache, role, cap, audit writer), on the demo "
            "data, embedded PostgreSQL 16. Latencies in ms.",
            "",
            "| clients | SQL p50 | SQL p99 | SQL calls/s | gateway p50 | gateway p99 | "
            "gateway calls/s | p50 overhead | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Gateway peak resident memory: {memory:,.0f} MiB (target under 200 MiB). Targets: "
            "p50 overhead at most 3 ms; at least 500 calls/s with 16 clients.",
        ]
    )
    write_section("gateway", body)
    print(body)
