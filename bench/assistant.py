"""The assistant service over real HTTP: Slack acknowledgement latency under 50 concurrent events,
pipeline overhead (request to reply, minus model and tool time), and the service's memory.

The whole service (`artbattle-ops assistant`) runs in its own process, configured by environment
variables like a deployment, against the fake Slack Web API and the fake OpenAI-compatible model
(threads of this process; the model answers at once) and a real gateway process on the demo data.
Every request is a Slack-signed `app_mention` in a channel of its own; the model asks for one
`lookup_event` and then answers, so each reply includes the tool path through the gateway.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import psycopg

from artbattle_ops.cli.database import seed
from artbattle_ops.config.settings import AssistantSettings, env_names
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.target import DatabaseTarget
from artbattle_ops.slack.signature import signature_for
from bench.gateway import SECRET, TOKEN, percentile, start_gateway
from bench.report import write_section
from bench.tools import bench_database
from tests.fakes.openai_server import Answer, FakeOpenAI, calls, last_tool_results, text
from tests.fakes.openai_server import serve_fake_openai as serve_fake_model
from tests.fakes.slack_server import BOT_USER_ID, TEAM_ID, FakeSlack

DATABASE = "artbattle_bench_assistant"
USER = "UBENCH"  # the one user the bench gateway maps to a role (ops)
SIGNING_SECRET = "bench-slack-signing-secret-3c7e9a"
BOT_TOKEN = "xoxb-bench-bot-token-81d2"
CONCURRENCY, ROUNDS, SEQUENTIAL, WARM_UP = 50, 5, 200, 20
REPLY_TIMEOUT_SEC = 60.0
READY_TIMEOUT_SEC = 60.0
ACK_TARGET_MS, OVERHEAD_TARGET_MS, MEMORY_TARGET_MB = 100.0, 20.0, 250.0
ACK_BUCKET = re.compile(
    r'^artbattle_slack_ack_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$', re.M
)
SESSIONS_SQL = """
SELECT slack_event_id, status, total_duration_ms, ai_first_call_ms, ai_followup_ms, tools_called
FROM esbmcp_chat_sessions
WHERE slack_event_id = ANY(%s)
"""


class TimedSlack(FakeSlack):
    """The fake Slack Web API, noting when the first reply to each thread arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.replied_at: dict[str, float] = {}
        self._replied = threading.Condition()

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "chat.postMessage":
            with self._replied:
                self.replied_at.setdefault(str(args.get("thread_ts")), time.perf_counter())
                self._replied.notify_all()
        return super()._answer(method, args)

    def wait_replies(self, threads: Collection[str]) -> dict[str, float]:
        """When each of `threads` got its reply (perf_counter), once all have (bounded)."""
        with self._replied:
            done = self._replied.wait_for(
                lambda: all(t in self.replied_at for t in threads), REPLY_TIMEOUT_SEC
            )
            if not done:
                missing = sum(t not in self.replied_at for t in threads)
                raise RuntimeError(f"{missing} of {len(threads)} requests got no reply")
            return {t: self.replied_at[t] for t in threads}


@dataclass(frozen=True)
class Sent:
    """One event delivery: its ids, when it was sent and when Slack had its acknowledgement."""

    event_id: str
    thread_ts: str
    sent_at: float
    acked_at: float
    status: int

    @property
    def ack_ms(self) -> float:
        return (self.acked_at - self.sent_at) * 1000


@dataclass(frozen=True)
class Session:
    """The durations of a session row (ms): the whole request, its model calls, its tool call."""

    total_ms: int
    model_ms: int
    tool_ms: int


