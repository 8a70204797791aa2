"""Who is calling: the verified bearer token and the admin rows it matches (schema.md §7.0)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from artbattle_ops.demo.edge.body import is_uuid
from artbattle_ops.demo.edge.store import fetch_one
from artbattle_ops.demo.edge.tokens import SERVICE_ROLE, USER_ROLE, TokenError, verify_token

ADMIN_BY_EMAIL = """
SELECT level FROM public.abhq_admin_users
WHERE lower(email) = lower(%s) AND active
"""

ADMIN_BY_USER_ID = """
SELECT level FROM public.abhq_admin_users
WHERE user_id = %s AND active
"""


@dataclass(frozen=True)
class Caller:
    """The claims of a verified token."""

    claims: dict[str, Any]

    @property
    def is_service(self) -> bool:
        """A service-role token (Supabase's service key)."""
        return self.claims.get("role") == SERVICE_ROLE

    @property
    def is_user(self) -> bool:
        """A signed-in user's token."""
        return self.claims.get("role") == USER_ROLE

    @property
    def email(self) -> str | None:
        """The user's email claim, when it is a non-empty string."""
        value = self.claims.get("email")
        return value if isinstance(value, str) and value else None

    @property
    def user_id(self) -> str | None:
        """The `sub` claim (an `auth.users.id`), when it is a non-empty string."""
        value = self.claims.get("sub")
        return value if isinstance(value, str) and value else None

    def event_level(self, eid: str) -> str | None:
        """The level the `admin_events` claim grants at event `eid`, if any."""
        events = self.claims.get("admin_events")
        if not isinstance(events, dict):
            return None
        level = events.get(eid)
        return level if isinstance(level, str) else None


def authenticate(secret: str, authorization: str | None) -> Caller:
    """The caller of a request whose `Authorization` header is `authorization`.

    Raises:
        TokenError: no bearer token, or one that does not verify.
    """
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError("bearer token is missing")
    return Caller(verify_token(secret, token.strip()))


async def admin_level_by_email(conn: psycopg.AsyncConnection[Any], caller: Caller) -> str | None:
    """The level of the active admin whose email is the user token's, or None."""
    if not caller.is_user or caller.email is None:
        return None
    row = await fetch_one(conn, ADMIN_BY_EMAIL, (caller.email,))
    return None if row is None else str(row["level"])


async def admin_level_by_user_id(conn: psycopg.AsyncConnection[Any], caller: Caller) -> str | None:
    """The level of the active admin whose `user_id` is the token's `sub`, or None."""
    if not caller.is_user or caller.user_id is None or not is_uuid(caller.user_id):
        return None
    row = await fetch_one(conn, ADMIN_BY_USER_ID, (caller.user_id,))
    return None if row is None else str(row["level"])
