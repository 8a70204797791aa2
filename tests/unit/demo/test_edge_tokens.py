"""HS256 tokens of the edge emulator: mint, verify, and every way a token is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from artbattle_ops.demo.edge.tokens import TokenError, mint_token, service_token, verify_token

SECRET = "unit-test-jwt-secret-8c2f"
NOW = 1_800_000_000.0


def _segment(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(header: dict[str, Any], claims: dict[str, Any], secret: str = SECRET) -> str:
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    digest = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def test_a_minted_token_verifies_to_its_claims_with_iat_and_exp() -> None:
    token = mint_token(SECRET, {"sub": "u1", "role": "authenticated"}, ttl_sec=60, now=NOW)

    claims = verify_token(SECRET, token, now=NOW + 30)

    assert claims == {"sub": "u1", "role": "authenticated", "iat": int(NOW), "exp": int(NOW) + 60}


def test_a_minted_token_is_a_standard_hs256_jwt() -> None:
    token = mint_token(SECRET, {"sub": "u1"}, ttl_sec=60, now=NOW)

    expected = _signed(
        {"alg": "HS256", "typ": "JWT"}, {"sub": "u1", "iat": 1_800_000_000, "exp": 1_800_000_060}
    )

    assert token == expected


def test_a_token_signed_elsewhere_with_the_secret_verifies() -> None:
    token = _signed({"alg": "HS256", "typ": "JWT"}, {"role": "service_role", "exp": NOW + 10})

    assert verify_token(SECRET, token, now=NOW)["role"] == "service_role"


def test_the_service_token_has_the_service_role() -> None:
    token = service_token(SECRET, 60, now=NOW)

    assert verify_token(SECRET, token, now=NOW)["role"] == "service_role"


def _tampered_payload() -> str:
    header, _, signature = mint_token(SECRET, {"role": "authenticated"}, ttl_sec=60, now=NOW).split(
        "."
    )
    return f"{header}.{_segment({'role': 'service_role', 'exp': NOW + 60})}.{signature}"


REFUSED = {
    "empty": "",
    "one segment": "abc",
    "four segments": "a.b.c.d",
    "header not base64 json": "!!!.e30.sig",
    "tampered payload": _tampered_payload(),
    "other secret": _signed({"alg": "HS256"}, {"exp": NOW + 60}, secret="another-secret"),
    "alg none": f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment({'exp': NOW + 60})}.",
    "alg HS512": _signed({"alg": "HS512"}, {"exp": NOW + 60}),
    "expired": _signed({"alg": "HS256"}, {"exp": NOW - 1}),
    "expiring now": _signed({"alg": "HS256"}, {"exp": NOW}),
    "no exp": _signed({"alg": "HS256"}, {"sub": "u1"}),
    "exp not a number": _signed({"alg": "HS256"}, {"exp": "soon"}),
    "payload not an object": f"{_segment({'alg': 'HS256'})}.WzFd.x",
}


@pytest.mark.parametrize("token", list(REFUSED.values()), ids=list(REFUSED))
def test_a_bad_token_is_refused(token: str) -> None:
    with pytest.raises(TokenError):
        verify_token(SECRET, token, now=NOW)