class Deliveries:
    """Signed `app_mention` deliveries to one service, each in a channel and thread of its own."""

    def __init__(self, client: httpx2.AsyncClient, events_url: str, eid: str) -> None:
        self.client = client
        self.events_url = events_url
        self.eid = eid
        self.count = 0

    def next_body(self) -> tuple[bytes, str, str]:
        """The body of a new event, its event id and its thread ts."""
        self.count += 1
        ts, event_id = f"{int(time.time())}.{self.count:06d}", f"EvBENCH{self.count:06d}"
        event = {
            "type": "app_mention",
            "user": USER,
            "text": f"<@{BOT_USER_ID}> what is {self.eid}?",
            "ts": ts,
            "channel": f"CBENCH{self.count:06d}",
        }
        payload = {
            "type": "event_callback",
            "team_id": TEAM_ID,
            "api_app_id": "A0BENCH",
            "event": event,
            "event_id": event_id,
            "event_time": int(time.time()),
        }
        return json.dumps(payload).encode(), event_id, ts

    async def send(self, body: bytes, event_id: str, ts: str) -> Sent:
        """POST one signed delivery; timed from the send to the acknowledgement."""
        stamp = str(int(time.time()))
        headers = {
            "content-type": "application/json",
            "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature_for(SIGNING_SECRET, stamp, body),
        }
        started = time.perf_counter()
        response = await self.client.post(self.events_url, content=body, headers=headers)
        return Sent(event_id, ts, started, time.perf_counter(), response.status_code)

    async def concurrently(self, count: int) -> list[Sent]:
        """`count` deliveries at once (bodies built first)."""
        bodies = [self.next_body() for _ in range(count)]
        return list(await asyncio.gather(*[self.send(*body) for body in bodies]))

    async def one_by_one(self, count: int, slack: TimedSlack) -> list[Sent]:
        """`count` deliveries, each sent once the previous one was answered."""
        sent = []
        for _ in range(count):
            delivery = await self.send(*self.next_body())
            await asyncio.to_thread(slack.wait_replies, [delivery.thread_ts])
            sent.append(delivery)
        return sent


def answer_with_lookup(eid: str) -> Callable[[dict[str, Any]], Answer]:
    """A model step: `lookup_event` on `eid` first, then a short answer from its result."""

    def step(body: dict[str, Any]) -> Answer:
        if last_tool_results(body):
            return text(f"{eid} is in the demo data.")
        return calls(("lookup_event", {"eid": eid}))

    return step


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def service_env(
    db_url: str, gateway_url: str, slack: FakeSlack, model: FakeOpenAI
) -> dict[str, str]:
    """The service's environment: none of this shell's assistant settings, the bench's own."""
    read = env_names(AssistantSettings)
    inherited = {k: v for k, v in os.environ.items() if k not in read}
    return inherited | {
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "SUPABASE_DB_URL": db_url,
        "MCP_GATEWAY_URL": gateway_url,
        "MCP_GATEWAY_AUTH_TOKEN": TOKEN,
        "MCP_REQUEST_SIGNING_SECRET": SECRET,
        "RBAC_USER_MAP_JSON": json.dumps({USER: "ops"}),
        "OPENAI_BASE_URL": model.url,
        "OPENAI_API_KEY": "sk-bench-fake-model-key-2b9d",
        "OPENAI_MODEL": "gpt-4o-mini",
        "OFFLINE_ROUTER_ENABLED": "false",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        # One user and up to 50 requests at once: the limits would refuse most of them.
        "RATE_LIMIT_USER_MAX": "1000000",
        "RATE_LIMIT_CHANNEL_MAX": "1000000",
    }


