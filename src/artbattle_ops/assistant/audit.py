"""The assistant's audit events (observability.md §2.4.1, source `slack`), queued on the writer."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from artbattle_ops.assistant.contract import Inbound
from artbattle_ops.observability.events import audit_event, lenient_audit_row
from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.observability.writer import ObservabilityWriter

AUDIT_TABLE = "esbmcp_audit_log"


@dataclass(frozen=True)
class Actor:
    """Whose request an event belongs to (verified Slack context only)."""

    session_id: uuid.UUID | str | None
    request_id: str | None
    slack_user_id: str | None
    slack_team_id: str | None = None
    slack_channel_id: str | None = None
    slack_username: str | None = None
    user_role: str | None = None

    @classmethod
    def of(
        cls, inbound: Inbound, session_id: uuid.UUID, request_id: str, role: str | None
    ) -> Actor:
        """The requester of `inbound`."""
        return cls(
            session_id,
            request_id,
            inbound.slack_user_id,
            inbound.slack_team_id,
            inbound.slack_channel_id,
            inbound.slack_username,
            role,
        )


class SlackAuditor:
    """Builds rows checked against the catalogue and queues them; never blocks, never raises
    outside development (a malformed row is a programming error: logged, then written as is)."""

    def __init__(
        self, writer: ObservabilityWriter, scrubber: Scrubber, version: str, *, strict: bool
    ) -> None:
        self._writer = writer
        self._scrubber = scrubber
        self._version = version
        self._strict = strict

    def emit(
        self,
        event_type: str,
        actor: Actor,
        *,
        reason: str | None = None,
        tool_name: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue one `source = slack` row for `actor`."""
        self._writer.enqueue(AUDIT_TABLE, self.row(event_type, actor, reason, tool_name, detail))

    def row(
        self,
        event_type: str,
        actor: Actor,
        reason: str | None = None,
        tool_name: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The row `emit` would queue."""
        fields = {
            "session_id": actor.session_id,
            "request_id": actor.request_id,
            "slack_user_id": actor.slack_user_id,
            "slack_team_id": actor.slack_team_id,
            "slack_channel_id": actor.slack_channel_id,
            "slack_username": actor.slack_username,
            "user_role": actor.user_role,
            "tool_name": tool_name,
            "service_version": self._version,
            "created_at": datetime.now(UTC),
        }
        body = {k: v for k, v in (detail or {}).items() if v is not None}
        event = audit_event("slack", event_type)
        return lenient_audit_row(
            event,
            strict=self._strict,
            reason=reason,
            detail=body,
            scrubber=self._scrubber,
            **fields,
        )
