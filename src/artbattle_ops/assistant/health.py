"""Readiness of the assistant (DESIGN.md §2): a way to answer is configured and the gateway's
own `/readyz` says it is ready. Liveness (`/healthz`) needs nothing and lives in the Slack layer.
"""

from __future__ import annotations

from typing import Final, Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx2

READYZ_TIMEOUT_SEC: Final = 2.0


class Answerable(Protocol):
    """What readiness needs to know about the running assistant."""

    @property
    def can_answer(self) -> bool:
        """A model endpoint is configured, or an offline responder is plugged in."""
        ...

    @property
    def gateway_url(self) -> str:
        """MCP_GATEWAY_URL."""
        ...


def gateway_readyz_url(mcp_url: str) -> str:
    """The gateway's `/readyz` next to its MCP endpoint (`…/mcp` → `…/readyz`)."""
    parts = urlsplit(mcp_url)
    base = parts.path.rstrip("/").removesuffix("/mcp")
    return urlunsplit((parts.scheme, parts.netloc, f"{base}/readyz", "", ""))


async def readiness(
    assistant: Answerable, *, timeout_sec: float = READYZ_TIMEOUT_SEC
) -> tuple[bool, str]:
    """`(True, "ready")`, or False with the reason `/readyz` answers with its 503."""
    if not assistant.can_answer:
        return False, "no model endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL)"
    url = gateway_readyz_url(assistant.gateway_url)
    try:
        async with httpx2.AsyncClient(timeout=timeout_sec) as client:
            response = await client.get(url)
    except httpx2.HTTPError as exc:
        return False, f"gateway not reachable at {url} ({type(exc).__name__})"
    if response.status_code != 200:
        return False, f"gateway not ready: {_reason(response)}"
    return True, "ready"


def _reason(response: httpx2.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    reason = body.get("reason") if isinstance(body, dict) else None
    return str(reason) if reason else f"HTTP {response.status_code}"
