"""The assistant's ASGI application (orchestration-api, port 3000): Slack ingress at
/slack/events, Socket Mode when configured, and /healthz, /readyz, /metrics in both modes.

The Slack layer is a front end over the `Assistant` protocol: it builds `Inbound` requests,
renders `Reply` objects and never decides policy. Its own state (event claims, the audit
writer for refused signatures and redeliveries) is opened in the lifespan.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from artbattle_ops.assistant.contract import Assistant
from artbattle_ops.config.settings import AssistantSettings
from artbattle_ops.db.client import create_db_client
from artbattle_ops.db.pool import Database
from artbattle_ops.observability import metrics as observability_metrics
from artbattle_ops.observability.events import LogEvent
from artbattle_ops.observability.sinks import PostgresSink
from artbattle_ops.observability.writer import ObservabilityWriter
from artbattle_ops.policy.roles import RoleResolver
from artbattle_ops.slack import metrics
from artbattle_ops.slack.audit import Enqueue, SlackAudit
from artbattle_ops.slack.claims import build_event_claims
from artbattle_ops.slack.context import ContextLimits
from artbattle_ops.slack.handlers import SlackDeps, SlackHandlers
from artbattle_ops.slack.signature import refusal_reason
from artbattle_ops.tools.manifest import load_manifest

logger = logging.getLogger(__name__)

EVENTS_PATH: Final = "/slack/events"
DRAIN_TIMEOUT_SEC: Final = 15.0
CORE_UNAVAILABLE: Final = "assistant core not available"

# None when the core can answer, else the reason it cannot (shown by /readyz).
Readiness = Callable[[], Awaitable[str | None]]


@dataclass
class AppState:
    """What the lifespan built; `bolt` is None until Slack is configured and started."""

    settings: AssistantSettings
    assistant: Assistant
    readiness: Readiness | None
    clock: Callable[[], float]
    bolt: AsyncApp | None = None
    http: AsyncSlackRequestHandler | None = None
    audit: SlackAudit | None = None
    handlers: SlackHandlers | None = None


def create_assistant_app(
    settings: AssistantSettings,
    assistant: Assistant,
    *,
    readiness: Readiness | None = None,
    database: Database | None = None,
    enqueue: Enqueue | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The assistant application. With `database`/`enqueue` it shares the core's pool and
    observability writer; without them its lifespan opens its own from the settings."""
    state = AppState(settings, assistant, readiness, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await _start(state, stack, database, enqueue)
            yield
            if state.handlers is not None:
                await state.handlers.drain(DRAIN_TIMEOUT_SEC)

    return Starlette(
        routes=[
            Route(EVENTS_PATH, _EventsEndpoint(state).respond, methods=["POST"]),
            Route("/healthz", _healthz),
            Route("/readyz", _ReadyEndpoint(state).respond),
            Route("/metrics", _metrics),
        ],
        lifespan=lifespan,
    )


def slack_problem(settings: AssistantSettings) -> str | None:
    """What keeps Slack from working with these settings, or None."""
    if settings.slack_bot_token is None:
        return "SLACK_BOT_TOKEN is not set"
    if settings.slack_use_socket_mode and settings.slack_app_token is None:
        return "SLACK_APP_TOKEN is not set (SLACK_USE_SOCKET_MODE=true)"
    if not settings.slack_use_socket_mode and settings.slack_signing_secret is None:
        return "SLACK_SIGNING_SECRET is not set"
    return None


async def _start(
    state: AppState, stack: AsyncExitStack, database: Database | None, enqueue: Enqueue | None
) -> None:
    settings = state.settings
    if database is None:
        client = await create_db_client(settings, component="slack")
        stack.push_async_callback(client.close)
        database = client.database
    if enqueue is None and database is not None:
        enqueue = await _own_writer(settings, stack, database)
    state.audit = SlackAudit(enqueue)
    if slack_problem(settings) is not None:
        # Expected in local and test modes (the console answers instead); a fault elsewhere.
        level = logging.INFO if settings.is_development else logging.WARNING
        logger.log(level, LogEvent.SLACK_NOT_CONFIGURED, extra={"reason": slack_problem(settings)})
        return

    claims = build_event_claims(settings, database)
    stack.push_async_callback(claims.close)
    roles = RoleResolver(settings)
    stack.push_async_callback(roles.aclose)
    bolt = _bolt_app(settings)
    deps = SlackDeps(
        assistant=state.assistant,
        client=bolt.client,
        claims=claims,
        audit=state.audit,
        roles=roles,
        manifest=load_manifest(),
        limits=ContextLimits(
            settings.context_max_messages, settings.context_max_age_sec, settings.context_max_chars
        ),
        command=settings.slack_command_prefix,
        clock=state.clock,
    )
    state.handlers = SlackHandlers(deps)
    state.handlers.register(bolt)
    state.bolt, state.http = bolt, AsyncSlackRequestHandler(bolt)
    if settings.slack_use_socket_mode:
        await _connect_socket_mode(settings, bolt, stack)
    logger.info("slack_app_started", extra={"socket_mode": settings.slack_use_socket_mode})


def _bolt_app(settings: AssistantSettings) -> AsyncApp:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url)
    return AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        process_before_response=False,
    )


