"""The processes of the local run, served together in one event loop until Ctrl-C.

`artbattle-ops run` starts the gateway, the Edge Function emulator and the assistant (with the
local console) on the embedded database. They talk to each other over HTTP exactly as in
production; only the secrets are generated (`.data/local.env`) and the Edge credentials minted
with the local JWT secret (schema.md §7.0).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

import uvicorn

from artbattle_ops.cli.gateway import server_config
from artbattle_ops.config.settings import (
    AppEnv,
    AssistantSettings,
    EdgeSettings,
    GatewaySettings,
    load,
)

LOCAL_USERS: Mapping[str, str] = {
    "ULOCALOPS": "ops",
    "ULOCALPROD": "event-producer",
    "ULOCALFIN": "finance",
    "ULOCALMKT": "marketing",
    "ULOCALVIEW": "viewer",
}
HOST = "127.0.0.1"
EDGE_TOKEN_TTL_SEC = 7 * 24 * 3600


@dataclass(frozen=True)
class Ports:
    """Where each local process listens."""

    gateway: int = 8081
    edge: int = 54321
    assistant: int = 3000


@dataclass(frozen=True)
class Service:
    """One process of the stack: a name for messages, its ASGI app and its port."""

    name: str
    app: Any
    port: int


def gateway_settings(
    db_url: str, secrets: Mapping[str, str], ports: Ports, *, writes: bool
) -> GatewaySettings:
    """The gateway on the local database, calling the emulator with minted credentials."""
    from artbattle_ops.demo.edge.tokens import demo_admin_token, service_token

    jwt_secret = secrets["SUPABASE_JWT_SECRET"]
    return load(
        GatewaySettings,
        APP_ENV=AppEnv.LOCAL,
        SUPABASE_DB_URL=db_url,
        RBAC_USER_MAP_JSON=json.dumps(dict(LOCAL_USERS)),
        GATEWAY_HOST=HOST,
        GATEWAY_PORT=ports.gateway,
        ENABLE_MUTATING_TOOLS=writes,
        SUPABASE_URL=f"http://{HOST}:{ports.edge}",
        SUPABASE_SERVICE_ROLE_KEY=service_token(jwt_secret, EDGE_TOKEN_TTL_SEC),
        SUPABASE_EDGE_ADMIN_TOKEN=demo_admin_token(db_url, jwt_secret, ttl_sec=EDGE_TOKEN_TTL_SEC),
        MCP_GATEWAY_AUTH_TOKEN=secrets["MCP_GATEWAY_AUTH_TOKEN"],
        MCP_REQUEST_SIGNING_SECRET=secrets["MCP_REQUEST_SIGNING_SECRET"],
        ARGUMENTS_HASH_KEY=secrets["ARGUMENTS_HASH_KEY"],
    )


def assistant_settings(
    db_url: str, secrets: Mapping[str, str], ports: Ports, *, writes: bool
) -> AssistantSettings:
    """The assistant on the local database and gateway; the model settings come from the
    environment (or `.env`), and without one the offline router answers."""
    return load(
        AssistantSettings,
        APP_ENV=AppEnv.LOCAL,
        SUPABASE_DB_URL=db_url,
        RBAC_USER_MAP_JSON=json.dumps(dict(LOCAL_USERS)),
        HOST=HOST,
        PORT=ports.assistant,
        MCP_GATEWAY_URL=gateway_url(ports),
        MCP_GATEWAY_AUTH_TOKEN=secrets["MCP_GATEWAY_AUTH_TOKEN"],
        MCP_REQUEST_SIGNING_SECRET=secrets["MCP_REQUEST_SIGNING_SECRET"],
        ARGUMENTS_HASH_KEY=secrets["ARGUMENTS_HASH_KEY"],
        ENABLE_MUTATING_TOOLS=writes,
    )


def gateway_url(ports: Ports) -> str:
    """The local gateway's MCP endpoint."""
    return f"http://{HOST}:{ports.gateway}/mcp"


def edge_settings(db_url: str, secrets: Mapping[str, str], ports: Ports) -> EdgeSettings:
    """The emulator on the local database, verifying tokens with the local JWT secret."""
    return load(
        EdgeSettings,
        APP_ENV=AppEnv.LOCAL,
        SUPABASE_DB_URL=db_url,
        SUPABASE_JWT_SECRET=secrets["SUPABASE_JWT_SECRET"],
        EDGE_HOST=HOST,
        EDGE_PORT=ports.edge,
    )


class _SharedSignals(uvicorn.Server):
    """A uvicorn server that leaves signal handling to `serve_together`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def serve_together(services: list[Service], *, on_ready: Any = None) -> None:
    """Serve every service until SIGINT or SIGTERM, then stop them all gracefully.

    Raises:
        RuntimeError: a service could not start (its port is taken, say); the others stop.
    """
    servers = [
        _SharedSignals(server_config(service.app, HOST, service.port)) for service in services
    ]
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [
        asyncio.create_task(server.serve(), name=s.name)
        for server, s in zip(servers, services, strict=True)
    ]
    try:
        await _wait_started(servers, services, tasks)
        if on_ready is not None:
            on_ready()
        await asyncio.gather(*tasks)
    finally:
        stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _wait_started(
    servers: list[_SharedSignals], services: list[Service], tasks: list[asyncio.Task[None]]
) -> None:
    while not all(server.started for server in servers):
        for server, service, task in zip(servers, services, tasks, strict=True):
            if task.done() and not server.started:
                raise RuntimeError(
                    f"the {service.name} could not start on {HOST}:{service.port} "
                    "(is the port in use? choose another with the --*-port options)"
                )
        await asyncio.sleep(0.05)
