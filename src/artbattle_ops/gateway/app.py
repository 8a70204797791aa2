"""The gateway's ASGI application: /mcp behind the access guard, /healthz, /readyz, /metrics.

Everything stateful (pools, the observability writer, the MCP session manager) is built in the
lifespan, so importing this module or creating the app touches nothing. Shutdown drains requests
in flight (uvicorn's graceful timeout), then flushes the writer and closes the pools.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from artbattle_ops.config.settings import GatewaySettings
from artbattle_ops.db.client import create_db_client
from artbattle_ops.db.pool import ACTIVE_CONNECTIONS, open_database
from artbattle_ops.gateway import metrics
from artbattle_ops.gateway.access import AccessGuard, AccessPolicy
from artbattle_ops.gateway.edge import EdgeClient
from artbattle_ops.gateway.health import check_readiness
from artbattle_ops.gateway.pipeline import Gateway
from artbattle_ops.gateway.replay import build_replay_cache
from artbattle_ops.gateway.server import build_server
from artbattle_ops.gateway.services import GatewayServices
from artbattle_ops.observability import metrics as observability_metrics
from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.observability.sinks import PostgresSink
from artbattle_ops.observability.writer import ObservabilityWriter
from artbattle_ops.policy.confirmations import ConfirmationStore
from artbattle_ops.policy.limits import build_counter_store
from artbattle_ops.policy.roles import RoleResolver
from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.registry import load_handlers

logger = logging.getLogger(__name__)

WRITER_POOL_SIZE = 2


@dataclass
class GatewayState:
    """What the lifespan built; `mcp` is None while the gateway cannot serve."""

    settings: GatewaySettings
    clock: Callable[[], float]
    mcp: ASGIApp | None = None
    gateway: Gateway | None = None
    services: GatewayServices | None = None
    skipped_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def create_app(settings: GatewaySettings, *, clock: Callable[[], float] = time.time) -> Starlette:
    """The gateway application; its lifespan opens and closes everything it uses."""
    state = GatewayState(settings=settings, clock=clock)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        services = state.services
        tools = len(state.gateway.available()) if state.gateway else 0
        readiness = await check_readiness(
            services.database if services else None, state.skipped_reason, tools
        )
        if not readiness.ready:
            return JSONResponse({"status": "unready", "reason": readiness.reason}, 503)
        return JSONResponse({"status": "ready", "tools": tools})

    async def metrics_endpoint(request: Request) -> Response:
        if state.services is not None:
            for name, value in state.services.database.stats().items():
                metrics.POOL_CONNECTIONS.labels(state=name).set(value)
        body = generate_latest(metrics.REGISTRY) + generate_latest(observability_metrics.REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await _start(state, stack)
            yield

    return Starlette(
        routes=[
            Route("/mcp", endpoint=_McpEndpoint(state), methods=["GET", "POST", "DELETE"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
        ],
        lifespan=lifespan,
    )


async def _start(state: GatewayState, stack: AsyncExitStack) -> None:
    """Open pools, the writer and the MCP session manager; register their closing."""
    settings = state.settings
    manifest = load_manifest()  # refuses to start on a malformed manifest
    implemented = load_handlers()
    client = await create_db_client(settings, component="gateway")
    stack.push_async_callback(client.close)
    if client.database is None or client.target is None:
        state.skipped_reason = client.skipped_reason
        return

    writer_db = await open_database(
        client.target.url, settings, max_size=WRITER_POOL_SIZE, name="gateway-writer"
    )
    stack.push_async_callback(writer_db.close)
    writer = ObservabilityWriter(PostgresSink(writer_db), capacity=settings.audit_queue_capacity)
    writer.start()
    stack.push_async_callback(writer.stop)

    counters = build_counter_store(settings, client.database)
    stack.push_async_callback(counters.aclose)
    edge = EdgeClient(settings)
    stack.push_async_callback(edge.aclose)
    services = GatewayServices(
        settings=settings,
        manifest=manifest,
        database=client.database,
        roles=RoleResolver(settings),
        counters=counters,
        confirmations=ConfirmationStore(client.database),
        writer=writer,
        scrubber=Scrubber([v for v in settings.secret_values().values() if v]),
        edge=edge,
        clock=state.clock,
    )
    gateway = Gateway(services)
    manager = StreamableHTTPSessionManager(
        app=build_server(gateway),
        json_response=True,
        stateless=True,
        security_settings=TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=settings.allowed_hosts,
            allowed_origins=[],
        ),
        max_request_body_size=settings.request_max_body_bytes,
    )
    await stack.enter_async_context(manager.run())

    async def on_refusal(
        event_type: str, reason: str, client_ip: str | None, path: str, detail: dict[str, Any]
    ) -> None:
        metrics.HTTP_REQUESTS.labels(outcome=reason).inc()
        if event_type == "signature_denied":
            detail = {"path": path, **detail}
        services.audit(event_type, reason=reason, ip_address=client_ip, **detail)

    state.mcp = AccessGuard(
        _CancelOnDisconnect(_Counted(StreamableHTTPASGIApp(manager))),
        AccessPolicy.from_settings(settings),
        replay_cache=build_replay_cache(settings, client.database),
        on_refusal=on_refusal,
        counter=counters if settings.gateway_caller_rate_limit_max > 0 else None,
        clock=state.clock,
    )
    state.gateway, state.services = gateway, services
    logger.info(
        "gateway_started",
        extra={
            "tools": len(gateway.available()),
            "handlers": len(implemented),
            "mutating_enabled": settings.enable_mutating_tools,
        },
    )


class _McpEndpoint:
    """/mcp: the guarded MCP transport once started, 503 with the reason until then."""

    def __init__(self, state: GatewayState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.state.mcp is None:
            reason = self.state.skipped_reason or "starting"
            error = {"code": "upstream_error", "message": f"temporarily unavailable: {reason}"}
            await JSONResponse({"error": error}, status_code=503)(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.state.mcp(scope, receive, send)
        finally:
            metrics.HTTP_DURATION.observe(time.perf_counter() - started)


class _CancelOnDisconnect:
    """Stops the work of a request whose caller went away.

    The guard has already read the body; this wrapper hands it on, then watches the connection.
    On a disconnect it cancels the request's running statements on the server (so the handler
    fails fast with a cancelled query and the pool gets its connection back), and cancels the
    request task itself only if it has not ended shortly after.
    """

    GRACE_SEC = 5.0

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await receive()
        gone = asyncio.Event()
        handed = False

        async def inner_receive() -> Message:
            nonlocal handed
            if not handed:
                handed = True
                return body
            await gone.wait()
            return {"type": "http.disconnect"}

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                continue
            gone.set()

        active: set[Any] = set()
        token = ACTIVE_CONNECTIONS.set(active)
        try:
            request = asyncio.ensure_future(self.app(scope, inner_receive, send))
        finally:
            ACTIVE_CONNECTIONS.reset(token)
        watcher = asyncio.ensure_future(watch())
        await asyncio.wait({request, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if request.done():
            watcher.cancel()
            request.result()
            return
        await self._abandon(request, active)

    async def _abandon(self, request: asyncio.Future[None], active: set[Any]) -> None:
        for conn in list(active):
            with contextlib.suppress(Exception):
                await conn.cancel_safe(timeout=2.0)
        done, _ = await asyncio.wait({request}, timeout=self.GRACE_SEC)
        if not done:
            request.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await request
        metrics.HTTP_REQUESTS.labels(outcome="caller_disconnected").inc()
        logger.info("request_cancelled", extra={"reason": "caller_disconnected"})


class _Counted:
    """Counts authenticated requests that reached the MCP transport."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        metrics.HTTP_REQUESTS.labels(outcome="ok").inc()
        await self.app(scope, receive, send)
