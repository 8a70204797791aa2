"""`artbattle-ops run`: the local system on the embedded database, until Ctrl-C."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from artbattle_ops.cli.database import connect, seed, write_summary
from artbattle_ops.cli.local_secrets import LOCAL_SECRETS, ensure_local_secrets
from artbattle_ops.config.settings import AppEnv, CommonSettings, GatewaySettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.target import resolve_target
from artbattle_ops.observability.logging import configure_logging


def register(commands: Any) -> None:
    """Add `run` to the command tree."""
    parser = commands.add_parser("run", help="run the local system (embedded database by default)")
    parser.add_argument("--seed", type=int, default=1, help="demo data seed on first start")
    parser.add_argument("--gateway-port", type=int, default=8081, help="gateway port (8081)")
    parser.set_defaults(handler=run_local)


LOCAL_USERS = {
    "ULOCALOPS": "ops",
    "ULOCALPROD": "event-producer",
    "ULOCALFIN": "finance",
    "ULOCALMKT": "marketing",
    "ULOCALVIEW": "viewer",
}


def serve_gateway(data_dir: Path, db_url: str, port: int, out: Console) -> None:
    """Serve the gateway on the local database until Ctrl-C, with generated local secrets."""
    import uvicorn

    from artbattle_ops.cli.gateway import server_config
    from artbattle_ops.gateway.app import create_app

    env_file = data_dir / "local.env"
    secrets = ensure_local_secrets(env_file)
    settings = load(
        GatewaySettings,
        APP_ENV=AppEnv.LOCAL,
        SUPABASE_DB_URL=db_url,
        RBAC_USER_MAP_JSON=json.dumps(LOCAL_USERS),
        GATEWAY_PORT=port,
        **{name: secrets[name] for name in LOCAL_SECRETS},
    )
    out.print(f"gateway: http://127.0.0.1:{port}/mcp (secrets in {env_file})")
    out.print(
        f"try: set -a; . {env_file}; set +a; "
        f"artbattle-ops call lookup_event eid=AB4001 --user ULOCALOPS"
    )
    out.print("press Ctrl-C to stop")
    uvicorn.Server(server_config(create_app(settings), "127.0.0.1", port)).run()


def run_local(args: argparse.Namespace) -> int:
    """Start the database, migrate, load demo data when absent or stale, serve the gateway."""
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
        serve_gateway(settings.data_dir, target.url, args.gateway_port, out)
    except KeyboardInterrupt:
        out.print("stopping")
    finally:
        target.close()
    return 0
