"""The assistant service (orchestration-api, port 3000) as one ASGI application.

The core (`open_assistant`) opens in the lifespan; the Slack front end shares its pool and its
observability writer. Without Slack credentials in local and test modes the service runs in
local mode: the web console is served at `/` over the same core, and `/readyz` reports the core
alone. Elsewhere a missing Slack setting keeps `/readyz` at 503 with the reason, and no console
is served (it lets anyone act as any demo user).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from artbattle_ops.assistant.contract import (
    Decision,
    Inbound,
    PendingConfirmation,
    Rating,
    Reply,
)
from artbattle_ops.assistant.health import readiness
from artbattle_ops.assistant.service import AssistantService, open_assistant
from artbattle_ops.config.settings import AssistantSettings
from artbattle_ops.console.app import console_routes
from artbattle_ops.policy.roles import parse_user_map
from artbattle_ops.router.model import Responder
from artbattle_ops.slack.app import create_assistant_app, slack_problem

logger = logging.getLogger(__name__)


def console_mode(settings: AssistantSettings) -> bool:
    """Local mode: no Slack credentials, and a mode where the demo console is allowed."""
    return settings.is_development and slack_problem(settings) is not None


def console_users(settings: AssistantSettings) -> dict[str, str]:
    """The demo users the console offers: the static role map (Slack id → role)."""
    return parse_user_map(settings.rbac_user_map_json)


def create_service_app(
    settings: AssistantSettings, *, responder: Responder | None = None
) -> Starlette:
    """The whole service: core, Slack front end, health, and the console in local mode."""
    core = _LateCore()
    app = Starlette(routes=[])

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with open_assistant(settings, responder=responder) as service:
            core.service = service

            async def ready() -> str | None:
                ok, reason = await readiness(service)
                return None if ok else reason

            front = create_assistant_app(
                settings,
                core,
                readiness=ready,
                database=service.deps.database,
                enqueue=service.deps.writer.enqueue,
            )
            routes: list[Any] = []
            if console_mode(settings):
                routes += console_routes(core, console_users(settings))
                routes.append(Route("/readyz", _LocalReady(service).respond))
                logger.info("console_started", extra={"users": len(console_users(settings))})
            app.router.routes.extend([*routes, *front.routes])
            async with front.router.lifespan_context(front):
                yield

    app.router.lifespan_context = lifespan
    return app


class _LocalReady:
    """/readyz in local mode: the core can answer and the gateway is ready (no Slack)."""

    def __init__(self, service: AssistantService) -> None:
        self.service = service

    async def respond(self, request: Request) -> Response:
        ok, reason = await readiness(self.service)
        if not ok:
            return JSONResponse({"status": "unready", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready", "mode": "local console"})


class _LateCore:
    """The `Assistant` the front ends hold; the core behind it opens in the lifespan."""

    service: AssistantService | None = None

    def _core(self) -> AssistantService:
        if self.service is None:
            raise RuntimeError("the assistant core is not open")
        return self.service

    async def handle(self, inbound: Inbound) -> Reply:
        return await self._core().handle(inbound)

    async def confirm(
        self, confirmation: PendingConfirmation, clicked_by: str, *, team_id: str | None = None
    ) -> Decision:
        return await self._core().confirm(confirmation, clicked_by, team_id=team_id)

    async def cancel(self, confirmation: PendingConfirmation, clicked_by: str) -> Decision:
        return await self._core().cancel(confirmation, clicked_by)

    async def record_feedback(
        self,
        *,
        slack_user_id: str,
        rating: Rating,
        source: Literal["button", "reaction", "console"],
        session_id: str | None = None,
        slack_channel_id: str | None = None,
        reply_ts: str | None = None,
        reaction: str | None = None,
        removed: bool = False,
        comment: str | None = None,
    ) -> bool:
        return await self._core().record_feedback(
            slack_user_id=slack_user_id,
            rating=rating,
            source=source,
            session_id=session_id,
            slack_channel_id=slack_channel_id,
            reply_ts=reply_ts,
            reaction=reaction,
            removed=removed,
            comment=comment,
        )

    async def complete(
        self,
        reply: Reply,
        *,
        reply_ts: str | None,
        slack_thread_ts: str | None,
        post_error: str | None = None,
    ) -> None:
        await self._core().complete(
            reply, reply_ts=reply_ts, slack_thread_ts=slack_thread_ts, post_error=post_error
        )


def describe(settings: AssistantSettings) -> Mapping[str, str]:
    """What the service will answer with and where, for start-up messages."""
    if settings.has_model_endpoint:
        model = settings.openai_model
        if settings.offline_router_enabled:
            model += " (offline router when it cannot be reached)"
    elif settings.offline_router_enabled:
        model = "offline router (no model endpoint configured)"
    else:
        model = "none: set OPENAI_API_KEY or OPENAI_BASE_URL, or OFFLINE_ROUTER_ENABLED=true"
    front = "local console" if console_mode(settings) else "Slack"
    return {"answers with": model, "front end": front, "gateway": settings.mcp_gateway_url}
