"""Operator commands for the database: `migrate` and `seed`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.errors import classify, describe
from artbattle_ops.db.migrations import MigrationReport, migrate
from artbattle_ops.db.target import DatabaseTarget, resolve_target
from artbattle_ops.errors import DatabaseError
from artbattle_ops.observability.logging import configure_logging

SCALES = ("demo", "bench", "bench10")


def register(commands: Any) -> None:
    """Add `migrate` and `seed` to the command tree."""
    parser = commands.add_parser("migrate", help="apply pending esbmcp_ migrations")
    parser.add_argument(
        "--dry-run", action="store_true", help="list pending files and checksum mismatches"
    )
    parser.set_defaults(handler=run_migrate)

    parser = commands.add_parser("seed", help="rebuild the demo Art Battle schema and data")
    parser.add_argument("--scale", choices=SCALES, default="demo")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--as-of", type=_parse_instant, default=None, help="UTC instant the data describes"
    )
    parser.add_argument("--summary", type=Path, default=None, help="where to write the summary")
    parser.set_defaults(handler=run_seed)


def _parse_instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def connect(url: str) -> psycopg.Connection:
    """An autocommit connection for operator commands.

    Raises:
        DatabaseError: the server is unreachable or refuses; the message names the cause.
    """
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        error = classify(exc)
        raise DatabaseError(
            f"cannot connect to the database: {describe(exc)}", kind=error.kind
        ) from exc


def run_migrate(args: argparse.Namespace) -> int:
    """Apply (or list, with --dry-run) the pending esbmcp_ migrations."""
    settings = load(CommonSettings)
    configure_logging(settings.log_level)
    target = resolve_target(settings)
    try:
        with connect(target.url) as conn:
            report = migrate(conn, dry_run=args.dry_run)
    finally:
        target.close()
    _print_migration_report(report, dry_run=args.dry_run)
    return 1 if report.mismatched else 0


def _print_migration_report(report: MigrationReport, *, dry_run: bool) -> None:
    out = Console()
    for name in report.mismatched:
        out.print(f"[red]edited after it was applied:[/red] {name}")
    if dry_run:
        out.print(f"pending: {', '.join(report.pending) or 'none'}")
        return
    out.print(f"applied: {', '.join(report.applied) or 'none'}; up to date: {len(report.skipped)}")


def run_seed(args: argparse.Namespace) -> int:
    """Generate demo data and load it, replacing any earlier demo data."""
    settings = load(CommonSettings)
    configure_logging("WARNING")
    target = resolve_target(settings)
    try:
        summary = seed(target, args.scale, args.seed, args.as_of)
    finally:
        target.close()
    path = args.summary or settings.data_dir / "seed-summary.json"
    write_summary(path, summary)
    _print_seed_summary(summary, path)
    return 0


def seed(
    target: DatabaseTarget, scale: str, seed_value: int, as_of: datetime | None
) -> dict[str, Any]:
    """Generate and load one dataset; returns its summary with timings."""
    from artbattle_ops.demo.generator import generate
    from artbattle_ops.demo.loader import check_target, seed_database

    check_target(target.url)
    err = Console(stderr=True)
    started = time.perf_counter()
    with err.status(f"generating {scale} data (seed {seed_value})"):
        dataset = generate(scale, seed_value, as_of)
    generated = time.perf_counter()

    total = sum(dataset.row_counts().values())
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("loading", total=total)
        loaded: dict[str, int] = {}

        def progress(table: str, rows: int, table_total: int) -> None:
            loaded[table] = rows
            bar.update(task, completed=sum(loaded.values()), description=f"loading {table}")

        seed_database(target.url, dataset, progress=progress)
    finished = time.perf_counter()

    return {
        "scale": dataset.scale,
        "seed": dataset.seed,
        "as_of": dataset.as_of.isoformat(),
        "generate_seconds": round(generated - started, 2),
        "load_seconds": round(finished - generated, 2),
        "row_counts": dataset.row_counts(),
        "fixtures": dataset.fixtures,
        "summary": dataset.summary,
    }


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    """Write the machine-readable seed summary for tests and tools."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")


def _print_seed_summary(summary: dict[str, Any], path: Path) -> None:
    table = Table("table", "rows", title=f"{summary['scale']} data, seed {summary['seed']}")
    for name, count in summary["row_counts"].items():
        table.add_row(name, f"{count:,}")
    out = Console(file=sys.stdout)
    out.print(table)
    out.print(
        f"generated in {summary['generate_seconds']} s, loaded in {summary['load_seconds']} s; "
        f"summary written to {path}"
    )