async def _connect_socket_mode(
    settings: AssistantSettings, bolt: AsyncApp, stack: AsyncExitStack
) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    handler = AsyncSocketModeHandler(bolt, app_token, web_client=bolt.client)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    stack.push_async_callback(handler.close_async)


async def _own_writer(
    settings: AssistantSettings, stack: AsyncExitStack, database: Database
) -> Enqueue:
    """An observability writer over the Slack layer's pool (its rows are few and small)."""
    writer = ObservabilityWriter(PostgresSink(database), capacity=settings.audit_queue_capacity)
    writer.start()
    stack.push_async_callback(writer.stop)
    return writer.enqueue


class _EventsEndpoint:
    """POST /slack/events: signature checked (and refusals audited), then handed to Bolt."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    async def respond(self, request: Request) -> Response:
        """Check, hand on, and time the acknowledgement."""
        started = time.perf_counter()
        try:
            return await self._handle(request)
        finally:
            metrics.ACK_DURATION.observe(time.perf_counter() - started)

    async def _handle(self, request: Request) -> Response:
        state = self.state
        secret = state.settings.slack_signing_secret
        if state.http is None or secret is None:
            metrics.REQUESTS.labels(outcome="not_configured").inc()
            return JSONResponse({"error": "slack_not_configured"}, status_code=503)

        body = await request.body()
        reason = refusal_reason(secret.get_secret_value(), request.headers, body, state.clock())
        if reason is not None:
            metrics.REQUESTS.labels(outcome="signature_denied").inc()
            client_ip = request.client.host if request.client else None
            if state.audit is not None:
                state.audit.signature_denied(reason, request.url.path, client_ip)
            return JSONResponse({"error": "invalid_signature"}, status_code=401)

        metrics.REQUESTS.labels(outcome="accepted").inc()
        return await state.http.handle(request)


class _ReadyEndpoint:
    """GET /readyz: Slack configured and the core able to answer."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    async def respond(self, request: Request) -> Response:
        """200 when ready, else 503 with the first reason."""
        problem = slack_problem(self.state.settings)
        if problem is None and self.state.bolt is None:
            problem = "starting"
        if problem is None:
            problem = await self._core_problem()
        if problem is not None:
            return JSONResponse({"status": "unready", "reason": problem}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def _core_problem(self) -> str | None:
        if self.state.readiness is None:
            return CORE_UNAVAILABLE
        return await self.state.readiness()


async def _healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _metrics(request: Request) -> Response:
    body = generate_latest(metrics.REGISTRY) + generate_latest(observability_metrics.REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def readiness_of(check: Callable[[], Awaitable[Any]]) -> Readiness:
    """Adapt a core readiness check that returns an object with `ready` and `reason`."""

    async def readiness() -> str | None:
        result = await check()
        return (
            None if getattr(result, "ready", False) else str(getattr(result, "reason", "unready"))
        )

    return readiness
