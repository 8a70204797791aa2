"""Bearer tokens at the emulator: 401 for bad tokens, 403 for valid tokens without rights."""

from __future__ import annotations

import uuid

import pytest

from artbattle_ops.demo.edge.tokens import mint_token, verify_token
from tests.integration.edge.conftest import JWT_SECRET, Edge, admin_token_for, service, user_token

FUNCTIONS = ["admin-send-invitation", "process-artist-payment", "admin-send-payment-reminder"]
UNAUTHORIZED = {
    "admin-send-invitation": {"error": "Unauthorized"},
    "process-artist-payment": {"error": "Unauthorized"},
    "admin-send-payment-reminder": {"success": False, "error": "Unauthorized"},
}
FORBIDDEN = {
    "admin-send-invitation": {"error": "Admin access required"},
    "process-artist-payment": {"error": "Admin access required"},
    "admin-send-payment-reminder": {"success": False, "error": "Admin access required"},
}


def _bad_tokens(edge: Edge) -> dict[str, str | None]:
    header, payload, _ = edge.admin_token.split(".")
    return {
        "missing": None,
        "malformed": "not-a-jwt",
        "bad signature": f"{header}.{payload}.{'A' * 43}",
        "other secret": mint_token("another-secret-1234", {"role": "service_role"}, ttl_sec=60),
        "expired": user_token({"sub": str(uuid.uuid4()), "email": "x@example.com"}, ttl_sec=-5),
    }


BAD_TOKEN_CASES = ["missing", "malformed", "bad signature", "other secret", "expired"]


@pytest.mark.parametrize("case", BAD_TOKEN_CASES)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_bad_token_gets_401(edge: Edge, function: str, case: str, unchanged: None) -> None:
    response = edge.post(function, {}, token=_bad_tokens(edge)[case])

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED[function])


def test_a_bearer_in_another_scheme_gets_401(edge: Edge, unchanged: None) -> None:
    response = edge.post(
        "process-artist-payment",
        {},
        token=None,
        headers={"Authorization": f"Basic {edge.admin_token}"},
    )

    assert (response.status_code, response.json()) == (401, UNAUTHORIZED["process-artist-payment"])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_user_who_is_no_admin_gets_403(edge: Edge, function: str, unchanged: None) -> None:
    token = user_token({"sub": str(uuid.uuid4()), "email": "fan@example.com"})

    response = edge.post(function, {"art_id": "AB0000-1-1"}, token=token)

    assert (response.status_code, response.json()) == (403, FORBIDDEN[function])


@pytest.mark.parametrize("function", FUNCTIONS)
def test_an_inactive_admin_gets_403(edge: Edge, function: str, unchanged: None) -> None:
    inactive = edge.row("SELECT email FROM public.abhq_admin_users WHERE NOT active LIMIT 1")

    response = edge.post(function, {}, token=admin_token_for(edge, inactive["email"]))

    assert (response.status_code, response.json()) == (403, FORBIDDEN[function])


@pytest.mark.parametrize(
    ("function", "level"),
    [
        ("admin-send-invitation", "voting"),
        ("process-artist-payment", "voting"),
        ("process-artist-payment", "photo"),
    ],
)
def test_an_admin_below_the_functions_levels_gets_403(
    edge: Edge, function: str, level: str, unchanged: None
) -> None:
    admin = edge.row(
        "SELECT email FROM public.abhq_admin_users WHERE active AND level = %s LIMIT 1", (level,)
    )

    response = edge.post(function, {}, token=admin_token_for(edge, admin["email"]))

    assert (response.status_code, response.json()) == (403, FORBIDDEN[function])


@pytest.mark.parametrize("function", ["admin-send-invitation", "admin-send-payment-reminder"])
def test_the_service_token_is_refused_by_the_admin_functions(
    edge: Edge, function: str, unchanged: None
) -> None:
    response = edge.post(function, {"art_id": "AB0000-1-1"}, token=service())

    assert (response.status_code, response.json()) == (403, FORBIDDEN[function])


def test_the_service_token_is_accepted_by_process_artist_payment(
    edge: Edge, unchanged: None
) -> None:
    response = edge.post("process-artist-payment", {}, token=service())

    assert response.status_code == 400
    assert response.json()["error"] == "artist_profile_id is invalid"


def test_the_demo_admin_token_names_the_seeded_assistant_account(edge: Edge) -> None:
    expected = edge.row(
        """
        SELECT u.id, u.email FROM public.abhq_admin_users a JOIN auth.users u ON u.id = a.user_id
        WHERE a.email = 'ops-assistant@artbattle.example' AND a.active AND a.level = 'producer'
        """
    )

    claims = verify_token(JWT_SECRET, edge.admin_token)

    assert (claims["sub"], claims["email"], claims["role"]) == (
        str(expected["id"]),
        expected["email"],
        "authenticated",
    )
