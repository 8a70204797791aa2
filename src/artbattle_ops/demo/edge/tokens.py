"""HS256 JWTs as Supabase issues them: minting for the local stack, verifying for the emulator."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

import psycopg

from artbattle_ops.demo.generator.accounts import OPS_ASSISTANT_EMAIL
from artbattle_ops.errors import OpsError

HEADER = {"alg": "HS256", "typ": "JWT"}
SERVICE_ROLE = "service_role"
USER_ROLE = "authenticated"

FIND_ADMIN = """
SELECT u.id, u.email
FROM public.abhq_admin_users a
JOIN auth.users u ON u.id = a.user_id
WHERE lower(a.email) = lower(%s) AND a.active
"""


class TokenError(OpsError):
    """A bearer token is missing, malformed, badly signed, of another algorithm, or expired."""

    code = "unauthorized"
    status = 401


def mint_token(
    secret: str, claims: dict[str, Any], *, ttl_sec: int, now: float | None = None
) -> str:
    """An HS256 JWT carrying `claims` plus `iat` and `exp` (`ttl_sec` after `now`)."""
    issued = int(time.time() if now is None else now)
    payload = {**claims, "iat": issued, "exp": issued + ttl_sec}
    signing_input = f"{_encode_json(HEADER)}.{_encode_json(payload)}"
    return f"{signing_input}.{_b64encode(_sign(secret, signing_input))}"


def verify_token(secret: str, token: str, *, now: float | None = None) -> dict[str, Any]:
    """The claims of a valid, unexpired HS256 token signed with `secret`.

    Raises:
        TokenError: the token is missing, malformed, not HS256, badly signed or expired.
    """
    if not token:
        raise TokenError("token is missing")
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("token is malformed")
    header = _decode_json(parts[0])
    if header.get("alg") != "HS256":
        raise TokenError("token algorithm is not HS256")
    expected = _sign(secret, f"{parts[0]}.{parts[1]}")
    if not hmac.compare_digest(expected, _b64decode(parts[2])):
        raise TokenError("token signature is invalid")
    claims = _decode_json(parts[1])
    _check_expiry(claims, time.time() if now is None else now)
    return claims


def service_token(secret: str, ttl_sec: int, *, now: float | None = None) -> str:
    """A service-role token, as Supabase's service key is."""
    return mint_token(secret, {"role": SERVICE_ROLE}, ttl_sec=ttl_sec, now=now)


def demo_admin_token(
    database_url: str, secret: str, ttl_sec: int, *, email: str = OPS_ASSISTANT_EMAIL
) -> str:
    """A user token for the demo database's active admin `email` (the assistant's account).

    Synchronous, so a test fixture or the local launcher can call it directly.

    Raises:
        TokenError: no active admin with that email has an `auth.users` row.
        psycopg.Error: the database cannot be reached or read.
    """
    with psycopg.connect(database_url) as conn:
        row = conn.execute(FIND_ADMIN, (email,)).fetchone()
    if row is None:
        raise TokenError(f"no active admin {email} with an auth.users row in the demo database")
    claims = {"sub": str(row[0]), "email": row[1], "role": USER_ROLE}
    return mint_token(secret, claims, ttl_sec=ttl_sec)


def _check_expiry(claims: dict[str, Any], now: float) -> None:
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise TokenError("token has no expiry")
    if exp <= now:
        raise TokenError("token has expired")


def _sign(secret: str, signing_input: str) -> bytes:
    return hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()


def _encode_json(value: dict[str, Any]) -> str:
    return _b64encode(json.dumps(value, separators=(",", ":")).encode())


def _decode_json(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(segment))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TokenError("token is malformed") from exc
    if not isinstance(value, dict):
        raise TokenError("token is malformed")
    return value


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("token is malformed") from exc
