"""The assistant's side of MCP (DESIGN.md §3 steps 6–7): one signed session per request.

Failures to reach the gateway, or answers that are not usable MCP, become `GatewayCallError` with
the `reason` of the `gateway_call_failed` audit event (`timeout`, `connection_error`,
`protocol_error`). A tool error (`isError`) is a normal result, classified by `classify`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

import httpx2
import mcp_types as types
from mcp import Client
from mcp.shared.exceptions import MCPError

from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from artbattle_ops.router.llm import ToolResult

# Refusals before dispatch carry no reference id (no execution happened).
_FAILURE_CODES: Final = frozenset({"timeout", "upstream_error", "internal_error"})


class GatewayCallError(Exception):
    """The gateway could not be reached or answered unusably."""

    def __init__(
        self, reason: str, duration_ms: int, *, http_status: int | None = None, code: Any = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.duration_ms = duration_ms
        self.http_status = http_status
        self.code = code


@dataclass(frozen=True)
class GatewayAccess:
    """Where the gateway is and how to sign for it."""

    url: str
    token: str
    secret: bytes | None
    timeout_sec: float


class GatewayLink:
    """An open MCP session with the gateway for one request."""

    def __init__(self, client: Client, timeout_sec: float) -> None:
        self._client = client
        self._timeout_sec = timeout_sec

    @property
    def version(self) -> str | None:
        """The version the gateway reported when the session was set up."""
        info = self._client.server_info
        return info.version if info is not None else None

    async def list_tools(self, caller: CallerMeta) -> list[types.Tool]:
        """The caller's toolset.

        Raises:
            GatewayCallError: the gateway could not answer.
        """
        started = time.perf_counter()
        async with _classified(started), asyncio.timeout(self._timeout_sec):
            tools = await list_tools(self._client, caller)
        return tools

    async def call_tool(
        self, name: str, arguments: dict[str, Any], caller: CallerMeta
    ) -> dict[str, Any]:
        """The envelope of one call.

        Raises:
            GatewayCallError: the gateway could not answer.
        """
        started = time.perf_counter()
        async with _classified(started), asyncio.timeout(self._timeout_sec):
            envelope = await call_tool(self._client, name, arguments, caller)
        return envelope


@asynccontextmanager
async def open_link(access: GatewayAccess) -> AsyncIterator[GatewayLink]:
    """A session with the gateway; connection and initialisation failures are classified.

    Raises:
        GatewayCallError: the gateway could not be reached or set up the session.
    """
    started = time.perf_counter()
    async with AsyncExitStack() as stack:
        session = gateway_session(
            access.url, access.token, access.secret, timeout_sec=access.timeout_sec
        )
        try:
            async with asyncio.timeout(access.timeout_sec):
                client = await stack.enter_async_context(session)
        except Exception as exc:
            raise _call_error(exc, started) from exc
        yield GatewayLink(client, access.timeout_sec)


def classify(envelope: dict[str, Any], duration_ms: int) -> ToolResult:
    """The `tools_called` outcome of a gateway envelope (observability.md §2.1.1)."""
    if envelope.get("ok"):
        meta = envelope.get("meta") or {}
        return ToolResult("executed", envelope, duration_ms, None, meta.get("execution_id"))
    error = envelope.get("error") or {}
    code = error.get("code")
    reference = error.get("reference_id")
    if reference is None:
        return ToolResult("denied", envelope, duration_ms, code, None)
    outcome = "failed" if code in _FAILURE_CODES else "executed"
    return ToolResult(outcome, envelope, duration_ms, code, reference)


@asynccontextmanager
async def _classified(started: float) -> AsyncIterator[None]:
    try:
        yield
    except Exception as exc:
        raise _call_error(exc, started) from exc


def _call_error(exc: BaseException, started: float) -> GatewayCallError:
    duration_ms = int((time.perf_counter() - started) * 1000)
    if isinstance(exc, TimeoutError | httpx2.TimeoutException):
        return GatewayCallError("timeout", duration_ms)
    if isinstance(exc, httpx2.HTTPStatusError):
        return GatewayCallError("protocol_error", duration_ms, http_status=exc.response.status_code)
    if isinstance(exc, httpx2.TransportError | OSError):
        return GatewayCallError("connection_error", duration_ms)
    if isinstance(exc, MCPError):
        return GatewayCallError("protocol_error", duration_ms, code=exc.code)
    return GatewayCallError("protocol_error", duration_ms)