@contextmanager
def running_service(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`artbattle-ops assistant` until the block ends; yields its base URL and pid once ready."""
    port = free_port()
    command = [sys.executable, "-m", "artbattle_ops", "assistant", "--port", str(port)]
    with tempfile.TemporaryDirectory() as cwd:  # no stray .env file is read
        process = subprocess.Popen(command, env=env, cwd=cwd)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(f"{url}/readyz", process)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=60)


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll `url` (bounded) until it answers 200."""
    deadline = time.monotonic() + READY_TIMEOUT_SEC
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the assistant exited with status {process.returncode}")
        try:
            if httpx2.get(url, timeout=1.0).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the assistant was not ready in time")


def sessions(db_url: str, event_ids: list[str]) -> dict[str, Session]:
    """The session rows of `event_ids`, once the service's writer has flushed them (bounded)."""
    deadline = time.monotonic() + REPLY_TIMEOUT_SEC
    with psycopg.connect(db_url, autocommit=True) as conn:
        while True:
            rows = conn.execute(SESSIONS_SQL, (event_ids,)).fetchall()
            if len(rows) == len(event_ids) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    found = {row[0]: _session(row) for row in rows}
    if len(found) < len(event_ids):
        raise RuntimeError(f"{len(event_ids) - len(found)} session rows were not written")
    return found


def _session(row: tuple[Any, ...]) -> Session:
    event_id, status, total_ms, first_ms, followup_ms, tools = row
    outcomes = [entry["outcome"] for entry in tools]
    if status != "completed" or outcomes != ["executed"]:
        raise RuntimeError(f"{event_id} did not take the tool path: {status}, {outcomes}")
    tool_ms = sum(int(entry["duration_ms"]) for entry in tools)
    return Session(total_ms, (first_ms or 0) + (followup_ms or 0), tool_ms)


@dataclass(frozen=True)
class Breakdown:
    """Per request (ms): request to reply, model, tools, overhead, and overhead in the core."""

    reply: list[float]
    model: list[float]
    tools: list[float]
    overhead: list[float]
    core_overhead: list[float]


def breakdown(
    sent: list[Sent], replied_at: dict[str, float], rows: dict[str, Session]
) -> Breakdown:
    """Request to reply minus the session's model and tool time, for each request."""
    reply = [(replied_at[s.thread_ts] - s.sent_at) * 1000 for s in sent]
    model = [float(rows[s.event_id].model_ms) for s in sent]
    tools = [float(rows[s.event_id].tool_ms) for s in sent]
    core = [float(rows[s.event_id].total_ms) for s in sent]
    return Breakdown(
        reply,
        model,
        tools,
        [r - m - t for r, m, t in zip(reply, model, tools, strict=True)],
        [c - m - t for c, m, t in zip(core, model, tools, strict=True)],
    )


@dataclass(frozen=True)
class Figures:
    """What one run measured."""

    acks: list[float]
    sequential: Breakdown
    concurrent: Breakdown
    served: dict[str, float]
    rss_mib: float
    peak_mib: float


@dataclass(frozen=True)
class Run:
    """The deliveries of one run, the service's own ack histogram over the concurrent rounds
    (bucket bound to count), and its memory at the end."""

    sequential: list[Sent]
    concurrent: list[Sent]
    served: dict[str, float]
    rss_mib: float
    peak_mib: float


async def drive(url: str, pid: int, slack: TimedSlack, eid: str) -> Run:
    """Warm up, then the sequential requests, then the concurrent rounds."""
    limits = httpx2.Limits(
        max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY, keepalive_expiry=60
    )
    async with httpx2.AsyncClient(limits=limits, timeout=30.0) as client:
        deliveries = Deliveries(client, f"{url}/slack/events", eid)
        await deliveries.one_by_one(WARM_UP, slack)
        await answered(deliveries.concurrently(CONCURRENCY), slack)

        sequential = await deliveries.one_by_one(SEQUENTIAL, slack)
        before = await ack_histogram(client, url)
        rounds = [
            await answered(deliveries.concurrently(CONCURRENCY), slack) for _ in range(ROUNDS)
        ]
        after = await ack_histogram(client, url)
    concurrent = [s for batch in rounds for s in batch]
    served = {bound: count - before.get(bound, 0.0) for bound, count in after.items()}
    return Run(sequential, concurrent, served, memory_mib(pid, "VmRSS"), memory_mib(pid, "VmHWM"))


async def ack_histogram(client: httpx2.AsyncClient, url: str) -> dict[str, float]:
    """The service's `artbattle_slack_ack_duration_seconds` buckets, from its /metrics."""
    response = await client.get(f"{url}/metrics")
    return {bound: float(count) for bound, count in ACK_BUCKET.findall(response.text)}


async def answered(batch: Awaitable[list[Sent]], slack: TimedSlack) -> list[Sent]:
    """The deliveries of `batch`, once each was acknowledged with 200 and answered."""
    sent = await batch
    refused = [s.status for s in sent if s.status != 200]
    if refused:
        raise RuntimeError(f"{len(refused)} deliveries were refused: {sorted(set(refused))}")
    await asyncio.to_thread(slack.wait_replies, [s.thread_ts for s in sent])
    return sent


def figures_of(run: Run, slack: TimedSlack, db_url: str) -> Figures:
    """The run's latencies, with the model and tool time of each request's session row."""

    def split(sent: list[Sent]) -> Breakdown:
        replied = slack.wait_replies([s.thread_ts for s in sent])
        return breakdown(sent, replied, sessions(db_url, [s.event_id for s in sent]))

    acks = [s.ack_ms for s in run.concurrent]
    sequential, concurrent = split(run.sequential), split(run.concurrent)
    return Figures(acks, sequential, concurrent, run.served, run.rss_mib, run.peak_mib)


def memory_mib(pid: int, field: str) -> float:
    """A memory figure of `pid` from /proc (VmRSS, VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure() -> tuple[Figures, str]:
    """Set up the database, gateway, fakes and service; drive them; returns the figures and
    a description of the database server."""
    db_url, embedded = bench_database(DATABASE)
    with psycopg.connect(db_url, autocommit=True) as conn:
        migrate(conn)
        version = conn.execute("SHOW server_version").fetchone()
    fixtures = seed(DatabaseTarget(db_url, "bench"), "demo", 1, None)["fixtures"]
    eid = str(fixtures["healthy_event"]["eid"])
    port = free_port()
    gateway = start_gateway(db_url, port, bench_handler=False)
    try:
        with ExitStack() as stack:
            slack = TimedSlack()
            stack.enter_context(slack)
            model = stack.enter_context(serve_fake_model())
            model.script(*[answer_with_lookup(eid)] * 2 * requests_total())
            env = service_env(db_url, f"http://127.0.0.1:{port}/mcp", slack, model)
            url, pid = stack.enter_context(running_service(env))
            outcome = asyncio.run(drive(url, pid, slack, eid))
            figures = figures_of(outcome, slack, db_url)
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
        if embedded is not None:
            embedded.stop()
    server = f"PostgreSQL {version[0] if version else '?'}" + (", embedded" if embedded else "")
    return figures, server


def requests_total() -> int:
    return WARM_UP + SEQUENTIAL + CONCURRENCY * (ROUNDS + 1)


def row(label: str, values: list[float], target: str = "") -> str:
    """One table line: p50, p99 and max of `values` (ms)."""
    cells = [statistics.median(values), percentile(values, 99), max(values)]
    return f"| {label} | " + " | ".join(f"{v:.1f}" for v in cells) + f" | {target} |"


def verdict(figure: float, target: float) -> str:
    return f"< {target:.0f} ({'met' if figure < target else 'missed'})"


def served_line(served: dict[str, float]) -> str:
    """What the service's own histogram says about the same acknowledgements."""
    total = served.get("+Inf", 0.0)
    return (
        "The same acknowledgements as the service times them (its "
        "`artbattle_slack_ack_duration_seconds` histogram, from the events endpoint being "
        f"called to its response): {served.get('0.05', 0.0):.0f} of {total:.0f} within 50 ms, "
        f"{served.get('0.1', 0.0):.0f} within 100 ms, {served.get('0.25', 0.0):.0f} within 250 ms."
    )


def method(server: str, load: tuple[float, float]) -> list[str]:
    """The section's description of what was measured, and how."""
    return [
        "The whole service (`artbattle-ops assistant`, its own process, default pool sizes) "
        "over real HTTP: Slack-signed `app_mention` events, each in a channel of its own, "
        "from one user (rate limits raised). The fake Slack Web API and the fake model run "
        "as threads of the bench process; the model answers at once, asking first for "
        "`lookup_event` on a demo EID, which goes through the real gateway (its own process) "
        f"on the demo data ({server}). Latencies in ms. One-minute load average {load[0]:.2f} "
        f"before the run and {load[1]:.2f} after (other work shares the machine).",
        "",
        "- **ack**: from sending `POST /slack/events` to its HTTP response, "
        f"{ROUNDS} rounds of {CONCURRENCY} sent at once (after a warm-up round).",
        "- **request to reply**: from sending the POST to the fake Slack receiving the "
        "`chat.postMessage` in the event's thread.",
        "- **overhead** = request to reply − model time (`ai_first_call_ms` + "
        "`ai_followup_ms` of the session row: the service's wall time of its two model "
        "calls, client library included) − tool time (Σ `tools_called[].duration_ms`: the "
        "service's wall time of its one `tools/call`). Setting up the request's MCP session "
        "and its `tools/list` are not tool calls, so they count as overhead. The columns are "
        "whole ms, truncated, so the overhead can read up to 3 ms high. **in the core** is "
        "the same subtraction from `total_duration_ms` (from the core taking the request to "
        "the reply being posted: no acknowledgement, claim or user lookup).",
        f"- **sequential**: {SEQUENTIAL} requests one at a time (after {WARM_UP}), each "
        f"sent once the previous one was answered; **concurrent**: the {ROUNDS} × "
        f"{CONCURRENCY} requests of the ack rounds.",
    ]


def table(figures: Figures) -> list[str]:
    """The figures, with the targets of issue 6."""
    seq, conc = figures.sequential, figures.concurrent
    ack_target = f"p99 {verdict(percentile(figures.acks, 99), ACK_TARGET_MS)}"
    overhead_target = f"p50 {verdict(statistics.median(seq.overhead), OVERHEAD_TARGET_MS)}"
    return [
        "| measure | p50 | p99 | max | target |",
        "|---|---:|---:|---:|---:|",
        row(f"ack, {CONCURRENCY} concurrent", figures.acks, ack_target),
        row("request to reply, sequential", seq.reply),
        row("model time, sequential", seq.model),
        row("tool time, sequential", seq.tools),
        row("**overhead, sequential**", seq.overhead, overhead_target),
        row("overhead in the core, sequential", seq.core_overhead),
        row(f"request to reply, {CONCURRENCY} concurrent", conc.reply),
        row(f"model time, {CONCURRENCY} concurrent", conc.model),
        row(f"tool time, {CONCURRENCY} concurrent", conc.tools),
        row(f"overhead, {CONCURRENCY} concurrent", conc.overhead),
    ]


def memory_line(figures: Figures) -> str:
    peak_mb = figures.peak_mib * 1024 * 1024 / 1e6
    met = "met" if peak_mb < MEMORY_TARGET_MB else "missed"
    return (
        f"Service memory after the run: {figures.rss_mib:,.0f} MiB resident (VmRSS), peak "
        f"{figures.peak_mib:,.0f} MiB (VmHWM) = {peak_mb:,.0f} MB; target under "
        f"{MEMORY_TARGET_MB:.0f} MB ({met})."
    )


def run() -> None:
    """Measure and record the `assistant` section."""
    load_before = os.getloadavg()[0]
    figures, server = measure()
    load = (load_before, os.getloadavg()[0])
    body = "\n".join(
        [
            "## Assistant service (issue 6)",
            "",
            *method(server, load),
            "",
            *table(figures),
            "",
            served_line(figures.served),
            "",
            memory_line(figures),
        ]
    )
    write_section("assistant", body)
    print(body)
