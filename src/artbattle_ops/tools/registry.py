"""The handler registry: which manifest tools have an implementation, and how they are called.

A read handler receives a `ToolCall` and returns the tool's `data`. It raises `ToolError`
subclasses for business failures (`not_found`, ...). A write handler has two steps: `preview`
(pre-read and business rules, returns a `WritePreview` or `Unchanged`) and `apply` (runs the
confirmed action once).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from artbattle_ops.tools.errors import NotConfiguredError
from artbattle_ops.tools.manifest import DOMAINS, ToolSpec


@dataclass(frozen=True)
class Caller:
    """Who a call is for, as the gateway resolved it (the role is never taken from the caller)."""

    slack_user_id: str
    role: str
    request_id: str
    slack_team_id: str | None = None
    slack_channel_id: str | None = None
    slack_username: str | None = None
    session_id: str | None = None
    interaction_type: str | None = None


class EdgeCaller(Protocol):
    """The Edge Function client as handlers see it (`artbattle_ops.gateway.edge.EdgeClient`)."""

    async def call(
        self,
        function: str,
        body: dict[str, Any],
        *,
        idempotency_key: str,
        request_id: str,
        acting_user: str,
        check_with: str,
    ) -> dict[str, Any]:
        """The function's JSON answer on success; raises a ToolError otherwise."""


class Transaction(Protocol):
    """The one database transaction a call's statements share (tools.md §1.8)."""

    async def fetch_all(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        """All rows, as dicts."""

    async def fetch_one(self, query: str, params: Any = None) -> dict[str, Any] | None:
        """The first row, or None."""

    async def execute(self, query: str, params: Any = None) -> int:
        """Run a statement; returns the affected row count."""


@dataclass
class ToolCall:
    """Everything a handler may use for one call."""

    spec: ToolSpec
    arguments: dict[str, Any]
    caller: Caller
    db: Transaction
    now: datetime
    settings: Any
    warnings: list[dict[str, str]] = field(default_factory=list)
    edge_function: str | None = None
    edge: EdgeCaller | None = None
    confirmation_id: str | None = None
    idempotency_key: str | None = None

    def warn(self, code: str, message: str) -> None:
        """Add a warning (`stale_data`, `timezone_assumed`, ...) to the result envelope."""
        self.warnings.append({"code": code, "message": message})

    async def call_edge(
        self, function: str, body: dict[str, Any], *, check_with: str
    ) -> dict[str, Any]:
        """POST `body` to the Edge Function `function` with this write's idempotency key.

        `check_with` names the read tool that shows whether an unknown outcome happened.

        Raises:
            NotConfiguredError: the gateway has no Edge Function client.
            EdgeFailure: the function refused or failed (tools.md §1.9 status mapping).
        """
        self.edge_function = function
        if self.edge is None:
            raise NotConfiguredError("The Edge Function client is not configured.")
        return await self.edge.call(
            function,
            body,
            idempotency_key=self.idempotency_key or "",
            request_id=self.caller.request_id,
            acting_user=self.caller.slack_user_id,
            check_with=check_with,
        )


@dataclass(frozen=True)
class WritePreview:
    """What a write would do: the before/after preview, the state to re-check, its key.

    An empty `idempotency_key` means the key depends on the confirmation (refresh_vote_weights):
    the preview shows it as null and the gateway derives it when the confirmed call arrives.
    """

    summary: str
    target: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    effects: list[str]
    idempotency_key: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unchanged:
    """Nothing would change: the write returns success with `changed: false`."""

    data: dict[str, Any]


ReadHandler = Callable[[ToolCall], Awaitable[dict[str, Any]]]


class WriteHandler(Protocol):
    """The two steps of a write tool (tools.md §1.9)."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """Pre-read the state and apply the business rules; nothing is written."""

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Perform the write once; `preview` is the fresh re-read the gateway already checked."""


class Reconciler(Protocol):
    """Optional third step of a write whose outcome can be looked for (tools.md §1.9)."""

    async def reconcile(self, call: ToolCall, since: datetime) -> dict[str, Any] | None:
        """The result of an earlier attempt whose outcome was unknown, if its effect is in the
        database (created after `since`); None when it did not happen."""


READ_HANDLERS: dict[str, ReadHandler] = {}
WRITE_HANDLERS: dict[str, WriteHandler] = {}


def read_tool(name: str) -> Callable[[ReadHandler], ReadHandler]:
    """Register a read handler for the manifest tool `name`."""

    def register(handler: ReadHandler) -> ReadHandler:
        if name in READ_HANDLERS or name in WRITE_HANDLERS:
            raise ValueError(f"handler for {name} registered twice")
        READ_HANDLERS[name] = handler
        return handler

    return register


def write_tool(name: str, handler: WriteHandler) -> WriteHandler:
    """Register a write handler for the manifest tool `name`."""
    if name in READ_HANDLERS or name in WRITE_HANDLERS:
        raise ValueError(f"handler for {name} registered twice")
    WRITE_HANDLERS[name] = handler
    return handler


def registered_tools() -> frozenset[str]:
    """Names of every tool with a handler (only these are listed and callable)."""
    return frozenset(READ_HANDLERS) | frozenset(WRITE_HANDLERS)


def load_handlers() -> frozenset[str]:
    """Import each domain's handler module (`artbattle_ops.tools.data_read`, ...) that exists,
    so its handlers register; returns the names of every tool with a handler."""
    for domain in DOMAINS:
        module = f"artbattle_ops.tools.{domain.replace('-', '_')}"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return registered_tools()
