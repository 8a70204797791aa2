"""Command-line entry point `artbattle-ops`: parses arguments and turns errors into one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from artbattle_ops import __version__
from artbattle_ops.cli import assistant, database, docs, edge, gateway, local, operations
from artbattle_ops.errors import OpsError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The full command tree."""
    parser = argparse.ArgumentParser(
        prog="artbattle-ops", description="Art Battle operations assistant"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    database.register(commands)
    docs.register(commands)
    local.register(commands)
    gateway.register(commands)
    edge.register(commands)
    assistant.register(commands)
    operations.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit status."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except OpsError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was changed\n")
        return 130
