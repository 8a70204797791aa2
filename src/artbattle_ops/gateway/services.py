"""Everything the gateway's pipeline depends on, built once per process and shared."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from artbattle_ops import __version__
from artbattle_ops.config.settings import GatewaySettings
from artbattle_ops.db.pool import Database
from artbattle_ops.gateway.context import CallerContext
from artbattle_ops.gateway.edge import EdgeClient
from artbattle_ops.observability.events import audit_event, lenient_audit_row
from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.observability.writer import ObservabilityWriter
from artbattle_ops.policy.confirmations import ConfirmationStore
from artbattle_ops.policy.limits import CounterStore
from artbattle_ops.policy.roles import RoleResolver
from artbattle_ops.tools.manifest import ToolSpec


@dataclass
class GatewayServices:
    """Shared collaborators of the pipeline; `clock` is injectable for tests."""

    settings: GatewaySettings
    manifest: Mapping[str, ToolSpec]
    database: Database
    roles: RoleResolver
    counters: CounterStore
    confirmations: ConfirmationStore
    writer: ObservabilityWriter
    scrubber: Scrubber
    edge: EdgeClient | None = None
    clock: Callable[[], float] = field(default=time.time)
    version: str = __version__

    def now(self) -> datetime:
        """The current instant from the injected clock."""
        return datetime.fromtimestamp(self.clock(), UTC)

    def audit(self, event_type: str, **fields: Any) -> None:
        """Queue one gateway audit row; never blocks and never raises."""
        self.writer.enqueue("esbmcp_audit_log", self.build_audit(event_type, **fields))

    def build_audit(
        self,
        event_type: str,
        *,
        reason: str | None = None,
        context: CallerContext | None = None,
        user_id: str | None = None,
        user_role: str | None = None,
        tool_name: str | None = None,
        ip_address: str | None = None,
        created_at: datetime | None = None,
        **detail: Any,
    ) -> dict[str, Any]:
        """One gateway audit row, checked against the catalogue, its detail scrubbed.

        Raises:
            AuditEventError: in local and test modes only, when the row does not fit the
                catalogue (a programming error); production logs it and keeps the row.
        """
        fields: dict[str, Any] = {
            "session_id": context.session_id if context else None,
            "request_id": context.request_id if context else None,
            "slack_user_id": user_id or (context.slack_user_id if context else None),
            "slack_team_id": context.slack_team_id if context else None,
            "slack_channel_id": context.slack_channel_id if context else None,
            "slack_username": context.slack_username if context else None,
            "user_role": user_role,
            "ip_address": ip_address,
            "tool_name": tool_name,
            "service_version": self.version,
            "created_at": created_at or self.now(),
        }
        event = audit_event("gateway", event_type)
        required = event.required_fields
        body = {k: v for k, v in detail.items() if v is not None or k in required}
        return lenient_audit_row(
            event,
            strict=self.settings.is_development,
            reason=reason,
            detail=body,
            scrubber=self.scrubber,
            **fields,
        )
