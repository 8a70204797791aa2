"""`artbattle-ops gateway` (serve the MCP gateway) and `artbattle-ops call` (a signed client)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from artbattle_ops.cli.local_secrets import read_env_file
from artbattle_ops.config.settings import (
    AppEnv,
    CommonSettings,
    GatewaySettings,
    OperatorSettings,
    load,
    unset_in_environment,
)
from artbattle_ops.errors import ConfigError
from artbattle_ops.observability.logging import configure_logging


def register(commands: Any) -> None:
    """Add `gateway` and `call` to the command tree."""
    parser = commands.add_parser("gateway", help="serve the MCP gateway (port 8081)")
    parser.add_argument("--host", default=None, help="bind address (default GATEWAY_HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default GATEWAY_PORT)")
    parser.set_defaults(handler=run_gateway)

    parser = commands.add_parser("call", help="call a tool through the gateway, signed")
    parser.add_argument("tool", nargs="?", help="tool name, e.g. lookup_event")
    parser.add_argument("arguments", nargs="*", help="key=value (values parsed as JSON if valid)")
    parser.add_argument("--user", required=True, help="Slack user id the call is made for")
    parser.add_argument("--channel", default=None, help="Slack channel id")
    parser.add_argument("--confirm", default=None, help="confirmation id from a preview")
    parser.add_argument("--list", action="store_true", help="list the tools the user may call")
    parser.set_defaults(handler=run_call)


def run_gateway(args: argparse.Namespace) -> int:
    """Serve until interrupted; SIGTERM drains requests in flight."""
    import uvicorn

    from artbattle_ops.gateway.app import create_app

    settings = load(GatewaySettings)
    configure_logging(settings.log_level)
    app = create_app(settings)
    uvicorn.Server(
        server_config(app, args.host or settings.gateway_host, args.port or settings.gateway_port)
    ).run()
    return 0


def server_config(app: Any, host: str, port: int) -> Any:
    """uvicorn settings: on SIGTERM stop accepting, finish requests in flight (up to 20 s),
    then run the lifespan's shutdown (flush the audit writer, close the pools)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=20,
        lifespan="on",
    )


def parse_arguments(pairs: list[str]) -> dict[str, Any]:
    """`key=value` pairs; a value that parses as JSON is taken as JSON, else as a string.

    Raises:
        ConfigError: a pair has no `=`.
    """
    arguments: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"argument {pair!r} must be key=value")
        try:
            arguments[key] = json.loads(value)
        except json.JSONDecodeError:
            arguments[key] = value
    return arguments


def beside_local_run() -> dict[str, str]:
    """With APP_ENV=local, what `artbattle-ops run` wrote to `.data/local.env` (the gateway's
    URL and secrets) for the settings the environment does not set; nothing otherwise."""
    common = load(CommonSettings)
    if common.app_env != AppEnv.LOCAL:
        return {}
    return unset_in_environment(read_env_file(common.data_dir / "local.env"))


def run_call(args: argparse.Namespace) -> int:
    """Call one tool (or list tools) and print the envelope as JSON."""
    from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools

    settings = load(OperatorSettings, **beside_local_run())
    token = settings.mcp_gateway_auth_token
    secret = settings.mcp_request_signing_secret
    if token is None:
        raise ConfigError("MCP_GATEWAY_AUTH_TOKEN is not set")
    caller = CallerMeta(
        slack_user_id=args.user, slack_channel_id=args.channel, confirmation_id=args.confirm
    )
    arguments = parse_arguments(args.arguments)
    if args.tool is None and not args.list:
        raise ConfigError("name a tool to call, or pass --list")

    async def run() -> Any:
        raw_secret = secret.get_secret_value().encode() if secret is not None else None
        async with gateway_session(
            settings.mcp_gateway_url, token.get_secret_value(), raw_secret
        ) as client:
            listed = [t.name for t in await list_tools(client, caller)]
            if args.list:
                return listed
            return await call_tool(client, args.tool, arguments, caller)

    result = asyncio.run(run())
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0 if args.list or result.get("ok") else 3
