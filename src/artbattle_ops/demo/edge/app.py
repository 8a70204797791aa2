"""The emulator's HTTP app: the common rules of schema.md §7.0 around the three functions."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from artbattle_ops.config.settings import AppEnv, EdgeSettings
from artbattle_ops.db.client import create_db_client
from artbattle_ops.db.pool import Database
from artbattle_ops.demo.edge.auth import authenticate
from artbattle_ops.demo.edge.body import InvalidJsonError, parse_body
from artbattle_ops.demo.edge.call import EdgeCall, Handler
from artbattle_ops.demo.edge.invitation import send_invitation
from artbattle_ops.demo.edge.payment import process_payment
from artbattle_ops.demo.edge.refusal import EdgeRefusal
from artbattle_ops.demo.edge.reminder import send_reminder
from artbattle_ops.demo.edge.tokens import TokenError
from artbattle_ops.errors import ConfigError, DatabaseError, DemoDataError

logger = logging.getLogger(__name__)

# Log events of the emulator (lower snake case, fixed once shipped).
EDGE_STARTED = "edge_emulator_started"
EDGE_CALLED = "edge_function_called"
EDGE_DB_FAILED = "edge_function_db_failed"

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": (
        "authorization, x-client-info, apikey, content-type, idempotency-key, x-request-id, "
        "x-acting-user"
    ),
    "Access-Control-Allow-Methods": "POST, OPTIONS",
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
HAS_DEMO_META = "SELECT to_regclass('public.demo_meta') IS NOT NULL AS found"
READ_DEMO_MARKER = (
    "SELECT value = 'true'::jsonb AS found FROM public.demo_meta WHERE key = 'marker'"
)


@dataclass(frozen=True)
class EdgeFunction:
    """A served function: its handler and whether its errors use the `success: false` shape."""

    handler: Handler
    success_shape: bool = False

    def error_body(self, error: str, details: str | None = None) -> dict[str, Any]:
        """A common-rule error in this function's shape."""
        if self.success_shape:
            return {"success": False, "error": error}
        return {"error": error} if details is None else {"error": error, "details": details}


FUNCTIONS = {
    "admin-send-invitation": EdgeFunction(send_invitation),
    "process-artist-payment": EdgeFunction(process_payment),
    "admin-send-payment-reminder": EdgeFunction(send_reminder, success_shape=True),
}


def create_edge_app(settings: EdgeSettings) -> Starlette:
    """The emulator on the database `settings` resolve to (SUPABASE_DB_URL, or embedded).

    Raises:
        ConfigError: SUPABASE_JWT_SECRET is not set.
    """
    secret = settings.supabase_jwt_secret
    if secret is None or not secret.get_secret_value():
        raise ConfigError("SUPABASE_JWT_SECRET is not set; the emulator verifies tokens with it")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        client = await create_db_client(settings, component="edge")
        if client.database is None:
            raise ConfigError(f"the edge emulator has no database ({client.skipped_reason})")
        try:
            await _require_demo_database(client.database)
            app.state.database = client.database
            logger.info(EDGE_STARTED, extra={"functions": sorted(FUNCTIONS)})
            yield
        finally:
            await client.close()

    async def function_endpoint(request: Request) -> Response:
        return await serve(request, settings, secret.get_secret_value())

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/functions/v1/{name}", function_endpoint, methods=ALL_METHODS),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def healthz(request: Request) -> Response:
    """Process alive; no dependency is checked."""
    return json_response(200, {"status": "ok"})


async def serve(request: Request, settings: EdgeSettings, secret: str) -> Response:
    """Apply the common rules in order, then run the function in one transaction."""
    started = time.monotonic()
    name = request.path_params["name"]
    response = await _answer(request, settings, secret, name)
    logger.info(
        EDGE_CALLED,
        extra={
            "function": name,
            "method": request.method,
            "status": response.status_code,
            "request_id": request.headers.get("x-request-id"),
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return response


async def _answer(request: Request, settings: EdgeSettings, secret: str, name: str) -> Response:
    function = FUNCTIONS.get(name)
    if function is None:
        return Response(status_code=404)
    if request.method == "OPTIONS":
        return PlainTextResponse("ok", headers=CORS_HEADERS)
    if request.method != "POST":
        return json_response(405, {"error": "Method not allowed"})
    if settings.app_env == AppEnv.TEST and "x-emulator-fail" in request.headers:
        return injected_failure(request.headers["x-emulator-fail"])

    try:
        caller = authenticate(secret, request.headers.get("authorization"))
    except TokenError:
        return json_response(401, function.error_body("Unauthorized"))
    try:
        body = parse_body(await request.body())
    except InvalidJsonError:
        return json_response(400, function.error_body("Invalid JSON body"))

    call = EdgeCall(
        caller,
        body,
        idempotency_key=request.headers.get("idempotency-key"),
        auto_complete_payouts=settings.edge_auto_complete_payouts,
    )
    return await _run(request.app.state.database, function, name, call)


async def _run(database: Database, function: EdgeFunction, name: str, call: EdgeCall) -> Response:
    """The function in one transaction: a refusal or a database error rolls everything back."""
    try:
        async with database.transaction() as conn:
            return json_response(200, await function.handler(conn, call))
    except EdgeRefusal as refusal:
        return json_response(refusal.status, refusal.body)
    except DatabaseError as exc:
        extra = {"function": name, "kind": exc.kind, "sqlstate": exc.sqlstate}
        logger.warning(EDGE_DB_FAILED, extra=extra)
        return json_response(500, function.error_body("Internal error", exc.sqlstate or "08000"))


def injected_failure(value: str) -> Response:
    """The test hook's answer: the status named by `x-emulator-fail`, with a JSON error."""
    try:
        status = int(value.strip())
    except ValueError:
        status = 0
    if not 200 <= status <= 599:
        return json_response(400, {"error": "x-emulator-fail must be an HTTP status"})
    return json_response(status, {"error": "Injected failure"})


def json_response(status: int, body: dict[str, Any]) -> Response:
    """`body` as application/json (non-ASCII kept, as Deno's JSON.stringify does)."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(
        content, status_code=status, media_type="application/json", headers=CORS_HEADERS
    )


async def _require_demo_database(database: Database) -> None:
    """The emulator writes demo tables only; refuse a database the demo loader did not build."""
    for query in (HAS_DEMO_META, READ_DEMO_MARKER):
        row = await database.fetch_one(query)
        if row is not None and row["found"]:
            continue
        raise DemoDataError(
            "the edge emulator serves demo databases only; run `artbattle-ops seed` first"
        )
