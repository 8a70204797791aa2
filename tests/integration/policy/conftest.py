"""Fixtures for the policy stores: a migrated database behind the project's pool, and Redis."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import psycopg
import pytest
import redis.asyncio as aioredis

from artbattle_ops.config.settings import CommonSettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.pool import Database, open_database

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_TIMEOUT_SEC = 1.0


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A pool on a new database holding the esbmcp_ migrations."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
    db = await open_database(database_url, load(CommonSettings, APP_ENV="test"), max_size=10)
    yield db
    await db.close()


@pytest.fixture(scope="session")
def redis_answers() -> bool:
    """Whether a Redis answers PING at 127.0.0.1:6379."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), REDIS_TIMEOUT_SEC) as conn:
            conn.settimeout(REDIS_TIMEOUT_SEC)
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_client(redis_answers: bool) -> aioredis.Redis:
    """A client of the local Redis; skips the calling test when none answers."""
    if not redis_answers:
        pytest.skip("no Redis answers at 127.0.0.1:6379; the Redis counter tests need one")
    return aioredis.Redis(
        host=REDIS_HOST,
        port=REDIS_PORT,
        socket_timeout=REDIS_TIMEOUT_SEC,
        socket_connect_timeout=REDIS_TIMEOUT_SEC,
        max_connections=50,
    )
