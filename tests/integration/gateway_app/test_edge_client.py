"""The Edge Function client maps every answer to the tool error of tools.md §1.9."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from artbattle_ops.config.settings import GatewaySettings, load
from artbattle_ops.gateway.edge import EdgeClient, EdgeFailure
from artbattle_ops.gateway.failures import classify_failure, is_raised
from tests.integration.gateway_app.conftest import free_port, serve_asgi

SEEN: list[dict[str, Any]] = []


async def function(request: Request) -> Response:
    name = request.path_params["name"]
    body = await request.json()
    SEEN.append({"name": name, "headers": dict(request.headers), "body": body})
    status = int(body["status"])
    if status == 204:
        await asyncio.sleep(2)
        return JSONResponse({"success": True})
    if name == "not-deployed":
        return Response(status_code=404)
    if status == 200:
        return JSONResponse({"success": True, "id": "abc"})
    if status == 299:
        return JSONResponse({"success": False, "error": "Stripe said no"})
    return JSONResponse({"error": f"failed with {status}"}, status_code=status)


@pytest.fixture
async def edge_url() -> AsyncIterator[str]:
    app = Starlette(routes=[Route("/functions/v1/{name}", function, methods=["POST"])])
    async with serve_asgi(app) as url:
        yield url


def client(url: str | None, **overrides: Any) -> EdgeClient:
    values = {
        "APP_ENV": "test",
        "SUPABASE_URL": url,
        "SUPABASE_SERVICE_ROLE_KEY": "service-role-key-test",
        "SUPABASE_EDGE_ADMIN_TOKEN": "admin-user-token-test",
        "EDGE_TIMEOUT_MS": 500,
    }
    return EdgeClient(load(GatewaySettings, **(values | overrides)))


async def call(edge: EdgeClient, name: str, status: int = 200) -> dict[str, Any]:
    return await edge.call(
        name,
        {"x": 1, "status": status},
        idempotency_key="k" * 64,
        request_id="r" * 32,
        acting_user="UOPS",
        check_with="get_artist_payment_ledger",
    )


async def failure(edge: EdgeClient, name: str, status: int) -> EdgeFailure:
    with pytest.raises(EdgeFailure) as caught:
        await call(edge, name, status)
    return caught.value


async def test_success_returns_the_functions_answer(edge_url: str) -> None:
    answer = await call(client(edge_url), "process-artist-payment")

    assert answer == {"success": True, "id": "abc"}


async def test_headers_carry_credentials_key_and_correlation(edge_url: str) -> None:
    SEEN.clear()

    await call(client(edge_url), "admin-send-invitation")

    headers = SEEN[0]["headers"]
    assert headers["authorization"] == "Bearer admin-user-token-test"
    assert headers["apikey"] == "service-role-key-test"
    assert (headers["idempotency-key"], headers["x-acting-user"]) == ("k" * 64, "UOPS")


@pytest.mark.parametrize(
    ("status", "code", "raised"),
    [
        (400, "precondition_failed", False),
        (401, "upstream_error", True),
        (403, "upstream_error", True),
        (404, "not_found", False),
        (409, "conflict", False),
        (500, "upstream_error", True),
        (503, "upstream_error", True),
        (299, "upstream_error", True),
    ],
)
async def test_status_maps_to_its_code(edge_url: str, status: int, code: str, raised: bool) -> None:
    error = await failure(client(edge_url), "process-artist-payment", status)

    assert (error.code, is_raised(error)) == (code, raised)


async def test_undeployed_function_is_not_configured(edge_url: str) -> None:
    error = await failure(client(edge_url), "not-deployed", 404)

    assert error.code == "not_configured"


async def test_function_error_is_recorded_as_an_edge_function_error(edge_url: str) -> None:
    error = await failure(client(edge_url), "process-artist-payment", 500)

    recorded = classify_failure(error, timeout_ms=10_000)
    assert (recorded.error_type, recorded.error_code, recorded.edge_function) == (
        "edge_function_error",
        "500",
        "process-artist-payment",
    )


async def test_timeout_leaves_the_outcome_unknown_and_names_the_check(edge_url: str) -> None:
    error = await failure(client(edge_url), "process-artist-payment", 204)

    assert error.code == "timeout"
    assert error.details == [{"outcome": "unknown"}]
    assert "get_artist_payment_ledger" in error.message


async def test_unreachable_function_was_not_applied() -> None:
    error = await failure(client(f"http://127.0.0.1:{free_port()}"), "process-artist-payment", 200)

    assert (error.code, error.details) == ("upstream_error", [{"outcome": "not_applied"}])


async def test_missing_url_is_not_configured_naming_the_setting() -> None:
    with pytest.raises(EdgeFailure) as caught:
        await call(client(None), "process-artist-payment")

    assert (caught.value.code, "SUPABASE_URL" in caught.value.message) == ("not_configured", True)


async def test_admin_functions_need_the_admin_token(edge_url: str) -> None:
    edge = client(edge_url, SUPABASE_EDGE_ADMIN_TOKEN="")

    with pytest.raises(EdgeFailure) as caught:
        await call(edge, "admin-send-payment-reminder")

    assert "SUPABASE_EDGE_ADMIN_TOKEN" in caught.value.message


async def test_payment_function_falls_back_to_the_service_key(edge_url: str) -> None:
    SEEN.clear()

    await call(client(edge_url, SUPABASE_EDGE_ADMIN_TOKEN=""), "process-artist-payment")

    assert SEEN[0]["headers"]["authorization"] == "Bearer service-role-key-test"
    assert json.loads(json.dumps(SEEN[0]["body"])) == {"x": 1, "status": 200}
