"""The gateway's guard in front of `/mcp` (DESIGN.md §3 step 8 and §4), as pure ASGI middleware.

In order: the body size (first, so an unauthenticated client cannot make the gateway buffer more
than `REQUEST_MAX_BODY_BYTES`), the bearer token, and for the service token the v1 signature and
its nonce; once authenticated, the method (POST only: the MCP server is stateless with JSON
responses, so there is no GET stream to open and no session to DELETE), a JSON body, and the
optional per-caller limit on tool calls. Other paths (health, metrics) pass through untouched.

Each refusal answers `{"error": {"code", "message"}}`, safe to show, and first calls `on_refusal`
for the audit row of observability.md §2.4.1; `signature_denied` calls are sampled per
(client ip, reason). When a state store cannot answer, the request gets 503 and never passes.

Personal access tokens (`MCP_PERSONAL_ACCESS_TOKENS_JSON`) are off while the variable is empty.
Otherwise it holds a JSON array of objects with exactly these keys:

- `token_sha256`: SHA-256 of the token's UTF-8 bytes, 64 lower-case hex characters
  (`printf %s "$TOKEN" | sha256sum`). The token itself is never configured on the gateway;
  make it from at least 32 random bytes: `python -c "import secrets;
  print(secrets.token_urlsafe(32))"`.
- `user_id`: the Slack user id the token acts for (`U…` or `W…`, upper-case letters and digits).
- `role`: the role the token gets: ops, event-producer, finance, marketing or viewer.
- `name`: a label for audit and logs, 1 to 64 characters (letters, digits, space, `._@-`).

Hashes and names are unique. A bearer token whose SHA-256 matches an entry (compared in constant
time) authenticates that user with that role, without a signature: the tokens are for MCP
clients that cannot sign (the MCP Inspector, desktop assistants). Example:
`[{"token_sha256": "9f86d0…", "user_id": "U012AB3CD", "role": "viewer", "name": "jane"}]`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from artbattle_ops.config.settings import GatewaySettings
from artbattle_ops.errors import ConfigError
from artbattle_ops.gateway.replay import ReplayCache
from artbattle_ops.gateway.signing import verify_signature
from artbattle_ops.policy.limits import StateUnavailableError
from artbattle_ops.policy.roles import ROLES

logger = logging.getLogger(__name__)

MCP_PATH: Final = "/mcp"
SAMPLE_INTERVAL_SEC: Final = 10.0
# Sampler slots kept in memory; past this many, stale slots are dropped, then the oldest.
SAMPLER_MAX_KEYS: Final = 10_000

MESSAGES: Final[Mapping[str, str]] = {
    "request_body_too_large": "The request body is larger than the gateway accepts.",
    "missing_bearer_token": "An Authorization: Bearer token is required.",
    "invalid_bearer_token": "The bearer token is not valid.",
    "missing_or_invalid_signature_headers": "The request signature headers are missing or invalid.",
    "unsupported_signature_version": "Only request signature version v1 is supported.",
    "invalid_signature_timestamp": "The signature timestamp must be Unix seconds.",
    "signature_expired": "The request signature is outside the accepted time window.",
    "invalid_signature": "The request signature does not match the request.",
    "replayed_request": "This request was already received; sign each request with a new nonce.",
    "unsupported_method": "Only POST is supported on /mcp.",
    "invalid_json_body": "The request body is not valid JSON.",
    "caller_rate_limit_exceeded": "Too many tool calls from this caller; retry later.",
    "upstream_error": "The gateway is temporarily unavailable; try again shortly.",
}


@dataclass(frozen=True)
class CallerAuth:
    """Who the guard authenticated, put in `scope["state"]["caller_auth"]` for the MCP server."""

    kind: Literal["service", "pat"]
    token_name: str | None
    user_id: str | None
    role: str | None
    client_ip: str | None


class PersonalAccessToken(BaseModel):
    """One entry of MCP_PERSONAL_ACCESS_TOKENS_JSON (format in the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    user_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,31}$")
    role: str
    name: str = Field(pattern=r"^[A-Za-z0-9._@ -]{1,64}$")

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role; use one of {', '.join(sorted(ROLES))}")
        return role


_TOKEN_LIST = TypeAdapter(list[PersonalAccessToken])


