"""Slack event ids claimed once across replicas, so a redelivered event is answered once.

Postgres (`esbmcp_slack_event_claims`) is always correct; Redis takes over when `REDIS_URL` is
set (DESIGN.md §5). A claim store that cannot answer lets the event through: answering twice
is better than not answering, and the duplicate is rare.
"""

from __future__ import annotations

import logging
from typing import Final, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

from artbattle_ops.config.settings import SharedPolicySettings
from artbattle_ops.db.pool import Database
from artbattle_ops.db.state_sql import CLAIM_SLACK_EVENT, SLACK_EVENT_CLAIM_TTL_SEC
from artbattle_ops.errors import DatabaseError

logger = logging.getLogger(__name__)

REDIS_KEY_PREFIX: Final = "artbattle:slack-event:"
REDIS_TIMEOUT_SEC: Final = 2.0


class EventClaims(Protocol):
    """Where claimed event ids are remembered for a day."""

    async def claim(self, event_key: str) -> bool:
        """True for the first claim of `event_key` on any replica, False afterwards."""
        ...

    async def close(self) -> None:
        """Release what the store itself opened."""
        ...


class PostgresEventClaims:
    """Claims as rows of `esbmcp_slack_event_claims`, inserted with ON CONFLICT DO NOTHING."""

    def __init__(self, database: Database, *, ttl_sec: int = SLACK_EVENT_CLAIM_TTL_SEC) -> None:
        self._database = database
        self._ttl_sec = ttl_sec

    async def claim(self, event_key: str) -> bool:
        """Insert the key; only the first insert returns a row."""
        params = {"slack_event_id": event_key, "ttl_sec": self._ttl_sec}
        try:
            inserted = await self._database.execute(CLAIM_SLACK_EVENT, params)
        except DatabaseError:
            logger.warning("slack_claim_unavailable", extra={"store": "postgres"})
            return True
        return inserted == 1

    async def close(self) -> None:
        """Nothing to release: the database belongs to the service."""


class RedisEventClaims:
    """Claims as Redis keys set with NX and a one-day expiry."""

    def __init__(self, client: redis.Redis, *, ttl_sec: int = SLACK_EVENT_CLAIM_TTL_SEC) -> None:
        self._client = client
        self._ttl_sec = ttl_sec

    async def claim(self, event_key: str) -> bool:
        """SET NX EX: only the first setter gets a truthy answer."""
        try:
            created = await self._client.set(
                REDIS_KEY_PREFIX + event_key, b"1", nx=True, ex=self._ttl_sec
            )
        except RedisError:
            logger.warning("slack_claim_unavailable", extra={"store": "redis"})
            return True
        return bool(created)

    async def close(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()


class UnsharedEventClaims:
    """Claims kept in this process only: for a service running without a database."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._seen: dict[str, None] = {}
        self._max_entries = max_entries

    async def claim(self, event_key: str) -> bool:
        """True the first time this process sees `event_key`."""
        if event_key in self._seen:
            return False
        if len(self._seen) >= self._max_entries:
            del self._seen[next(iter(self._seen))]
        self._seen[event_key] = None
        return True

    async def close(self) -> None:
        """Nothing to release."""


def build_event_claims(settings: SharedPolicySettings, database: Database | None) -> EventClaims:
    """Redis when `REDIS_URL` is set, else Postgres, else (no database) this process only."""
    if settings.redis_url is not None:
        client = redis.Redis.from_url(
            settings.redis_url.get_secret_value(),
            socket_timeout=REDIS_TIMEOUT_SEC,
            socket_connect_timeout=REDIS_TIMEOUT_SEC,
        )
        return RedisEventClaims(client)
    if database is not None:
        return PostgresEventClaims(database)
    return UnsharedEventClaims()
