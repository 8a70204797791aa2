"""The ordered checks of a tool call (tools.md §1.4) and the tool listing by role.

Protocol checks (body size, token, signature, replay) ran before this, in `access`. Here, in
order: the tool exists, the caller's role (resolved by the gateway, never taken from the caller),
the per-request call cap, the write gate, the arguments; then dispatch. Every refusal is audited
and answered with the envelope's error, never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, NoReturn

from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from artbattle_ops.gateway.context import CallerContext
from artbattle_ops.gateway.dispatch import Dispatcher, Refusal
from artbattle_ops.gateway.services import GatewayServices
from artbattle_ops.tools.arguments import validate_arguments
from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.manifest import ToolSpec
from artbattle_ops.tools.registry import Caller, registered_tools

logger = logging.getLogger(__name__)

MUTATING_DISABLED = "Mutating tools are disabled by policy"
NO_ROLE = "No authorized role was found for your user."
NO_USER = "The request carries no Slack user; every call must name its requester."


@dataclass(frozen=True)
class Identity:
    """The authenticated transport identity: the service token, or a personal access token."""

    kind: str  # "service" or "pat"
    user_id: str | None = None
    role: str | None = None
    client_ip: str | None = None

    def user(self, context: CallerContext) -> str | None:
        """The requester: bound to a personal token, else the signed context's Slack user."""
        if self.kind == "pat":
            return self.user_id
        return context.slack_user_id if self.kind == "service" else None


class Gateway:
    """Lists and calls tools for one authenticated request at a time."""

    def __init__(self, services: GatewayServices) -> None:
        self.services = services
        self.dispatcher = Dispatcher(services)

    def available(self) -> dict[str, ToolSpec]:
        """Manifest tools that have a handler: the only ones listed and callable."""
        implemented = registered_tools()
        return {n: s for n, s in self.services.manifest.items() if n in implemented}

    async def list_tools(self, context: CallerContext, identity: Identity) -> list[ToolSpec]:
        """The tools the caller's role may use; none when no role resolves."""
        user = identity.user(context)
        if user is None:
            return []
        role = await self._role(context, identity, user)
        if role is None:
            return []
        return [spec for spec in self.available().values() if role in spec.allowed_roles]

    async def call_tool(
        self, name: str, raw_arguments: Any, context: CallerContext, identity: Identity
    ) -> dict[str, Any]:
        """Run the checks in order, then the tool; returns the result envelope.

        Raises:
            MCPError: the tool name is unknown (JSON-RPC -32602, a protocol error).
        """
        received = self.services.now()
        spec = self.available().get(name)
        if spec is None:
            await self._refuse_unknown_tool(name, context, identity)

        refusal = Refusal(spec, raw_arguments, context, identity.client_ip, received)
        user = identity.user(context)
        if user is None:
            return self.dispatcher.refuse_role(refusal, None, "missing_slack_user", NO_USER)

        role = await self._role(context, identity, user)
        refusal = refusal.for_user(user, role)
        if role is None:
            return self.dispatcher.refuse_role(refusal, None, "no_role", NO_ROLE)
        if role not in spec.allowed_roles:
            message = f"Your role ({role}) cannot use {spec.name}."
            return self.dispatcher.refuse_role(refusal, role, "role_not_allowed", message)

        cap = await self.services.counters.consume_call(
            context.request_id, spec.name, spec.max_calls_per_request
        )
        if not cap.allowed:
            return self.dispatcher.refuse_call_limit(refusal, cap.limit, cap.count)

        if spec.is_write and not self.services.settings.enable_mutating_tools:
            return self.dispatcher.refuse_mutating(refusal, MUTATING_DISABLED)

        try:
            arguments = validate_arguments(
                spec.name,
                spec.parameters,
                raw_arguments,
                requires_one_of=spec.requires_one_of,
                mutually_exclusive=spec.mutually_exclusive,
            )
        except InvalidArgumentsError as exc:
            return self.dispatcher.refuse_arguments(refusal, exc)

        caller = Caller(
            slack_user_id=user,
            role=role,
            request_id=context.request_id,
            slack_team_id=context.slack_team_id,
            slack_channel_id=context.slack_channel_id,
            slack_username=context.slack_username,
            session_id=context.session_id,
            interaction_type=context.interaction_type,
        )
        return await self.dispatcher.dispatch(refusal, caller, arguments)

    async def _role(self, context: CallerContext, identity: Identity, user: str) -> str | None:
        if identity.kind == "pat":
            return identity.role
        decision = await self.services.roles.resolve(user, context.slack_channel_id)
        return decision.role

    async def _refuse_unknown_tool(
        self, name: str, context: CallerContext, identity: Identity
    ) -> NoReturn:
        self.services.audit(
            "tool_not_found",
            reason="tool_not_found",
            context=context,
            ip_address=identity.client_ip,
            requested_tool=_sanitise(name),
        )
        raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {_sanitise(name)}")


def _sanitise(name: Any) -> str:
    text = name if isinstance(name, str) else ""
    return "".join(c for c in text.lower() if c.isalnum() or c == "_")[:100]