def parse_personal_access_tokens(raw: str | None) -> tuple[PersonalAccessToken, ...]:
    """MCP_PERSONAL_ACCESS_TOKENS_JSON as entries; none when it is empty.

    Raises:
        ConfigError: the JSON is malformed, an entry breaks the format, or a hash or name repeats.
    """
    if raw is None or not raw.strip():
        return ()
    try:
        tokens = tuple(_TOKEN_LIST.validate_json(raw))
    except ValidationError as exc:
        raise ConfigError(f"MCP_PERSONAL_ACCESS_TOKENS_JSON: {_first_problem(exc)}") from exc
    for key in ("token_sha256", "name"):
        if len({getattr(token, key) for token in tokens}) < len(tokens):
            raise ConfigError(f"MCP_PERSONAL_ACCESS_TOKENS_JSON: every {key} must be unique")
    return tokens


def _first_problem(exc: ValidationError) -> str:
    # Pydantic keeps the offending input in `input`; only the location and rule are shown.
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


@dataclass(frozen=True, repr=False)
class AccessPolicy:
    """What the guard checks against, read once from the settings."""

    service_token: bytes
    signing_secrets: tuple[bytes, ...]
    max_age_sec: int
    max_body_bytes: int
    personal_tokens: tuple[PersonalAccessToken, ...] = ()
    caller_limit: int = 0
    caller_window_sec: int = 60

    def __repr__(self) -> str:
        return (
            f"AccessPolicy(secrets={len(self.signing_secrets)}, max_age_sec={self.max_age_sec}, "
            f"max_body_bytes={self.max_body_bytes}, personal_tokens={len(self.personal_tokens)}, "
            f"caller_limit={self.caller_limit})"
        )

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> AccessPolicy:
        """The gateway's settings as a policy.

        Raises:
            ConfigError: the service token or signing secret is empty, or the personal access
                tokens are malformed.
        """
        token = _reveal(settings.mcp_gateway_auth_token, "MCP_GATEWAY_AUTH_TOKEN")
        secret = _reveal(settings.mcp_request_signing_secret, "MCP_REQUEST_SIGNING_SECRET")
        previous = settings.mcp_request_signing_secret_previous
        secrets = (secret,) if previous is None else (secret, previous.get_secret_value().encode())
        pats = settings.mcp_personal_access_tokens_json
        pats_json = pats.get_secret_value() if pats is not None else None
        return cls(
            service_token=token,
            signing_secrets=secrets,
            max_age_sec=settings.mcp_request_signature_max_age_sec,
            max_body_bytes=settings.request_max_body_bytes,
            personal_tokens=parse_personal_access_tokens(pats_json),
            caller_limit=settings.gateway_caller_rate_limit_max,
            caller_window_sec=settings.gateway_caller_rate_limit_window_sec,
        )

    def find_personal_token(self, token: bytes) -> PersonalAccessToken | None:
        """The entry whose hash matches `token`; every entry is compared, in constant time."""
        digest = hashlib.sha256(token).hexdigest()
        found = None
        for entry in self.personal_tokens:
            if hmac.compare_digest(digest, entry.token_sha256):
                found = entry
        return found


def _reveal(value: Any, name: str) -> bytes:
    text = value.get_secret_value() if value is not None else ""
    if not text:
        raise ConfigError(f"{name}: required by the gateway")
    return str(text).encode()


class OnRefusal(Protocol):
    """Writes the audit row of a refusal; it should not raise (the guard logs it if it does).

    `detail` holds the event's §2.4.1 detail fields other than `reason` and `path`, which come on
    their own: `suppressed_count` for `signature_denied`, `size_bytes` and `limit_bytes` for a
    body too large, `scope`, `limit`, `window_seconds` and `retry_after_seconds` for
    `rate_limit_exceeded`. The catalogue keeps `path` in the detail of `signature_denied` only.
    """

    async def __call__(
        self,
        event_type: str,
        reason: str,
        client_ip: str | None,
        path: str,
        detail: dict[str, Any],
    ) -> None: ...


class CounterDecision(Protocol):
    """What the guard reads from a counted attempt."""

    @property
    def allowed(self) -> bool: ...

    @property
    def retry_after_sec(self) -> int: ...


