"""`artbattle-ops edge`: serve the Edge Function emulator on the demo database (port 54321)."""

from __future__ import annotations

import argparse
from typing import Any

from artbattle_ops.config.settings import EdgeSettings, load
from artbattle_ops.observability.logging import configure_logging


def register(commands: Any) -> None:
    """Add `edge` to the command tree."""
    parser = commands.add_parser("edge", help="serve the Edge Function emulator (port 54321)")
    parser.add_argument("--host", default=None, help="bind address (default EDGE_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default EDGE_PORT)")
    parser.set_defaults(handler=run_edge)


def run_edge(args: argparse.Namespace) -> int:
    """Serve until interrupted; SIGTERM finishes the calls in flight."""
    import uvicorn

    from artbattle_ops.cli.gateway import server_config
    from artbattle_ops.demo.edge.app import create_edge_app

    settings = load(EdgeSettings)
    configure_logging(settings.log_level)
    app = create_edge_app(settings)
    host = args.host or settings.edge_host
    uvicorn.Server(server_config(app, host, args.port or settings.edge_port)).run()
    return 0
