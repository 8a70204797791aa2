"""Role resolution (DESIGN.md §3 step 5): the static map, the directory API, open viewer channels.

Both services resolve the caller's role themselves and never take one from a caller. A decision
names its source (`role_source` of observability.md §2.4.1): `static_map`, `directory`,
`open_channel`, or `none` exactly when no role was found. `directory_status` is set only when the
directory failed: its HTTP status, `timeout` or `error`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import httpx2

from artbattle_ops.config.settings import SharedPolicySettings
from artbattle_ops.errors import ConfigError, OpsError

logger = logging.getLogger(__name__)

OPS: Final = "ops"
EVENT_PRODUCER: Final = "event-producer"
FINANCE: Final = "finance"
MARKETING: Final = "marketing"
VIEWER: Final = "viewer"
ROLES: Final = frozenset({OPS, EVENT_PRODUCER, FINANCE, MARKETING, VIEWER})

RoleSource = Literal["static_map", "directory", "open_channel", "none"]
DirectoryStatus = int | Literal["timeout", "error"]

# Directory answers kept in memory; past this many, expired entries are dropped, then the oldest.
CACHE_MAX_ENTRIES: Final = 10_000


@dataclass(frozen=True)
class RoleDecision:
    """The caller's role, where it came from, and how the directory failed if it did."""

    role: str | None
    source: RoleSource
    directory_status: DirectoryStatus | None = None


@dataclass(frozen=True)
class DirectoryAnswer:
    """One HTTP answer of the directory: status and raw body."""

    status: int
    body: bytes


class DirectoryError(OpsError):
    """The directory could not be reached or answered at the transport level."""

    code = "upstream_error"
    status = 502


# (url, query parameters, headers, timeout in seconds) -> answer; raises DirectoryError or
# TimeoutError when the directory cannot answer.
HttpGet = Callable[[str, Mapping[str, str], Mapping[str, str], float], Awaitable[DirectoryAnswer]]


class HttpxDirectoryClient:
    """The production `HttpGet`: one pooled `httpx2.AsyncClient`, created on first use."""

    def __init__(self) -> None:
        self._client: httpx2.AsyncClient | None = None

    async def __call__(
        self, url: str, params: Mapping[str, str], headers: Mapping[str, str], timeout_sec: float
    ) -> DirectoryAnswer:
        if self._client is None:
            self._client = httpx2.AsyncClient(follow_redirects=False)
        try:
            response = await self._client.get(
                url, params=dict(params), headers=dict(headers), timeout=timeout_sec
            )
        except httpx2.TimeoutException as exc:
            raise TimeoutError from exc
        except httpx2.HTTPError as exc:
            raise DirectoryError("the role directory could not be reached") from exc
        return DirectoryAnswer(response.status_code, response.content)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None


@dataclass(frozen=True)
class _Cached:
    role: str | None
    expires_at: float


class _DirectoryFailedError(Exception):
    def __init__(self, status: DirectoryStatus) -> None:
        super().__init__(str(status))
        self.status = status


