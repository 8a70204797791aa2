"""The gateway's guard served for real (uvicorn, in process) around a tiny echo app.

Replay tests use the real stores: Postgres (`database_url`) and the machine's Redis.
"""

import asyncio
import hashlib
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx2
import psycopg
import pytest
import redis.asyncio as redis
import uvicorn
from starlette.types import Receive, Scope, Send

from artbattle_ops.config.settings import CommonSettings, GatewaySettings, load
from artbattle_ops.db.migrations import migrate
from artbattle_ops.db.pool import Database, open_database
from artbattle_ops.errors import ConfigError
from artbattle_ops.gateway.access import (
    AccessGuard,
    AccessPolicy,
    CallerAuth,
    CallerCounter,
    RefusalSampler,
    parse_personal_access_tokens,
)
from artbattle_ops.gateway.replay import (
    PostgresReplayCache,
    RedisReplayCache,
    ReplayCache,
    build_replay_cache,
)
from artbattle_ops.gateway.signing import sign_request
from artbattle_ops.policy.limits import StateUnavailableError

TOKEN = "service-token-for-tests-0123456789"
SECRET = b"signing-secret-for-tests-0123456789"
MAX_AGE_SEC = 300
MAX_BODY_BYTES = 1024
PAT = "personal-token-of-jane-0123456789abcdef"
PAT_SHA256 = hashlib.sha256(PAT.encode()).hexdigest()
PAT_JSON = f"""[
    {{"token_sha256": "{PAT_SHA256}", "user_id": "U012AB3CD", "role": "finance", "name": "jane"}}
]"""
ZEROS = "0" * 64
LIST_TOOLS = b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'
CALL_TOOL = b'{"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "x"}}'
REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT_SEC = 10


class Clock:
    """Unix seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = float(int(time.time()))

    def __call__(self) -> float:
        return self.now


@dataclass
class Refusal:
    event_type: str
    reason: str
    client_ip: str | None
    path: str
    detail: dict[str, Any]


@dataclass
class Recorder:
    """The `on_refusal` callback, remembering every call."""

    calls: list[Refusal] = field(default_factory=list)

    async def __call__(
        self,
        event_type: str,
        reason: str,
        client_ip: str | None,
        path: str,
        detail: dict[str, Any],
    ) -> None:
        self.calls.append(Refusal(event_type, reason, client_ip, path, detail))


class FailingRecorder(Recorder):
    """An audit callback that records, then fails."""

    async def __call__(
        self,
        event_type: str,
        reason: str,
        client_ip: str | None,
        path: str,
        detail: dict[str, Any],
    ) -> None:
        await super().__call__(event_type, reason, client_ip, path, detail)
        raise RuntimeError("audit store down")


@dataclass
class Seen:
    body: bytes
    caller: CallerAuth | None


@dataclass
class EchoApp:
    """Answers 200 with the body it read, and remembers what it saw."""

    seen: list[Seen] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.seen.append(Seen(body, scope.get("state", {}).get("caller_auth")))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


class MemoryReplayCache:
    """A replay cache for the tests that are not about the store."""

    def __init__(self) -> None:
        self.nonces: set[str] = set()

    async def claim(self, nonce: str, expires_at: datetime) -> bool:
        if nonce in self.nonces:
            return False
        self.nonces.add(nonce)
        return True

    async def close(self) -> None:
        pass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_sec: int


@dataclass
class MemoryCounter:
    """Fixed windows aligned on the epoch, like the shared counter stores."""

    hits: dict[tuple[str, str, int], int] = field(default_factory=dict)

    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> Decision:
        start = int(now // window_sec) * window_sec
        key = (scope, subject, start)
        self.hits[key] = self.hits.get(key, 0) + 1
        return Decision(self.hits[key] <= limit, max(1, int(start + window_sec - now)))


def make_policy(**changes: Any) -> AccessPolicy:
    values: dict[str, Any] = {
        "service_token": TOKEN.encode(),
        "signing_secrets": (SECRET,),
        "max_age_sec": MAX_AGE_SEC,
        "max_body_bytes": MAX_BODY_BYTES,
    }
    return AccessPolicy(**(values | changes))


@dataclass
class Gateway:
    """One served guard: its client, the inner app, the refusals and the clock."""

    client: httpx2.AsyncClient
    echo: EchoApp
    refusals: Recorder
    clock: Clock

    async def post_signed(
        self,
        body: bytes,
        *,
        method: str = "POST",
        nonce: str | None = None,
        timestamp: int | None = None,
        secret: bytes = SECRET,
    ) -> httpx2.Response:
        signed_at = int(self.clock()) if timestamp is None else timestamp
        headers = sign_request(secret, method, "/mcp", body, timestamp=signed_at, nonce=nonce)
        headers["authorization"] = f"Bearer {TOKEN}"
        return await self.client.request(method, "/mcp", content=body, headers=headers)

    async def post_with_token(self, token: str, body: bytes = LIST_TOOLS) -> httpx2.Response:
        headers = {"authorization": f"Bearer {token}"}
        return await self.client.post("/mcp", content=body, headers=headers)


@asynccontextmanager
async def serve(guard: AccessGuard) -> AsyncIterator[httpx2.AsyncClient]:
    """Serve `guard` with uvicorn on an ephemeral port; the socket listens before the server runs,
    so the first request waits in the backlog instead of racing start-up."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    config = uvicorn.Config(guard, lifespan="off", log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        base_url = f"http://127.0.0.1:{port}"
        client = httpx2.AsyncClient(base_url=base_url, timeout=WAIT_SEC, trust_env=False)
        async with client:
            yield client
    finally:
        server.should_exit = True
        async with asyncio.timeout(WAIT_SEC):
            await task
        sock.close()


