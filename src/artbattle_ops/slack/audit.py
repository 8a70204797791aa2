"""The Slack front end's own audit rows: refused signatures and ignored redeliveries.

Everything else the Slack service audits (sessions, policy refusals, confirmations) belongs to
the assistant core; these two happen before a request reaches it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from artbattle_ops import __version__
from artbattle_ops.observability.events import (
    SLACK_DUPLICATE_REQUEST_IGNORED,
    SLACK_SIGNATURE_DENIED,
    audit_row,
)
from artbattle_ops.observability.tables import AUDIT_LOG

logger = logging.getLogger(__name__)

Enqueue = Callable[[str, Mapping[str, Any]], None]


class SlackAudit:
    """Builds and queues the rows; without a writer they are logged only."""

    def __init__(self, enqueue: Enqueue | None, *, version: str = __version__) -> None:
        self._enqueue = enqueue
        self._version = version

    def signature_denied(self, reason: str, path: str, ip_address: str | None) -> None:
        """A Slack request whose signature was refused (audited before any parsing)."""
        row = audit_row(
            SLACK_SIGNATURE_DENIED,
            reason=reason,
            detail={"path": path},
            ip_address=ip_address,
            service_version=self._version,
        )
        logger.warning("slack_signature_denied", extra={"reason": reason, "path": path})
        self._write(row)

    def duplicate_ignored(
        self,
        slack_event_id: str,
        *,
        retry_num: int | None,
        retry_reason: str | None,
        slack_team_id: str | None,
        slack_channel_id: str | None,
        slack_user_id: str | None,
    ) -> None:
        """A redelivered event that another delivery (on any replica) already claimed."""
        detail = {
            "slack_event_id": slack_event_id,
            "retry_num": retry_num,
            "retry_reason": retry_reason,
        }
        row = audit_row(
            SLACK_DUPLICATE_REQUEST_IGNORED,
            detail=detail,
            slack_team_id=slack_team_id,
            slack_channel_id=slack_channel_id,
            slack_user_id=slack_user_id,
            service_version=self._version,
        )
        logger.info("slack_duplicate_ignored", extra={"slack_event_id": slack_event_id})
        self._write(row)

    def _write(self, row: Mapping[str, Any]) -> None:
        if self._enqueue is not None:
            self._enqueue(AUDIT_LOG.name, row)
