"""Calls made by a Slack user whom the gateway's RBAC map does not know (no role at all)."""

from __future__ import annotations

import asyncio
from typing import Any

from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from tests.integration.tools.conftest import SECRET, TOKEN, DemoGateway

UNKNOWN_USER = "UNOBODY"


def call_without_role(gateway: DemoGateway, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The envelope of one call by a user with no role, which §1.4 refuses with `role_denied`."""
    caller = CallerMeta(slack_user_id=UNKNOWN_USER)

    async def run() -> dict[str, Any]:
        async with gateway_session(gateway.url, TOKEN, SECRET) as client:
            await list_tools(client, caller)
            return await call_tool(client, tool, arguments, caller)

    return asyncio.run(run())