class CallerCounter(Protocol):
    """The shared rate-limit counters (`policy.limits.CounterStore` fits).

    `hit` raises `StateUnavailableError` when its store cannot answer.
    """

    async def hit(
        self, scope: str, subject: str, limit: int, window_sec: int, now: float
    ) -> CounterDecision: ...


@dataclass
class _Slot:
    written_at: float
    suppressed: int = 0


class RefusalSampler:
    """Admits at most one refusal per key every `interval_sec`, counting the ones it skips.

    Process-local: each replica samples on its own. A slot dropped to bound memory loses its
    count of skipped refusals.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        interval_sec: float = SAMPLE_INTERVAL_SEC,
        max_keys: int = SAMPLER_MAX_KEYS,
    ) -> None:
        self._clock = clock
        self._interval_sec = interval_sec
        self._max_keys = max_keys
        self._slots: dict[tuple[str, str], _Slot] = {}

    def admit(self, client_ip: str | None, reason: str) -> int | None:
        """The count skipped since this key's last admitted refusal, or None to skip this one."""
        now = self._clock()
        key = (client_ip or "", reason)
        slot = self._slots.get(key)
        if slot is not None and now - slot.written_at < self._interval_sec:
            slot.suppressed += 1
            return None

        self._slots.pop(key, None)
        self._make_room(now)
        self._slots[key] = _Slot(written_at=now)
        return slot.suppressed if slot is not None else 0

    def _make_room(self, now: float) -> None:
        if len(self._slots) < self._max_keys:
            return
        fresh = {k: s for k, s in self._slots.items() if now - s.written_at < self._interval_sec}
        self._slots = fresh
        if len(self._slots) >= self._max_keys:
            del self._slots[next(iter(self._slots))]


@dataclass(eq=False)
class _Refused(Exception):
    status: int
    event_type: str
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class _Disconnected(Exception):
    pass


