"""`artbattle-ops run`: the local system on the embedded database, until Ctrl-C."""

from __future__ import annotations

import argparse
import threading
from typing import Any

from rich.console import Console

from artbattle_ops.cli.database import connect, seed, write_summary
from artbattle_ops.config.settings import AppEnv, CommonSettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.target import resolve_target
from artbattle_ops.observability.logging import configure_logging


def register(commands: Any) -> None:
    """Add `run` to the command tree."""
    parser = commands.add_parser("run", help="run the local system (embedded database by default)")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed on first start")
    parser.set_defaults(handler=run_local)


def run_local(args: argparse.Namespace) -> int:
    """Start the database, migrate, load demo data when absent or stale, and wait for Ctrl-C."""
    from artbattle_ops.demo.loader import demo_status

    settings = load(CommonSettings, APP_ENV=AppEnv.LOCAL)
    configure_logging("WARNING")
    out = Console()
    target = resolve_target(settings)
    try:
        with connect(target.url) as conn:
            migrate(conn)
        status = demo_status(target.url)
        if status is None or status.stale:
            summary = seed(target, "demo", args.seed, None)
            write_summary(settings.data_dir / "seed-summary.json", summary)
            out.print(f"demo data loaded ({sum(summary['row_counts'].values()):,} rows)")
        else:
            out.print("demo data is up to date")
        out.print(f"database ready ({target.source}): psql '{target.url}'")
        out.print("press Ctrl-C to stop")
        threading.Event().wait()
    except KeyboardInterrupt:
        out.print("stopping")
    finally:
        target.close()
    return 0
