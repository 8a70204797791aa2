"""The MCP server (official SDK, low-level API): `tools/list` by role and `tools/call`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mcp_types as types
from mcp.server import Server, ServerRequestContext

from artbattle_ops import __version__
from artbattle_ops.gateway import metrics
from artbattle_ops.gateway.context import parse_context
from artbattle_ops.gateway.envelope import dumps
from artbattle_ops.gateway.pipeline import Gateway, Identity
from artbattle_ops.tools.manifest import ToolSpec

SERVER_NAME = "artbattle-ops-gateway"
INSTRUCTIONS = (
    "Art Battle operations tools over the production database. Every result is an envelope "
    '{"ok", "tool", "data", "warnings", "meta"}; errors carry a stable code and a hint. '
    "Writes answer confirmation_required first: only the requesting user can confirm."
)


def build_server(gateway: Gateway) -> Server[Any]:
    """A low-level MCP server whose handlers run the gateway's pipeline."""

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        specs = await gateway.list_tools(parse_context(_meta(ctx)), identity_of(ctx))
        return types.ListToolsResult(tools=[to_mcp_tool(spec) for spec in specs])

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        body = await gateway.call_tool(
            params.name, params.arguments, parse_context(_meta(ctx)), identity_of(ctx)
        )
        metrics.observe_call(params.name, body, _handler_seconds(body))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=dumps(body))],
            structured_content=body,
            is_error=not body["ok"],
        )

    def input_schema(name: str) -> Mapping[str, Any] | None:
        spec = gateway.available().get(name)
        return spec.parameters if spec else None

    return Server(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        get_tool_input_schema=input_schema,
    )


def to_mcp_tool(spec: ToolSpec) -> types.Tool:
    """The MCP description of a tool, with annotations derived from the manifest (§1.1)."""
    hints = spec.annotations()
    return types.Tool(
        name=spec.name,
        description=spec.description,
        input_schema=dict(spec.parameters),
        annotations=types.ToolAnnotations(
            read_only_hint=hints["read_only_hint"],
            destructive_hint=hints["destructive_hint"],
            idempotent_hint=hints["idempotent_hint"],
            open_world_hint=False,
        ),
    )


def _handler_seconds(body: dict[str, Any]) -> float | None:
    """Handler time of a dispatched call (refusals have no `meta`, nor an execution)."""
    meta = body.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("duration_ms"), int):
        return float(meta["duration_ms"]) / 1000
    return None


def identity_of(ctx: ServerRequestContext[Any]) -> Identity:
    """The identity the access middleware authenticated for this HTTP request."""
    request = ctx.request
    state = getattr(request, "scope", {}).get("state", {}) if request is not None else {}
    auth = state.get("caller_auth")
    if auth is None:  # no authenticated transport identity: refuse rather than trust
        return Identity(kind="anonymous")
    return Identity(kind=auth.kind, user_id=auth.user_id, role=auth.role, client_ip=auth.client_ip)


def _meta(ctx: ServerRequestContext[Any]) -> Mapping[str, Any]:
    meta = ctx.meta
    if meta is None:
        return {}
    if isinstance(meta, Mapping):
        return meta
    dumped = meta.model_dump(by_alias=True) if hasattr(meta, "model_dump") else {}
    return dumped if isinstance(dumped, dict) else {}