@asynccontextmanager
async def gateway(
    policy: AccessPolicy | None = None,
    replay_cache: ReplayCache | None = None,
    counter: CallerCounter | None = None,
    refusals: Recorder | None = None,
) -> AsyncIterator[Gateway]:
    echo, refusals, clock = EchoApp(), refusals or Recorder(), Clock()
    guard = AccessGuard(
        echo,
        policy or make_policy(),
        replay_cache=replay_cache or MemoryReplayCache(),
        on_refusal=refusals,
        counter=counter,
        clock=clock,
        sampler=RefusalSampler(clock),
    )
    async with serve(guard) as client:
        yield Gateway(client, echo, refusals, clock)


def error_code(response: httpx2.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


@pytest.fixture
def migrated_url(database_url: str) -> str:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
    return database_url


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[Database]:
    database = await open_database(url, load(CommonSettings, APP_ENV="test"), max_size=2)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def redis_client() -> AsyncIterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        await client.aclose()
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield client
    await client.aclose()


# -- Body size, before anything else -------------------------------------------------------


async def test_an_oversized_declared_body_is_refused_with_413_before_authentication() -> None:
    async with gateway() as gw:
        response = await gw.client.post("/mcp", content=b"x" * (MAX_BODY_BYTES + 1))

    assert (response.status_code, error_code(response)) == (413, "request_body_too_large")
    assert gw.echo.seen == []
    assert gw.refusals.calls == [
        Refusal(
            "request_rejected",
            "request_body_too_large",
            "127.0.0.1",
            "/mcp",
            {"size_bytes": 1025, "limit_bytes": 1024},
        )
    ]


async def test_a_streamed_body_over_the_limit_is_cut_off_with_413() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"x" * 400

    async with gateway() as gw:
        response = await gw.client.post("/mcp", content=chunks())

    assert (response.status_code, error_code(response)) == (413, "request_body_too_large")
    assert gw.refusals.calls[0].detail["size_bytes"] > MAX_BODY_BYTES


async def test_a_body_at_the_limit_is_read_whole() -> None:
    body = b'"' + b"x" * (MAX_BODY_BYTES - 2) + b'"'
    async with gateway() as gw:
        response = await gw.post_signed(body)

    assert response.status_code == 200
    assert gw.echo.seen[0].body == body


# -- Bearer token and signature ------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "missing_bearer_token"),
        ("Basic dXNlcjpwYXNz", "missing_bearer_token"),
        ("Bearer", "missing_bearer_token"),
        ("Bearer not-the-token", "invalid_bearer_token"),
    ],
    ids=["no-header", "other-scheme", "empty-token", "wrong-token"],
)
async def test_a_missing_or_wrong_bearer_token_is_refused_with_401(
    authorization: str | None, reason: str
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    async with gateway() as gw:
        response = await gw.client.post("/mcp", content=LIST_TOOLS, headers=headers)

    assert (response.status_code, error_code(response)) == (401, reason)
    assert gw.refusals.calls[0].event_type == "signature_denied"
    assert gw.echo.seen == []


async def test_the_service_token_without_a_signature_is_refused() -> None:
    async with gateway() as gw:
        response = await gw.post_with_token(TOKEN)

    assert (response.status_code, error_code(response)) == (
        401,
        "missing_or_invalid_signature_headers",
    )


async def test_a_signed_request_reaches_the_inner_app_with_its_exact_body_and_caller() -> None:
    body = b'{"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {"\xc3\xa9": 1}}'
    async with gateway() as gw:
        response = await gw.post_signed(body)

    assert response.status_code == 200
    assert gw.echo.seen == [Seen(body, CallerAuth("service", None, None, None, "127.0.0.1"))]


@pytest.mark.parametrize(
    ("secret", "age_sec", "reason"),
    [
        (b"another-secret", 0, "invalid_signature"),
        (SECRET, MAX_AGE_SEC + 1, "signature_expired"),
        (SECRET, -MAX_AGE_SEC - 1, "signature_expired"),
    ],
    ids=["wrong-secret", "stale", "future"],
)
async def test_a_bad_signature_is_refused_with_its_reason(
    secret: bytes, age_sec: int, reason: str
) -> None:
    async with gateway() as gw:
        signed_at = int(gw.clock()) - age_sec
        response = await gw.post_signed(LIST_TOOLS, secret=secret, timestamp=signed_at)

    assert (response.status_code, error_code(response)) == (401, reason)
    assert gw.refusals.calls[0].detail == {"suppressed_count": 0}


async def test_a_failing_audit_callback_does_not_change_the_refusal() -> None:
    async with gateway(refusals=FailingRecorder()) as gw:
        response = await gw.post_with_token("wrong")

    assert (response.status_code, error_code(response)) == (401, "invalid_bearer_token")
    assert len(gw.refusals.calls) == 1


async def test_health_and_metrics_paths_pass_through_unauthenticated() -> None:
    async with gateway() as gw:
        response = await gw.client.get("/healthz")

    assert response.status_code == 200
    assert gw.echo.seen == [Seen(b"", None)]


# -- Replay cache --------------------------------------------------------------------------


async def test_a_replayed_request_is_refused_by_the_postgres_replay_cache(
    migrated_url: str,
) -> None:
    async with (
        opened(migrated_url) as database,
        gateway(replay_cache=PostgresReplayCache(database, max_age_sec=MAX_AGE_SEC)) as gw,
    ):
        nonce = uuid.uuid4().hex
        first = await gw.post_signed(LIST_TOOLS, nonce=nonce)
        replayed = await gw.post_signed(LIST_TOOLS, nonce=nonce)

    assert first.status_code == 200
    assert (replayed.status_code, error_code(replayed)) == (401, "replayed_request")


async def test_two_identical_bodies_with_their_own_nonces_are_both_accepted(
    migrated_url: str,
) -> None:
    async with (
        opened(migrated_url) as database,
        gateway(replay_cache=PostgresReplayCache(database, max_age_sec=MAX_AGE_SEC)) as gw,
    ):
        statuses = [(await gw.post_signed(LIST_TOOLS)).status_code for _ in range(2)]

    assert statuses == [200, 200]


async def test_the_nonce_is_kept_until_its_timestamp_leaves_the_signature_window(
    migrated_url: str,
) -> None:
    async with (
        opened(migrated_url) as database,
        gateway(replay_cache=PostgresReplayCache(database, max_age_sec=MAX_AGE_SEC)) as gw,
    ):
        signed_at = int(gw.clock()) - 10
        await gw.post_signed(LIST_TOOLS, nonce="ab" * 16, timestamp=signed_at)
        row = await database.fetch_one(
            "SELECT extract(epoch FROM signed_at)::bigint AS signed_at,"
            " extract(epoch FROM expires_at)::bigint AS expires_at"
            " FROM public.esbmcp_request_nonces"
        )

    assert row == {"signed_at": signed_at, "expires_at": signed_at + MAX_AGE_SEC}


async def test_two_replicas_sharing_one_database_refuse_a_nonce_replayed_across_them(
    migrated_url: str,
) -> None:
    nonce = uuid.uuid4().hex
    async with opened(migrated_url) as first_db, opened(migrated_url) as second_db:
        first_cache = PostgresReplayCache(first_db, max_age_sec=MAX_AGE_SEC)
        second_cache = PostgresReplayCache(second_db, max_age_sec=MAX_AGE_SEC)
        async with (
            gateway(replay_cache=first_cache) as one,
            gateway(replay_cache=second_cache) as two,
        ):
            accepted = await one.post_signed(LIST_TOOLS, nonce=nonce)
            replayed = await two.post_signed(LIST_TOOLS, nonce=nonce)

    assert accepted.status_code == 200
    assert (replayed.status_code, error_code(replayed)) == (401, "replayed_request")


async def test_a_replayed_request_is_refused_by_the_redis_replay_cache(
    redis_client: redis.Redis,
) -> None:
    nonce = uuid.uuid4().hex
    async with gateway(replay_cache=RedisReplayCache(redis_client)) as gw:
        first = await gw.post_signed(LIST_TOOLS, nonce=nonce)
        replayed = await gw.post_signed(LIST_TOOLS, nonce=nonce)

    assert first.status_code == 200
    assert (replayed.status_code, error_code(replayed)) == (401, "replayed_request")


async def test_a_redis_nonce_expires_after_the_signature_window(redis_client: redis.Redis) -> None:
    nonce = uuid.uuid4().hex
    async with gateway(replay_cache=RedisReplayCache(redis_client)) as gw:
        signed_at = int(gw.clock())
        await gw.post_signed(LIST_TOOLS, nonce=nonce, timestamp=signed_at)

    expires_at = await redis_client.expiretime(f"artbattle:mcp-nonce:{nonce}")
    assert signed_at + MAX_AGE_SEC < expires_at <= signed_at + MAX_AGE_SEC + 2


async def test_the_postgres_replay_cache_is_used_without_redis_url() -> None:
    settings = load(GatewaySettings, APP_ENV="test", REDIS_URL="")

    cache = build_replay_cache(settings, database=None)  # type: ignore[arg-type]

    assert isinstance(cache, PostgresReplayCache)


async def test_the_redis_replay_cache_is_used_when_redis_url_is_set() -> None:
    settings = load(GatewaySettings, APP_ENV="test", REDIS_URL=REDIS_URL)

    cache = build_replay_cache(settings, database=None)  # type: ignore[arg-type]
    await cache.close()

    assert isinstance(cache, RedisReplayCache)


async def test_a_closed_database_fails_closed_with_503(migrated_url: str) -> None:
    async with opened(migrated_url) as database:
        cache = PostgresReplayCache(database, max_age_sec=MAX_AGE_SEC)
        await database.close()
        async with gateway(replay_cache=cache) as gw:
            response = await gw.post_signed(LIST_TOOLS)

    assert (response.status_code, error_code(response)) == (503, "upstream_error")
    assert response.json()["error"]["message"] == (
        "The gateway is temporarily unavailable; try again shortly."
    )
    assert gw.echo.seen == []


async def test_an_unreachable_redis_fails_closed_with_503() -> None:
    settings = load(GatewaySettings, APP_ENV="test", REDIS_URL="redis://127.0.0.1:1/0")
    cache = build_replay_cache(settings, database=None)  # type: ignore[arg-type]
    async with gateway(replay_cache=cache) as gw:
        response = await gw.post_signed(LIST_TOOLS)
    await cache.close()

    assert (response.status_code, error_code(response)) == (503, "upstream_error")
    assert gw.echo.seen == []


# -- Personal access tokens ----------------------------------------------------------------


async def test_a_personal_access_token_is_accepted_without_a_signature_as_its_user() -> None:
    policy = make_policy(personal_tokens=parse_personal_access_tokens(PAT_JSON))
    async with gateway(policy) as gw:
        response = await gw.post_with_token(PAT)

    assert response.status_code == 200
    assert gw.echo.seen[0].caller == CallerAuth("pat", "jane", "U012AB3CD", "finance", "127.0.0.1")


async def test_personal_access_tokens_are_off_by_default() -> None:
    settings = load(
        GatewaySettings,
        APP_ENV="test",
        MCP_GATEWAY_AUTH_TOKEN=TOKEN,
        MCP_REQUEST_SIGNING_SECRET=SECRET.decode(),
        MCP_PERSONAL_ACCESS_TOKENS_JSON="",
    )
    async with gateway(AccessPolicy.from_settings(settings)) as gw:
        response = await gw.post_with_token(PAT)

    assert (response.status_code, error_code(response)) == (401, "invalid_bearer_token")


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"token_sha256": "00"}',
        '[{"token_sha256": "AB", "user_id": "U1", "role": "ops", "name": "x"}]',
        f'[{{"token_sha256": "{ZEROS}", "user_id": "U012", "role": "admin", "name": "x"}}]',
        f'[{{"token_sha256": "{ZEROS}", "user_id": "U012", "role": "ops"}}]',
        f'[{{"token_sha256": "{ZEROS}", "user_id": "U012", "role": "ops", "name": "x", "a": 1}}]',
        f'[{{"token_sha256": "{ZEROS}", "user_id": "U012", "role": "ops", "name": "x"}},'
        f' {{"token_sha256": "{ZEROS}", "user_id": "U013", "role": "ops", "name": "y"}}]',
    ],
    ids=[
        "not-json",
        "not-a-list",
        "bad-hash",
        "unknown-role",
        "missing-name",
        "unknown-key",
        "duplicate-hash",
    ],
)
def test_malformed_personal_access_tokens_are_a_config_error_naming_the_variable(
    raw: str,
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_personal_access_tokens(raw)

    assert caught.value.message.startswith("MCP_PERSONAL_ACCESS_TOKENS_JSON: ")


def test_the_policy_repr_shows_no_secret() -> None:
    policy = make_policy(personal_tokens=parse_personal_access_tokens(PAT_JSON))
    shown = repr(policy)

    assert [secret in shown for secret in (TOKEN, SECRET.decode(), PAT_SHA256)] == [False] * 3


def test_an_empty_service_token_is_a_config_error() -> None:
    settings = load(GatewaySettings, APP_ENV="test", MCP_GATEWAY_AUTH_TOKEN="")

    with pytest.raises(ConfigError, match=r"^MCP_GATEWAY_AUTH_TOKEN"):
        AccessPolicy.from_settings(settings)


# -- Method, JSON, caller limit ------------------------------------------------------------


async def test_a_non_json_body_is_refused_with_400() -> None:
    async with gateway() as gw:
        response = await gw.post_signed(b"{not json")

    assert (response.status_code, error_code(response)) == (400, "invalid_json_body")
    assert gw.refusals.calls[0].detail == {}


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
async def test_a_method_other_than_post_is_refused_with_405(method: str) -> None:
    async with gateway() as gw:
        response = await gw.post_signed(b"", method=method)

    assert (response.status_code, error_code(response)) == (405, "unsupported_method")
    assert response.headers["allow"] == "POST"


async def test_the_caller_limiter_refuses_with_429_and_retry_after() -> None:
    policy = make_policy(caller_limit=1, caller_window_sec=60)
    async with gateway(policy, counter=MemoryCounter()) as gw:
        admitted = await gw.post_signed(CALL_TOOL)
        refused = await gw.post_signed(CALL_TOOL)

    assert admitted.status_code == 200
    assert (refused.status_code, error_code(refused)) == (429, "caller_rate_limit_exceeded")
    retry_after = int(refused.headers["retry-after"])
    assert gw.refusals.calls == [
        Refusal(
            "rate_limit_exceeded",
            "caller_rate_limit_exceeded",
            "127.0.0.1",
            "/mcp",
            {
                "scope": "caller",
                "limit": 1,
                "window_seconds": 60,
                "retry_after_seconds": retry_after,
            },
        )
    ]


async def test_the_caller_limiter_counts_tool_calls_only() -> None:
    policy = make_policy(caller_limit=1, caller_window_sec=60)
    async with gateway(policy, counter=MemoryCounter()) as gw:
        statuses = [(await gw.post_signed(LIST_TOOLS)).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


class UnavailableCounter:
    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> Decision:
        raise StateUnavailableError()


async def test_an_unavailable_counter_store_fails_closed_with_503() -> None:
    policy = make_policy(caller_limit=1)
    async with gateway(policy, counter=UnavailableCounter()) as gw:
        response = await gw.post_signed(CALL_TOOL)

    assert (response.status_code, error_code(response)) == (503, "upstream_error")
    assert gw.echo.seen == []


def test_a_caller_limit_without_a_counter_store_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^GATEWAY_CALLER_RATE_LIMIT_MAX"):
        AccessGuard(
            EchoApp(),
            make_policy(caller_limit=5),
            replay_cache=MemoryReplayCache(),
            on_refusal=Recorder(),
        )


# -- Sampling of signature_denied ----------------------------------------------------------


async def test_signature_refusals_are_sampled_per_ip_and_reason_with_a_suppressed_count() -> None:
    async with gateway() as gw:
        for _ in range(3):
            await gw.post_with_token("wrong")
        await gw.client.post("/mcp", content=LIST_TOOLS)
        gw.clock.now += 10
        await gw.post_with_token("wrong")

    assert [(c.reason, c.detail["suppressed_count"]) for c in gw.refusals.calls] == [
        ("invalid_bearer_token", 0),
        ("missing_bearer_token", 0),
        ("invalid_bearer_token", 2),
    ]


async def test_every_sampled_out_request_is_still_refused() -> None:
    async with gateway() as gw:
        statuses = [(await gw.post_with_token("wrong")).status_code for _ in range(3)]

    assert statuses == [401, 401, 401]
    assert len(gw.refusals.calls) == 1


def test_the_sampler_forgets_stale_slots_when_full() -> None:
    clock = Clock()
    sampler = RefusalSampler(clock, max_keys=2)
    sampler.admit("10.0.0.1", "invalid_signature")
    sampler.admit("10.0.0.2", "invalid_signature")
    clock.now += 10

    admitted = [sampler.admit(f"10.0.1.{n}", "invalid_signature") for n in range(5)]

    assert admitted == [0, 0, 0, 0, 0]
    assert sampler.admit("10.0.1.4", "invalid_signature") is None
