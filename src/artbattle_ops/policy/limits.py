"""Rate-limit counters and per-request call caps, shared by every replica (observability.md §8).

Each check is one atomic operation on the shared store (Postgres, or Redis when `REDIS_URL` is
set), so exactly `limit` attempts are admitted per window however many replicas race. Windows are
fixed and aligned on the Unix epoch; their instant comes from the caller's clock. When the store
cannot be reached the check fails closed with `StateUnavailableError`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Protocol

import redis.asyncio as aioredis
from psycopg.rows import dict_row
from redis.exceptions import RedisError

from artbattle_ops.config.settings import SharedPolicySettings
from artbattle_ops.db import state_sql
from artbattle_ops.db.pool import Database
from artbattle_ops.errors import DatabaseError, OpsError

# A call count lives as long as any request can (the counter is keyed by request id).
CALL_COUNT_TTL_SEC: Final = 3600
REDIS_KEY_PREFIX: Final = "esbmcp"
# Each check is one round trip on the user path: a store slower than this counts as unavailable.
REDIS_TIMEOUT_SEC: Final = 2.0

# INCR, and on the first hit EXPIRE, in one atomic script: KEYS[1] counter, ARGV[1] ttl seconds.
_REDIS_INCREMENT: Final = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return hits
"""


class StateUnavailableError(OpsError):
    """The shared state store could not be reached; the request is refused, never let through."""

    code = "upstream_error"
    status = 503

    def __init__(self, message: str = "temporarily unavailable") -> None:
        super().__init__(message)


@dataclass(frozen=True)
class LimitDecision:
    """One counted attempt: admitted or not, its count, and when a refused caller may retry."""

    allowed: bool
    count: int
    limit: int
    retry_after_sec: int = 0


class CounterStore(Protocol):
    """Atomic counters for rate limits and call caps."""

    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> LimitDecision:
        """Count one attempt of `subject` in the `window_sec` window holding `now` (Unix seconds).

        Raises:
            StateUnavailableError: the store could not be reached.
        """
        ...

    async def consume_call(self, request_id: str, tool: str, limit: int) -> LimitDecision:
        """Count one call of `tool` within `request_id` against its `max_calls_per_request`.

        Raises:
            StateUnavailableError: the store could not be reached.
        """
        ...

    async def aclose(self) -> None:
        """Release what the store owns (not a database it was given)."""
        ...


def window_bounds(window_sec: int, now: float) -> tuple[int, int]:
    """Start and end (Unix seconds) of the epoch-aligned window that holds `now`."""
    start = math.floor(now / window_sec) * window_sec
    return start, start + window_sec


def decide(count: int, limit: int, retry_after_sec: int = 0) -> LimitDecision:
    """Admit the attempt counted `count`-th when it is within `limit`."""
    if count <= limit:
        return LimitDecision(True, count, limit)
    return LimitDecision(False, count, limit, retry_after_sec)


def seconds_until(end: float, now: float) -> int:
    """Whole seconds from `now` until a window's `end`, at least 1."""
    return max(1, math.ceil(end - now))


class PostgresCounterStore:
    """Counters in `esbmcp_rate_limits`, one `INSERT … ON CONFLICT DO UPDATE` per check."""

    def __init__(self, database: Database, *, clock: Callable[[], float] = time.time) -> None:
        self._database = database
        self._clock = clock

    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> LimitDecision:
        """Count one attempt; see `CounterStore.hit`."""
        params = {
            "scope": scope,
            "subject": subject,
            "window_sec": window_sec,
            "at": datetime.fromtimestamp(now, UTC),
        }
        row = await self._increment(state_sql.INCREMENT_RATE_LIMIT, params)
        retry_after = seconds_until(row["expires_at"].timestamp(), now)
        return decide(int(row["hits"]), limit, retry_after)

    async def consume_call(self, request_id: str, tool: str, limit: int) -> LimitDecision:
        """Count one call; see `CounterStore.consume_call`."""
        params = {
            "request_id": request_id,
            "tool_name": tool,
            "at": datetime.fromtimestamp(self._clock(), UTC),
            "ttl_sec": CALL_COUNT_TTL_SEC,
        }
        row = await self._increment(state_sql.INCREMENT_CALL_COUNT, params)
        return decide(int(row["hits"]), limit)

    async def aclose(self) -> None:
        """Nothing to release: the database belongs to the caller."""

    async def _increment(self, query: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            async with self._database.transaction() as conn:
                cursor = conn.cursor(row_factory=dict_row)
                await cursor.execute(query, params)
                row = await cursor.fetchone()
        except DatabaseError as exc:
            raise StateUnavailableError() from exc
        if row is None:
            raise StateUnavailableError()
        return row


class RedisCounterStore:
    """Counters in Redis: one Lua script per check (INCR, then EXPIRE on the first hit)."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client
        self._increment = client.register_script(_REDIS_INCREMENT)

    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> LimitDecision:
        """Count one attempt; see `CounterStore.hit`."""
        start, end = window_bounds(window_sec, now)
        key = f"{REDIS_KEY_PREFIX}:rate:{scope}:{start}:{subject}"
        # The key names its window, so the TTL only has to outlive it; a relative TTL keeps
        # counters alive whatever clock the caller injects.
        count = await self._count(key, window_sec + 1)
        return decide(count, limit, seconds_until(end, now))

    async def consume_call(self, request_id: str, tool: str, limit: int) -> LimitDecision:
        """Count one call; see `CounterStore.consume_call`."""
        key = f"{REDIS_KEY_PREFIX}:calls:{request_id}:{tool}"
        count = await self._count(key, CALL_COUNT_TTL_SEC)
        return decide(count, limit)

    async def aclose(self) -> None:
        """Close the Redis connections."""
        await self._client.aclose()

    async def _count(self, key: str, ttl_sec: int) -> int:
        try:
            hits = await self._increment(keys=[key], args=[ttl_sec])
        except (RedisError, OSError) as exc:
            raise StateUnavailableError() from exc
        return int(hits)


def build_counter_store(settings: SharedPolicySettings, database: Database) -> CounterStore:
    """Redis counters when `REDIS_URL` is set, else Postgres counters on `database`."""
    if settings.redis_url is None:
        return PostgresCounterStore(database)
    client = aioredis.Redis.from_url(
        settings.redis_url.get_secret_value(),
        socket_timeout=REDIS_TIMEOUT_SEC,
        socket_connect_timeout=REDIS_TIMEOUT_SEC,
    )
    return RedisCounterStore(client)