class AccessGuard:
    """Pure ASGI middleware: authenticates and checks every request to `/mcp` (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        policy: AccessPolicy,
        *,
        replay_cache: ReplayCache,
        on_refusal: OnRefusal,
        counter: CallerCounter | None = None,
        clock: Callable[[], float] = time.time,
        sampler: RefusalSampler | None = None,
    ) -> None:
        """Wrap `app`. `clock` gives Unix seconds for the signature window and the limiter.

        Raises:
            ConfigError: the caller limit is on and no counter store was given.
        """
        if policy.caller_limit > 0 and counter is None:
            raise ConfigError("GATEWAY_CALLER_RATE_LIMIT_MAX: set, but no counter store is wired")
        self.app = app
        self.policy = policy
        self._replay_cache = replay_cache
        self._on_refusal = on_refusal
        self._counter = counter
        self._clock = clock
        self._sampler = sampler or RefusalSampler(clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_protected(scope["path"]):
            await self.app(scope, receive, send)
            return

        client_ip = _client_ip(scope)
        try:
            body = await self._read_body(scope, receive)
            caller = await self._authenticate(scope, body, client_ip)
            message = _check_protocol(scope, body)
            await self._check_caller_limit(caller, message)
        except _Refused as refusal:
            await self._refuse(refusal, client_ip, scope["path"], send)
            return
        except _Disconnected:
            return
        except StateUnavailableError as exc:  # a state store could not answer: fail closed
            cause = type(exc.__cause__).__name__ if exc.__cause__ else None
            logger.warning("access_state_unavailable", extra={"cause": cause})
            await _send_error(send, 503, "upstream_error")
            return

        await self.app(_with_caller(scope, caller), _replay(body, receive), send)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self.policy.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            raise _too_large(declared, limit)

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # size_bytes is then what arrived before the cut
                raise _too_large(size, limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _authenticate(self, scope: Scope, body: bytes, client_ip: str | None) -> CallerAuth:
        token = _bearer_token(scope)
        if token is None:
            raise _denied("missing_bearer_token")

        if hmac.compare_digest(token, self.policy.service_token):
            await self._check_signature(scope, body)
            return CallerAuth("service", None, None, None, client_ip)

        entry = self.policy.find_personal_token(token)
        if entry is None:
            raise _denied("invalid_bearer_token")
        return CallerAuth("pat", entry.name, entry.user_id, entry.role, client_ip)

    async def _check_signature(self, scope: Scope, body: bytes) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        max_age = self.policy.max_age_sec
        check = verify_signature(
            headers,
            scope["method"],
            _signed_path(scope),
            body,
            self.policy.signing_secrets,
            int(self._clock()),
            max_age,
        )
        if not check.ok or check.timestamp is None or check.nonce is None:
            raise _denied(check.reason or "invalid_signature")

        expires_at = datetime.fromtimestamp(check.timestamp + max_age, UTC)
        if not await self._replay_cache.claim(check.nonce, expires_at):
            raise _denied("replayed_request")

    async def _check_caller_limit(self, caller: CallerAuth, message: Any) -> None:
        limit, window_sec = self.policy.caller_limit, self.policy.caller_window_sec
        if self._counter is None or limit <= 0 or not _calls_a_tool(message):
            return

        subject = "service" if caller.kind == "service" else f"pat:{caller.token_name}"
        decision = await self._counter.hit("caller", subject, limit, window_sec, self._clock())
        if decision.allowed:
            return

        retry = decision.retry_after_sec
        detail = {"scope": "caller", "limit": limit, "window_seconds": window_sec}
        raise _Refused(
            429,
            "rate_limit_exceeded",
            "caller_rate_limit_exceeded",
            detail | {"retry_after_seconds": retry},
            {"retry-after": str(retry)},
        )

    async def _refuse(
        self, refusal: _Refused, client_ip: str | None, path: str, send: Send
    ) -> None:
        detail = dict(refusal.detail)
        if refusal.event_type == "signature_denied":
            detail["suppressed_count"] = self._sampler.admit(client_ip, refusal.reason)
        if detail.get("suppressed_count", 0) is not None:
            await self._report(refusal, client_ip, path, detail)
        await _send_error(send, refusal.status, refusal.reason, refusal.headers)

    async def _report(
        self, refusal: _Refused, client_ip: str | None, path: str, detail: dict[str, Any]
    ) -> None:
        # A failing audit write must not turn the refusal into a 500; the writer's own
        # guarantees (observability.md §2.7) are the place to fix it.
        try:
            await self._on_refusal(refusal.event_type, refusal.reason, client_ip, path, detail)
        except Exception:
            logger.exception("refusal_audit_failed", extra={"event_type": refusal.event_type})


def is_protected(path: str) -> bool:
    """Whether the guard checks requests to `path`: `/mcp` and anything under it."""
    return path == MCP_PATH or path.startswith(MCP_PATH + "/")


def _denied(reason: str) -> _Refused:
    return _Refused(401, "signature_denied", reason, headers={"www-authenticate": "Bearer"})


def _too_large(size: int, limit: int) -> _Refused:
    detail = {"size_bytes": size, "limit_bytes": limit}
    return _Refused(413, "request_rejected", "request_body_too_large", detail)


def _check_protocol(scope: Scope, body: bytes) -> Any:
    """The parsed JSON body of an authenticated request, refused unless POSTed."""
    if scope["method"] != "POST":
        raise _Refused(405, "request_rejected", "unsupported_method", headers={"allow": "POST"})
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise _Refused(400, "request_rejected", "invalid_json_body") from exc


def _calls_a_tool(message: Any) -> bool:
    messages = message if isinstance(message, list) else [message]
    return any(isinstance(m, dict) and m.get("method") == "tools/call" for m in messages)


def _bearer_token(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name.lower() == b"authorization":
            scheme, _, token = value.strip().partition(b" ")
            token = token.strip()
            return token if scheme.lower() == b"bearer" and token else None
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _signed_path(scope: Scope) -> str:
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else scope["path"]
    query = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def _client_ip(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None


def _with_caller(scope: Scope, caller: CallerAuth) -> Scope:
    state = {**scope.get("state", {}), "caller_auth": caller}
    return {**scope, "state": state}


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the inner app the body already read, then listens for disconnect."""
    delivered = False

    async def receive_body() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive_body


async def _send_error(
    send: Send, status: int, code: str, headers: Mapping[str, str] | None = None
) -> None:
    payload = json.dumps({"error": {"code": code, "message": MESSAGES[code]}}).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *((name.encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})
