"""The common rules of schema.md §7.0: methods, unknown functions, JSON bodies and the test hook."""

from __future__ import annotations

import httpx2
import pytest

from tests.integration.edge.conftest import Edge, serving

FUNCTIONS = ["admin-send-invitation", "process-artist-payment", "admin-send-payment-reminder"]
PLAIN_SHAPE = {"admin-send-invitation", "process-artist-payment"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_options_answers_200_ok(edge: Edge, function: str) -> None:
    response = httpx2.options(f"{edge.url}/functions/v1/{function}")

    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_a_method_other_than_post_gets_405(edge: Edge, method: str) -> None:
    response = httpx2.request(method, f"{edge.url}/functions/v1/process-artist-payment")

    assert response.status_code == 405
    assert response.json() == {"error": "Method not allowed"}


@pytest.mark.parametrize("method", ["POST", "GET", "OPTIONS"])
def test_an_unknown_function_gets_404_with_an_empty_body(edge: Edge, method: str) -> None:
    response = httpx2.request(method, f"{edge.url}/functions/v1/admin-delete-everything")

    assert (response.status_code, response.content) == (404, b"")


@pytest.mark.parametrize("content", [b"{not json", b"", b"[1, 2]", b"NaN"], ids=repr)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_an_unparsable_body_gets_400_in_the_function_shape(
    edge: Edge, function: str, content: bytes, unchanged: None
) -> None:
    response = edge.post(function, content=content)

    expected = (
        {"error": "Invalid JSON body"}
        if function in PLAIN_SHAPE
        else {"success": False, "error": "Invalid JSON body"}
    )
    assert (response.status_code, response.json()) == (400, expected)


def test_responses_are_application_json(edge: Edge) -> None:
    response = edge.post("admin-send-payment-reminder", {})

    assert response.headers["content-type"].startswith("application/json")


def test_healthz_answers_ok(edge: Edge) -> None:
    response = httpx2.get(f"{edge.url}/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.parametrize("status", [400, 401, 404, 409, 500, 503])
def test_the_test_hook_forces_the_status_in_test_mode(
    edge: Edge, status: int, unchanged: None
) -> None:
    response = edge.post(
        "process-artist-payment", {}, headers={"x-emulator-fail": str(status)}, token=None
    )

    assert (response.status_code, response.json()) == (status, {"error": "Injected failure"})


def test_the_test_hook_is_ignored_outside_test_mode(edge_db: str) -> None:
    with serving(edge_db, APP_ENV="local") as local_edge:
        response = local_edge.post(
            "process-artist-payment", {}, headers={"x-emulator-fail": "503"}, token=None
        )

    assert (response.status_code, response.json()) == (401, {"error": "Unauthorized"})
