"""Seeding and embedded-server benchmarks: generate and load times, generator memory, restarts."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from artbattle_ops.cli.database import seed
from artbattle_ops.db.embedded import EmbeddedPostgres
from artbattle_ops.db.target import DatabaseTarget
from bench.report import write_section

MEMORY_PROBE = """
import resource, sys
from artbattle_ops.demo.generator import generate
generate(sys.argv[1], 1)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def generator_peak_mib(scale: str) -> float:
    """Peak resident memory of a process that only generates `scale` data."""
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, scale],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def database_mib(url: str) -> float:
    """Size of the current database."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return float(row[0]) / 2**20


def restart_seconds(data_dir: Path, runs: int = 5) -> list[float]:
    """Start-to-ready times of the embedded server on an existing data folder."""
    times = []
    for _ in range(runs):
        server = EmbeddedPostgres(data_dir)
        started = time.perf_counter()
        with psycopg.connect(server.start()) as conn:
            conn.execute("SELECT 1")
        times.append(time.perf_counter() - started)
        server.stop()
    return times


def run() -> None:
    """Measure and record the `seeding` section."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedPostgres(Path(folder) / "pg")
        url = server.start()
        target = DatabaseTarget(url, "embedded")
        for scale, budget in (("demo", 10), ("bench", 180)):
            summary = seed(target, scale, 1, None)
            total = summary["generate_seconds"] + summary["load_seconds"]
            peak = generator_peak_mib(scale)
            rows.append(
                f"| {scale} | {sum(summary['row_counts'].values()):,} | "
                f"{summary['generate_seconds']:.1f} | {summary['load_seconds']:.1f} | "
                f"{total:.1f} (budget {budget}) | {peak:,.0f} (budget 1,024) | "
                f"{database_mib(url):,.0f} |"
            )
        server.stop()
        restarts = restart_seconds(Path(folder) / "pg")

    body = "\n".join(
        [
            "## Seeding and the embedded server",
            "",
            "`artbattle-ops seed` on the embedded PostgreSQL 16 (generate, then COPY and index).",
            "",
            "| scale | rows | generate s | load s | total s | generator peak MiB | database MiB |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Embedded server start on an existing data folder (target under 2 s): median "
            f"{statistics.median(restarts):.2f} s, max {max(restarts):.2f} s over "
            f"{len(restarts)} starts.",
        ]
    )
    write_section("seeding", body)
    print(body)
