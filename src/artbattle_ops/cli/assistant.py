"""`artbattle-ops assistant` (serve orchestration-api) and `artbattle-ops ask` (one question from
the terminal through the same pipeline: policies, the gateway over MCP, session logging)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Final

from artbattle_ops.assistant.contract import Decision, Inbound, PendingConfirmation, Reply
from artbattle_ops.cli.local_secrets import read_env_file
from artbattle_ops.cli.local_stack import LOCAL_USERS
from artbattle_ops.config.settings import (
    AppEnv,
    AssistantSettings,
    CommonSettings,
    load,
    unset_in_environment,
)
from artbattle_ops.errors import ConfigError
from artbattle_ops.observability.logging import configure_logging

CLI_TEAM: Final = "TLOCALCLI"
CLI_CHANNEL: Final = "CLOCALCLI"
DEFAULT_USER: Final = "ULOCALOPS"


def register(commands: Any) -> None:
    """Add `assistant` and `ask` to the command tree."""
    parser = commands.add_parser("assistant", help="serve the Slack assistant (port 3000)")
    parser.add_argument("--host", default=None, help="bind address (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default PORT)")
    parser.set_defaults(handler=run_assistant)

    parser = commands.add_parser(
        "ask", help="ask one question through the assistant's pipeline (needs the gateway)"
    )
    parser.add_argument("question", help='the question, e.g. "Who still needs to be paid?"')
    parser.add_argument("--user", default=DEFAULT_USER, help=f"Slack user id ({DEFAULT_USER})")
    parser.add_argument("--channel", default=CLI_CHANNEL, help=f"Slack channel id ({CLI_CHANNEL})")
    parser.add_argument(
        "--confirm", action="store_true", help="confirm a write the answer proposes, unasked"
    )
    parser.add_argument("--json", action="store_true", help="print the reply as JSON")
    parser.set_defaults(handler=run_ask)


def run_assistant(args: argparse.Namespace) -> int:
    """Serve until interrupted; SIGTERM drains requests in flight."""
    import uvicorn

    from artbattle_ops.assistant.app import create_service_app
    from artbattle_ops.cli.gateway import server_config

    settings = load(AssistantSettings)
    configure_logging(settings.log_level)
    app = create_service_app(settings)
    uvicorn.Server(server_config(app, args.host or settings.host, args.port or settings.port)).run()
    return 0


def local_assistant_settings(**overrides: Any) -> AssistantSettings:
    """The assistant's settings for a terminal next to `artbattle-ops run`.

    The environment wins; what it lacks comes from `.data/local.env` (the local secrets and the
    gateway URL `run` wrote), and the local defaults: APP_ENV=local and the demo users.
    """
    data_dir = load(CommonSettings, APP_ENV=AppEnv.LOCAL).data_dir
    local = {
        "APP_ENV": AppEnv.LOCAL.value,
        "RBAC_USER_MAP_JSON": json.dumps(dict(LOCAL_USERS)),
        **read_env_file(data_dir / "local.env"),
    }
    return load(AssistantSettings, **(unset_in_environment(local) | overrides))


def run_ask(args: argparse.Namespace) -> int:
    """Print the answer and the tools it used; 0 when answered, 2 when refused or failed."""
    settings = local_assistant_settings()
    configure_logging("ERROR")
    if not args.question.strip():
        raise ConfigError('give a question, e.g. artbattle-ops ask "Who still needs to be paid?"')
    reply = asyncio.run(_ask(settings, args))
    if not args.json:
        sys.stdout.write(reply.text + "\n")
    decision = None
    pending = reply.confirmation
    if pending is not None and (args.confirm or (not args.json and _asked_yes())):
        decision = asyncio.run(_confirm(settings, pending, args.user))
    if args.json:
        sys.stdout.write(json.dumps(_reply_json(reply, decision), ensure_ascii=False) + "\n")
        return 0 if reply.status == "completed" else 2
    if decision is not None:
        sys.stdout.write(decision.text + "\n")
    elif reply.confirmation is not None:
        sys.stdout.write("Not confirmed: nothing was changed (answer y, or pass --confirm).\n")
    sys.stdout.write(
        f"\ntools: {', '.join(reply.tools_used) or 'none'}\n"
        f"answered by: {reply.model or 'no model'} · session {reply.session_id}\n"
    )
    return 0 if reply.status == "completed" else 2


async def _ask(settings: AssistantSettings, args: argparse.Namespace) -> Reply:
    from artbattle_ops.assistant.health import readiness
    from artbattle_ops.assistant.service import open_assistant

    async with open_assistant(settings) as assistant:
        ok, reason = await readiness(assistant)
        if not ok:
            raise ConfigError(f"the assistant cannot answer: {reason} (is `make run` running?)")
        inbound = Inbound(
            text=args.question,
            slack_user_id=args.user,
            interaction_type="cli",
            slack_team_id=CLI_TEAM,
            slack_channel_id=args.channel,
            slack_username="terminal",
        )
        reply = await assistant.handle(inbound)
        await assistant.complete(reply, reply_ts=None, slack_thread_ts=None)
        return reply


async def _confirm(
    settings: AssistantSettings, confirmation: PendingConfirmation, user: str
) -> Decision:
    """Confirm as the requester; the gateway holds the pending action, so a new core will do."""
    from artbattle_ops.assistant.service import open_assistant

    async with open_assistant(settings) as assistant:
        return await assistant.confirm(confirmation, user, team_id=CLI_TEAM)


def _asked_yes() -> bool:
    if not sys.stdin.isatty():
        return False
    return input("Confirm this change? [y/N] ").strip().lower() in ("y", "yes")


def _reply_json(reply: Reply, decision: Decision | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": reply.text,
        "status": reply.status,
        "tools_used": reply.tools_used,
        "session_id": reply.session_id,
        "model": reply.model,
        "offline": reply.offline,
        "error_id": reply.error_id,
        "confirmation": None,
    }
    if reply.confirmation is not None:
        body["confirmation"] = {
            "confirmation_id": reply.confirmation.confirmation_id,
            "tool": reply.confirmation.tool,
            "confirmed": decision is not None and decision.accepted,
            "outcome": decision.text if decision is not None else None,
        }
    return body
