"""`artbattle-ops run` start-up: the first start on an empty data directory (embedded server,
migrations, demo data) and later starts on existing data, each timed until all three processes
answer `/readyz`, and the resident memory of the whole stack once it is ready."""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from bench.report import write_section

RESTARTS = 3
READY_TIMEOUT_SEC = 300.0
TARGET_RESTART_SEC = 10.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(urls: list[str]) -> bool:
    try:
        return all(httpx2.get(url, timeout=1.0).status_code == 200 for url in urls)
    except httpx2.HTTPError:
        return False


def _rss_mib(pid: int) -> float:
    """Resident memory of `pid` (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_once(data_dir: Path) -> tuple[float, float]:
    """Seconds from launch until every process is ready, and the stack's memory then (MiB)."""
    ports = {"--gateway-port": _free_port(), "--edge-port": _free_port()}
    ports["--assistant-port"] = _free_port()
    urls = [
        f"http://127.0.0.1:{ports['--gateway-port']}/readyz",
        f"http://127.0.0.1:{ports['--edge-port']}/healthz",
        f"http://127.0.0.1:{ports['--assistant-port']}/readyz",
    ]
    arguments = [item for option, port in ports.items() for item in (option, str(port))]
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SLACK_"))}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "artbattle_ops", "run", *arguments],
        env=keep | {"DATA_DIR": str(data_dir)},
        cwd=data_dir.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not _ready(urls):
            if process.poll() is not None:
                raise RuntimeError(
                    f"run exited early: {process.stderr.read() if process.stderr else ''}"
                )
            if time.perf_counter() - started > READY_TIMEOUT_SEC:
                raise RuntimeError("run was not ready in time")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        memory = _rss_mib(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    return elapsed, memory


def run() -> None:
    """Time a first start and `RESTARTS` later starts; write the figures."""
    with tempfile.TemporaryDirectory(prefix="ab-local-start-") as tmp:
        data_dir = Path(tmp) / ".data"
        first, _ = start_once(data_dir)
        later = [start_once(data_dir) for _ in range(RESTARTS)]
    restarts = [seconds for seconds, _ in later]
    memory = max(mib for _, mib in later)
    worst = max(restarts)
    verdict = "met" if worst < TARGET_RESTART_SEC else "missed"
    body = f"""## Local start (issue 7)

`artbattle-ops run` in a fresh process, timed from launch until the gateway's and the assistant's
`/readyz` and the emulator's `/healthz` answer 200 (the offline router answers; no model). The
embedded PostgreSQL runs as its own processes and is not in the memory figure.

| measure | figure | target |
|---|---:|---:|
| first start: embedded server, migrations, demo data (s) | {first:.1f} | |
| later start on existing data, median of {RESTARTS} (s) | {statistics.median(restarts):.1f} | |
| later start, slowest (s) | {worst:.1f} | < {TARGET_RESTART_SEC:.0f} ({verdict}) |
| `run` process memory once ready: gateway, emulator and assistant (VmRSS, MiB) | {memory:.0f} | |
"""
    write_section("local-start", body)
    print(body)
