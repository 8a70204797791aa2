"""Rate-limit counters and call caps, in Postgres and in Redis, with the same semantics: exact
under concurrency, epoch-aligned windows on the caller's clock, and closed on store failure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from artbattle_ops.config.settings import SharedPolicySettings, load
from artbattle_ops.db.pool import Database
from artbattle_ops.policy.limits import (
    CounterStore,
    LimitDecision,
    PostgresCounterStore,
    RedisCounterStore,
    StateUnavailableError,
    build_counter_store,
)
from tests.integration.policy.conftest import redis_client

# 12:00:00 UTC on 2025-03-01: the start of a 60-second window.
WINDOW_START = 1_740_830_400.0
WAIT_SEC = 30


@pytest.fixture(params=["postgres", "redis"])
async def store(
    request: pytest.FixtureRequest, database: Database, redis_answers: bool
) -> AsyncIterator[CounterStore]:
    """Each test runs once per store kind."""
    if request.param == "postgres":
        yield PostgresCounterStore(database)
        return
    redis_store = RedisCounterStore(redis_client(redis_answers))
    yield redis_store
    await redis_store.aclose()


@pytest.fixture
def subject() -> str:
    """A subject no other test (or earlier run against the same Redis) has counted."""
    return f"U{uuid.uuid4().hex}"


async def test_concurrent_hits_admit_exactly_the_limit(store: CounterStore, subject: str) -> None:
    hits = [store.hit("user", subject, 20, 60, WINDOW_START + 5) for _ in range(30)]

    decisions = await asyncio.wait_for(asyncio.gather(*hits), WAIT_SEC)

    assert sum(d.allowed for d in decisions) == 20
    assert sorted(d.count for d in decisions) == list(range(1, 31))


async def test_a_refused_hit_may_retry_when_its_window_ends(
    store: CounterStore, subject: str
) -> None:
    await store.hit("user", subject, 1, 60, WINDOW_START + 15)

    refused = await store.hit("user", subject, 1, 60, WINDOW_START + 15.5)

    assert refused == LimitDecision(allowed=False, count=2, limit=1, retry_after_sec=45)


async def test_an_admitted_hit_has_no_retry_delay(store: CounterStore, subject: str) -> None:
    decision = await store.hit("user", subject, 5, 60, WINDOW_START)

    assert decision == LimitDecision(allowed=True, count=1, limit=5, retry_after_sec=0)


async def test_the_next_window_starts_a_new_count(store: CounterStore, subject: str) -> None:
    for _ in range(3):
        await store.hit("user", subject, 2, 60, WINDOW_START + 59)

    decision = await store.hit("user", subject, 2, 60, WINDOW_START + 60)

    assert (decision.allowed, decision.count) == (True, 1)


async def test_scopes_and_subjects_are_counted_apart(store: CounterStore, subject: str) -> None:
    await store.hit("user", subject, 1, 60, WINDOW_START)

    decisions = [
        await store.hit("user", f"{subject}-other", 1, 60, WINDOW_START),
        await store.hit("channel", subject, 1, 60, WINDOW_START),
    ]

    assert [d.count for d in decisions] == [1, 1]


async def test_a_tool_is_capped_per_request(store: CounterStore, subject: str) -> None:
    request_id = subject

    decisions = [await store.consume_call(request_id, "lookup_event", 2) for _ in range(3)]

    assert [(d.allowed, d.count) for d in decisions] == [(True, 1), (True, 2), (False, 3)]


async def test_call_caps_count_each_request_and_tool_apart(
    store: CounterStore, subject: str
) -> None:
    await store.consume_call(subject, "lookup_event", 1)

    decisions = [
        await store.consume_call(subject, "get_vote_data", 1),
        await store.consume_call(f"{subject}-next", "lookup_event", 1),
    ]

    assert all(d.allowed for d in decisions)


async def test_concurrent_calls_of_one_tool_admit_exactly_its_cap(
    store: CounterStore, subject: str
) -> None:
    calls = [store.consume_call(subject, "send_payment_reminder", 1) for _ in range(10)]

    decisions = await asyncio.wait_for(asyncio.gather(*calls), WAIT_SEC)

    assert sum(d.allowed for d in decisions) == 1


async def test_a_refused_call_has_no_retry_delay(store: CounterStore, subject: str) -> None:
    await store.consume_call(subject, "lookup_event", 1)

    refused = await store.consume_call(subject, "lookup_event", 1)

    assert refused.retry_after_sec == 0


# -- Failing closed -----------------------------------------------------------------------------


async def test_a_missing_counter_table_fails_closed(database: Database) -> None:
    await database.execute("DROP TABLE public.esbmcp_rate_limits CASCADE")
    store = PostgresCounterStore(database)

    with pytest.raises(StateUnavailableError) as caught:
        await store.hit("user", "U1", 20, 60, WINDOW_START)

    assert (caught.value.code, caught.value.message) == (
        "upstream_error",
        "temporarily unavailable",
    )


async def test_an_unreachable_redis_fails_closed() -> None:
    client = aioredis.Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=1)
    store = RedisCounterStore(client)

    with pytest.raises(StateUnavailableError):
        await store.consume_call("r1", "lookup_event", 3)

    await store.aclose()


# -- Choosing the store -------------------------------------------------------------------------


async def test_counters_live_in_postgres_without_a_redis_url(database: Database) -> None:
    settings = load(SharedPolicySettings, APP_ENV="test", REDIS_URL="")

    store = build_counter_store(settings, database)

    assert isinstance(store, PostgresCounterStore)


async def test_counters_live_in_redis_when_a_redis_url_is_set(database: Database) -> None:
    settings = load(SharedPolicySettings, APP_ENV="test", REDIS_URL="redis://127.0.0.1:6379/0")

    store = build_counter_store(settings, database)

    await store.aclose()
    assert isinstance(store, RedisCounterStore)
