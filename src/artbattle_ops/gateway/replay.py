"""The signature replay cache: a request nonce is accepted once across all gateway replicas.

Postgres (`esbmcp_request_nonces`) is always correct; Redis takes over when `REDIS_URL` is set
(observability.md §8). Both fail closed: a store that cannot answer raises
`StateUnavailableError`, and the request is refused, never let through unchecked.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Final, Protocol

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from artbattle_ops.config.settings import GatewaySettings
from artbattle_ops.db.pool import Database
from artbattle_ops.db.state_sql import ACCEPT_REQUEST_NONCE
from artbattle_ops.errors import DatabaseError
from artbattle_ops.policy.limits import StateUnavailableError

REDIS_KEY_PREFIX: Final = "artbattle:mcp-nonce:"
REDIS_TIMEOUT_SEC: Final = 2.0
# One immediate retry covers a pooled connection that Redis closed; more would hold the request.
REDIS_RETRIES: Final = 1


class ReplayCache(Protocol):
    """Where accepted nonces are remembered until their signature window closes."""

    async def claim(self, nonce: str, expires_at: datetime) -> bool:
        """True the first time `nonce` is offered, False for every later offer.

        Raises:
            StateUnavailableError: the store could not answer.
        """
        ...

    async def close(self) -> None:
        """Release what the cache itself opened."""
        ...


class PostgresReplayCache:
    """Nonces in `esbmcp_request_nonces`, claimed with one atomic insert."""

    def __init__(self, database: Database, *, max_age_sec: int) -> None:
        self._database = database
        self._max_age_sec = max_age_sec

    async def claim(self, nonce: str, expires_at: datetime) -> bool:
        """Insert the nonce; only the first insert of a nonce returns a row."""
        params = {
            "nonce": nonce,
            "signed_at": expires_at - timedelta(seconds=self._max_age_sec),
            "max_age_sec": self._max_age_sec,
        }
        try:
            inserted = await self._database.execute(ACCEPT_REQUEST_NONCE, params)
        except DatabaseError as exc:
            raise StateUnavailableError() from exc
        return inserted == 1

    async def close(self) -> None:
        """Nothing to release: the database belongs to the gateway."""


class RedisReplayCache:
    """Nonces as Redis keys set with NX, expiring with the signature window."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    async def claim(self, nonce: str, expires_at: datetime) -> bool:
        """SET NX with an absolute expiry, rounded up a second so no clock rounding shortens it."""
        expire_at = math.ceil(expires_at.timestamp()) + 1
        try:
            created = await self._client.set(
                REDIS_KEY_PREFIX + nonce, b"1", nx=True, exat=expire_at
            )
        except RedisError as exc:
            raise StateUnavailableError() from exc
        return bool(created)

    async def close(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()


def build_replay_cache(settings: GatewaySettings, database: Database) -> ReplayCache:
    """Redis when `REDIS_URL` is set, otherwise Postgres."""
    if settings.redis_url is None:
        return PostgresReplayCache(database, max_age_sec=settings.mcp_request_signature_max_age_sec)
    client = redis.Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=REDIS_TIMEOUT_SEC,
        socket_connect_timeout=REDIS_TIMEOUT_SEC,
        retry=Retry(NoBackoff(), REDIS_RETRIES),
    )
    return RedisReplayCache(client)