class RoleResolver:
    """Resolves a Slack user's role in a channel, following RBAC_MODE."""

    def __init__(
        self,
        settings: SharedPolicySettings,
        *,
        http_get: HttpGet | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Read and validate the role settings.

        Raises:
            ConfigError: RBAC_USER_MAP_JSON is malformed or names an unknown role, or directory
                mode has no RBAC_DIRECTORY_URL.
        """
        self._static = parse_user_map(settings.rbac_user_map_json)
        self._open_channels = parse_channels(settings.open_viewer_channels)
        self._use_directory = settings.rbac_mode == "directory"
        self._directory_url = settings.rbac_directory_url or ""
        if self._use_directory and not self._directory_url:
            raise ConfigError("RBAC_DIRECTORY_URL: required when RBAC_MODE=directory")
        self._headers = directory_headers(settings)
        self._timeout_sec = settings.rbac_directory_timeout_ms / 1000
        self._cache_sec = settings.rbac_directory_cache_sec
        self._cache: dict[str, _Cached] = {}
        self._clock = clock
        self._owned_client: HttpxDirectoryClient | None = None
        if http_get is None:
            self._owned_client = http_get = HttpxDirectoryClient()
        self._http_get = http_get

    def __repr__(self) -> str:
        mode = "directory" if self._use_directory else "static"
        return f"RoleResolver(mode={mode!r}, static_users={len(self._static)})"

    async def resolve(self, slack_user_id: str | None, channel_id: str | None) -> RoleDecision:
        """The role of `slack_user_id` in `channel_id`; never raises for directory failures."""
        if not slack_user_id:
            return RoleDecision(None, "none")

        if not self._use_directory:
            return self._from_static(slack_user_id, channel_id, None)

        try:
            role = await self._from_directory(slack_user_id)
        except _DirectoryFailedError as failure:
            logger.warning("role_directory_failed", extra={"directory_status": failure.status})
            return self._from_static(slack_user_id, channel_id, failure.status)
        if role is not None:
            return RoleDecision(role, "directory")
        return self._from_open_channel(channel_id, None)

    async def aclose(self) -> None:
        """Close the directory client this resolver created, if any."""
        if self._owned_client is not None:
            await self._owned_client.aclose()

    def _from_static(
        self, user_id: str, channel_id: str | None, status: DirectoryStatus | None
    ) -> RoleDecision:
        role = self._static.get(user_id)
        if role is not None:
            return RoleDecision(role, "static_map", status)
        return self._from_open_channel(channel_id, status)

    def _from_open_channel(
        self, channel_id: str | None, status: DirectoryStatus | None
    ) -> RoleDecision:
        if channel_id and channel_id in self._open_channels:
            return RoleDecision(VIEWER, "open_channel", status)
        return RoleDecision(None, "none", status)

    async def _from_directory(self, user_id: str) -> str | None:
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached is not None and cached.expires_at > now:
            return cached.role

        role = await self._ask_directory(user_id)

        self._remember(user_id, _Cached(role, now + self._cache_sec), now)
        return role

    async def _ask_directory(self, user_id: str) -> str | None:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout_sec):
                answer = await self._http_get(
                    self._directory_url, {"user_id": user_id}, self._headers, self._timeout_sec
                )
        except TimeoutError as exc:
            raise _DirectoryFailedError("timeout") from exc
        except DirectoryError as exc:
            raise _DirectoryFailedError("error") from exc
        logger.debug(
            "role_directory_answered",
            extra={"http_status": answer.status, "duration_ms": _elapsed_ms(started)},
        )
        return _read_answer(answer)

    def _remember(self, user_id: str, entry: _Cached, now: float) -> None:
        if len(self._cache) >= CACHE_MAX_ENTRIES:
            self._cache = {k: v for k, v in self._cache.items() if v.expires_at > now}
        if len(self._cache) >= CACHE_MAX_ENTRIES:
            del self._cache[next(iter(self._cache))]
        self._cache[user_id] = entry


def _read_answer(answer: DirectoryAnswer) -> str | None:
    """The role in a directory answer: 404 or `{"role": null}` is no role; any other status, or
    a body that is not `{"role": <known role>}`, is a directory failure."""
    if answer.status == 404:
        return None
    if answer.status != 200:
        raise _DirectoryFailedError(answer.status)
    try:
        body: Any = json.loads(answer.body)
    except ValueError as exc:
        raise _DirectoryFailedError("error") from exc
    role = body.get("role") if isinstance(body, dict) else ""
    if role is None or role in ROLES:
        return role
    raise _DirectoryFailedError("error")


def parse_user_map(raw: str) -> dict[str, str]:
    """RBAC_USER_MAP_JSON as a Slack user id to role dict.

    Raises:
        ConfigError: the JSON is malformed, not an object of strings, or names an unknown role.
    """
    try:
        parsed: Any = json.loads(raw or "{}")
    except ValueError as exc:
        raise ConfigError("RBAC_USER_MAP_JSON: is not valid JSON") from exc
    if not isinstance(parsed, dict):
        raise ConfigError('RBAC_USER_MAP_JSON: must be an object like {"U012AB": "ops"}')
    for role in parsed.values():
        if not isinstance(role, str) or role not in ROLES:
            raise ConfigError(
                f"RBAC_USER_MAP_JSON: unknown role {role!r}; use one of {', '.join(sorted(ROLES))}"
            )
    return dict(parsed)


def directory_headers(settings: SharedPolicySettings) -> dict[str, str]:
    """Headers of every directory request: JSON, and the bearer token when one is set."""
    headers = {"Accept": "application/json"}
    token = settings.rbac_directory_token
    if token is not None:
        headers["Authorization"] = f"Bearer {token.get_secret_value()}"
    return headers


def parse_channels(raw: str) -> frozenset[str]:
    """OPEN_VIEWER_CHANNELS as a set of channel ids (comma separated)."""
    return frozenset(channel.strip() for channel in raw.split(",") if channel.strip())


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
