"""A signed MCP client for the gateway: the operator CLI, scripts and (later) the Slack service.

Every HTTP request carries the bearer token and a fresh v1 signature over its exact body, and the
caller context travels in `_meta` under the `artbattle/` keys (DESIGN.md §4).
"""

from __future__ import annotations

import functools
import ssl
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import httpx2
import mcp_types as types
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from artbattle_ops.gateway.signing import sign_request


@dataclass(frozen=True)
class CallerMeta:
    """Who a call is for. The role is never sent: the gateway resolves it."""

    slack_user_id: str
    slack_channel_id: str | None = None
    slack_team_id: str | None = None
    slack_username: str | None = None
    session_id: str | None = None
    request_id: str | None = None
    interaction_type: str = "cli"
    confirmation_id: str | None = None

    def to_meta(self) -> types.RequestParamsMeta:
        """The `_meta` entries, with a request id minted when none was given."""
        values = {
            "slack_user_id": self.slack_user_id,
            "slack_channel_id": self.slack_channel_id,
            "slack_team_id": self.slack_team_id,
            "slack_username": self.slack_username,
            "session_id": self.session_id,
            "request_id": self.request_id or uuid.uuid4().hex,
            "interaction_type": self.interaction_type,
            "confirmation_id": self.confirmation_id,
        }
        entries = {f"artbattle/{k}": v for k, v in values.items() if v is not None}
        return cast(types.RequestParamsMeta, entries)


def signing_http_client(
    token: str, secret: bytes | None, *, timeout_sec: float = 30.0
) -> httpx2.AsyncClient:
    """An HTTP client that adds the bearer token and signs each request (no secret: unsigned)."""

    async def sign(request: httpx2.Request) -> None:
        request.headers["authorization"] = f"Bearer {token}"
        if secret is None:
            return
        body = request.read()
        target = request.url.raw_path.decode("ascii")
        for name, value in sign_request(secret, request.method, target, body).items():
            request.headers[name] = value

    return httpx2.AsyncClient(
        timeout=timeout_sec, verify=_tls_context(), event_hooks={"request": [sign]}
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx2's default verifying context, built once: building one reads the CA bundle (about
    17 ms of CPU that blocks the event loop), and the assistant opens a client per request."""
    return httpx2.create_ssl_context()


@asynccontextmanager
async def gateway_session(
    url: str, token: str, secret: bytes | None, *, timeout_sec: float = 30.0
) -> AsyncIterator[Client]:
    """An MCP client session with the gateway at `url` (…/mcp)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"gateway URL must be http(s): {url!r}")
    http = signing_http_client(token, secret, timeout_sec=timeout_sec)
    try:
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            yield client
    except BaseExceptionGroup as group:
        # The SDK's task groups wrap the one real error (e.g. an MCPError); surface it.
        raise _only_error(group) from None


def _only_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    errors = group.exceptions
    if len(errors) != 1:
        return group
    error = errors[0]
    return _only_error(error) if isinstance(error, BaseExceptionGroup) else error


async def list_tools(client: Client, caller: CallerMeta) -> list[types.Tool]:
    """The tools the caller's role may use."""
    result = await client.list_tools(meta=caller.to_meta(), cache_mode="bypass")
    return list(result.tools)


async def call_tool(
    client: Client, name: str, arguments: dict[str, Any], caller: CallerMeta
) -> dict[str, Any]:
    """Call one tool; returns the envelope (success or tool error).

    List the tools with the same caller first: the SDK checks each result against the listing
    it holds, and without one it asks the server again on every call.
    """
    result = await client.call_tool(name, arguments, meta=caller.to_meta())
    if isinstance(result.structured_content, dict):
        return result.structured_content
    return {"ok": False, "tool": name, "error": {"code": "protocol_error", "message": "no result"}}
