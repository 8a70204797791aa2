"""`artbattle-ops run`: the whole system on the embedded database, until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from artbattle_ops.assistant.app import create_service_app, describe
from artbattle_ops.cli.database import connect, seed, write_summary
from artbattle_ops.cli.local_secrets import ensure_local_secrets, write_env_value
from artbattle_ops.cli.local_stack import (
    HOST,
    LOCAL_USERS,
    Ports,
    Service,
    assistant_settings,
    edge_settings,
    gateway_settings,
    gateway_url,
    serve_together,
)
from artbattle_ops.config.settings import AppEnv, AssistantSettings, CommonSettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.target import resolve_target
from artbattle_ops.errors import ConfigError
from artbattle_ops.observability.logging import configure_logging

__all__ = ["LOCAL_USERS", "register", "run_local"]

ASK_EXAMPLE = '{command} ask "Who still needs to be paid for AB4001?"'


def register(commands: Any) -> None:
    """Add `run` to the command tree."""
    parser = commands.add_parser("run", help="run the whole system locally (embedded database)")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed on first start")
    parser.add_argument("--gateway-port", type=int, default=8081, help="gateway port (8081)")
    parser.add_argument("--edge-port", type=int, default=54321, help="emulator port (54321)")
    parser.add_argument("--assistant-port", type=int, default=3000, help="assistant port (3000)")
    parser.add_argument(
        "--read-only", action="store_true", help="keep the mutating gate closed (writes refused)"
    )
    parser.set_defaults(handler=run_local)


def run_local(args: argparse.Namespace) -> int:
    """Start the database, migrate, load demo data when absent or stale, serve every process."""
    ports = Ports(args.gateway_port, args.edge_port, args.assistant_port)
    _check_ports(ports)
    settings = load(CommonSettings, APP_ENV=AppEnv.LOCAL)
    configure_logging("WARNING")
    out = Console(soft_wrap=True)  # URLs stay on one line, also in a pipe
    target = resolve_target(settings)
    try:
        _prepare_database(target, args.seed, settings, out)
        env_file = settings.data_dir / "local.env"
        secrets = ensure_local_secrets(env_file)
        write_env_value(env_file, "MCP_GATEWAY_URL", gateway_url(ports))
        write_env_value(env_file, "ENABLE_MUTATING_TOOLS", str(not args.read_only).lower())
        assistant = assistant_settings(target.url, secrets, ports, writes=not args.read_only)
        services = _services(target.url, secrets, ports, writes=not args.read_only)
        services.append(Service("assistant", create_service_app(assistant), ports.assistant))
        asyncio.run(
            serve_together(services, on_ready=lambda: _welcome(out, ports, settings, assistant))
        )
    except KeyboardInterrupt:
        pass
    finally:
        out.print("stopped")
        target.close()
    return 0


def _prepare_database(target: Any, seed_value: int, settings: CommonSettings, out: Console) -> None:
    from artbattle_ops.demo.loader import demo_status

    with connect(target.url) as conn:
        migrate(conn)
    status = demo_status(target.url)
    if status is None or status.stale:
        summary = seed(target, "demo", seed_value, None)
        write_summary(settings.data_dir / "seed-summary.json", summary)
        out.print(f"demo data loaded ({sum(summary['row_counts'].values()):,} rows)")
    else:
        out.print("demo data is up to date")
    out.print(f"database ready ({target.source}): psql '{target.url}'")


def _services(db_url: str, secrets: dict[str, str], ports: Ports, *, writes: bool) -> list[Service]:
    from artbattle_ops.demo.edge.app import create_edge_app
    from artbattle_ops.gateway.app import create_app

    gateway = gateway_settings(db_url, secrets, ports, writes=writes)
    edge = edge_settings(db_url, secrets, ports)
    return [
        Service("gateway", create_app(gateway), ports.gateway),
        Service("edge emulator", create_edge_app(edge), ports.edge),
    ]


def _welcome(
    out: Console, ports: Ports, settings: CommonSettings, assistant: AssistantSettings
) -> None:
    env_file = settings.data_dir / "local.env"
    about = describe(assistant)
    out.print(f"console:       http://{HOST}:{ports.assistant}/  ({about['answers with']})")
    out.print(f"gateway:       {gateway_url(ports)}")
    out.print(f"edge emulator: http://{HOST}:{ports.edge}/functions/v1/")
    out.print(f"secrets:       {env_file}")
    out.print(f"try:           {ASK_EXAMPLE.format(command=launched_as())}")
    out.print("press Ctrl-C to stop")


def launched_as() -> str:
    """How to type this command from the current folder (`.venv/bin/artbattle-ops` after `make
    run`, which does not put the virtual environment on PATH)."""
    launched = Path(sys.argv[0])
    if launched.name != "artbattle-ops" or shutil.which("artbattle-ops") == str(launched):
        return "artbattle-ops"
    return os.path.relpath(launched)


def _check_ports(ports: Ports) -> None:
    """Refuse to start when a port is taken, naming it and the option that changes it."""
    options = {
        "--gateway-port": ports.gateway,
        "--edge-port": ports.edge,
        "--assistant-port": ports.assistant,
    }
    if len(set(options.values())) != len(options):
        raise ConfigError("the gateway, emulator and assistant ports must differ")
    for option, port in options.items():
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError as exc:
                raise ConfigError(
                    f"port {port} on {HOST} is in use; choose another with {option}"
                ) from exc
