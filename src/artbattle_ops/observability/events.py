"""The one catalogue of event names: audit events (observability.md §2.4.1) and log events.

Names never change once shipped (§2.4.2): dashboards and operator queries key on them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.observability.tables import AUDIT_LOG

logger = logging.getLogger(__name__)


class LogEvent(StrEnum):
    """Messages of the JSON log lines; the data goes in fields."""

    DB_CLIENT_CREATED = "db_client_created"
    DB_CLIENT_SKIPPED = "db_client_skipped"
    EMBEDDED_DB_STARTED = "embedded_db_started"
    EMBEDDED_DB_STOPPED = "embedded_db_stopped"
    MIGRATION_APPLIED = "migration_applied"
    DEMO_SEEDED = "demo_seeded"
    DEMO_DATA_GENERATED = "demo_data_generated"
    GATEWAY_STARTED = "gateway_started"
    ACCESS_STATE_UNAVAILABLE = "access_state_unavailable"
    REPLAY_CACHE_UNAVAILABLE = "replay_cache_unavailable"
    REFUSAL_AUDIT_FAILED = "refusal_audit_failed"
    AUDIT_ROW_INVALID = "audit_row_invalid"
    REQUEST_CANCELLED = "request_cancelled"
    ROLE_DIRECTORY_ANSWERED = "role_directory_answered"
    ROLE_DIRECTORY_FAILED = "role_directory_failed"
    # The assistant (orchestration-api), its Slack front end and its routers.
    ASSISTANT_STARTED = "assistant_started"
    FEEDBACK_NOT_RECORDED = "feedback_not_recorded"
    MODEL_PARAMETER_FALLBACK = "model_parameter_fallback"
    OFFLINE_ROUTER_ANSWERED = "offline_router_answered"
    OFFLINE_VOCABULARY_UNAVAILABLE = "offline_vocabulary_unavailable"
    CONSOLE_STARTED = "console_started"
    CONFIRMATION_DECISION_UNCHECKED = "confirmation_decision_unchecked"
    MODEL_UNREACHABLE_OFFLINE_ANSWER = "model_unreachable_offline_answer"
    REQUEST_FAILED = "request_failed"
    SESSION_ROW_FAILED = "session_row_failed"
    SLACK_APP_STARTED = "slack_app_started"
    SLACK_CALL_FAILED = "slack_call_failed"
    SLACK_CLAIM_UNAVAILABLE = "slack_claim_unavailable"
    SLACK_CONFIRMATION_UNREADABLE = "slack_confirmation_unreadable"
    SLACK_CONTEXT_UNAVAILABLE = "slack_context_unavailable"
    SLACK_DUPLICATE_IGNORED = "slack_duplicate_ignored"
    SLACK_EVENT_FAILED = "slack_event_failed"
    SLACK_NOT_CONFIGURED = "slack_not_configured"
    SLACK_POST_FAILED = "slack_post_failed"
    SLACK_SIGNATURE_DENIED = "slack_signature_denied"
    OBSERVABILITY_WRITE_DROPPED = "observability_write_dropped"
    OBSERVABILITY_WRITE_FAILED = "observability_write_failed"
    OBSERVABILITY_WRITE_RETRYING = "observability_write_retrying"
    OBSERVABILITY_WRITER_STOPPED = "observability_writer_stopped"


class Source(StrEnum):
    """`esbmcp_audit_log.source`: the component that decided."""

    SLACK = "slack"
    GATEWAY = "gateway"
    DB = "db"


class Decision(StrEnum):
    """`esbmcp_audit_log.decision`, fixed per event type."""

    ALLOW = "allow"
    DENY = "deny"
    INFO = "info"
    ERROR = "error"


class AuditEventError(ValueError):
    """An audit row does not match its catalogue entry (a programming error)."""


@dataclass(frozen=True)
class AuditEvent:
    """One catalogue entry: who emits it, its decision, its reasons and its detail fields.

    `fields` lists the detail keys besides `reason`; None means free-form (the db event).
    """

    source: Source
    event_type: str
    decision: Decision
    reasons: frozenset[str] = frozenset()
    fields: frozenset[str] | None = frozenset()
    optional: frozenset[str] = frozenset()

    @property
    def required_fields(self) -> frozenset[str]:
        """Detail keys every row of this event carries."""
        return (self.fields or frozenset()) - self.optional


def _event(
    source: Source,
    event_type: str,
    decision: Decision,
    reasons: Iterable[str] = (),
    fields: Iterable[str] | None = (),
    optional: Iterable[str] = (),
) -> AuditEvent:
    extra = frozenset(optional)
    known = None if fields is None else frozenset(fields) | extra
    return AuditEvent(source, event_type, decision, frozenset(reasons), known, extra)


_S, _G, _D = Source.SLACK, Source.GATEWAY, Source.DB
_ALLOW, _DENY, _INFO, _ERROR = Decision.ALLOW, Decision.DENY, Decision.INFO, Decision.ERROR
_RATE = ("scope", "limit", "window_seconds", "retry_after_seconds")

SLACK_DUPLICATE_REQUEST_IGNORED = _event(
    _S, "duplicate_request_ignored", _INFO, (), ("slack_event_id", "retry_num", "retry_reason")
)
SLACK_SIGNATURE_DENIED = _event(
    _S,
    "signature_denied",
    _DENY,
    ("missing_slack_headers", "stale_slack_timestamp", "invalid_slack_signature"),
    ("path",),
)
SLACK_PROMPT_REJECTED = _event(
    _S,
    "prompt_rejected",
    _DENY,
    ("empty_prompt", "prompt_too_long"),
    ("length_chars", "limit_chars"),
)
SLACK_IDENTITY_DENIED = _event(
    _S, "identity_denied", _DENY, ("team_not_allowed", "channel_not_allowed", "user_not_allowed")
)
SLACK_RATE_LIMIT_EXCEEDED = _event(
    _S,
    "rate_limit_exceeded",
    _DENY,
    ("user_rate_limit_exceeded", "channel_rate_limit_exceeded"),
    _RATE,
)
SLACK_ROLE_DENIED = _event(
    _S, "role_denied", _DENY, ("no_role",), ("role_source",), ("directory_status",)
)
SLACK_NO_TOOLS_AVAILABLE = _event(
    _S, "no_tools_available", _DENY, ("no_tools_for_role",), ("role", "mutating_enabled")
)
SLACK_SESSION_STARTED = _event(
    _S,
    "session_started",
    _INFO,
    (),
    ("interaction_type", "role_source", "tools_available", "mutating_enabled", "model"),
)
SLACK_TOOL_NOT_AVAILABLE = _event(
    _S, "tool_not_available", _DENY, ("not_in_toolset",), ("requested_tool",)
)
SLACK_TOOL_CALL_BUDGET_EXCEEDED = _event(
    _S,
    "tool_call_budget_exceeded",
    _DENY,
    ("request_budget_exhausted", "tool_max_calls_exceeded"),
    ("limit", "used"),
)
SLACK_CONFIRMATION_REQUESTED = _event(
    _S,
    "confirmation_requested",
    _INFO,
    (),
    ("confirmation_id", "mode", "timeout_seconds", "argument_keys", "arguments_hash"),
)
SLACK_CONFIRMATION_GRANTED = _event(
    _S,
    "confirmation_granted",
    _ALLOW,
    (),
    ("confirmation_id", "approver_user_id", "mode", "wait_ms"),
)
SLACK_CONFIRMATION_REJECTED = _event(
    _S,
    "confirmation_rejected",
    _DENY,
    ("cancelled_by_user", "timed_out", "not_requester"),
    (),
    ("confirmation_id", "clicked_by", "wait_ms"),
)
SLACK_GATEWAY_CALL_FAILED = _event(
    _S,
    "gateway_call_failed",
    _ERROR,
    ("timeout", "connection_error", "protocol_error"),
    ("duration_ms",),
    ("http_status",),
)
SLACK_SESSION_COMPLETED = _event(
    _S,
    "session_completed",
    _INFO,
    (),
    (
        "status",
        "tool_call_count",
        "tools",
        "total_duration_ms",
        "api_rounds",
        "total_tokens",
        "redaction_rules_applied",
    ),
)
SLACK_SESSION_ERROR = _event(_S, "session_error", _ERROR, (), ("error_id", "error_class", "stage"))
SLACK_FEEDBACK_RECORDED = _event(
    _S,
    "feedback_recorded",
    _INFO,
    (),
    ("feedback_id", "rating", "source", "action"),
    ("reaction",),
)

GATEWAY_SIGNATURE_DENIED = _event(
    _G,
    "signature_denied",
    _DENY,
    (
        "missing_bearer_token",
        "invalid_bearer_token",
        "missing_or_invalid_signature_headers",
        "unsupported_signature_version",
        "invalid_signature_timestamp",
        "signature_expired",
        "invalid_signature",
        "replayed_request",
    ),
    ("path", "suppressed_count"),
)
GATEWAY_REQUEST_REJECTED = _event(
    _G,
    "request_rejected",
    _DENY,
    ("request_body_too_large", "invalid_json_body", "unsupported_method", "protocol_error"),
    (),
    ("size_bytes", "limit_bytes"),
)
GATEWAY_TOOL_NOT_FOUND = _event(
    _G, "tool_not_found", _DENY, ("tool_not_found",), ("requested_tool",)
)
GATEWAY_MISSING_ROLE = _event(_G, "missing_role", _DENY, ("missing_slack_user", "no_role"))
GATEWAY_ROLE_DENIED = _event(
    _G, "role_denied", _DENY, ("role_not_allowed",), ("role", "risk_level", "allowed_roles")
)
GATEWAY_CALL_LIMIT_EXCEEDED = _event(
    _G, "call_limit_exceeded", _DENY, ("call_limit_exceeded",), ("role", "limit", "used")
)
GATEWAY_MUTATING_TOOL_BLOCKED = _event(
    _G, "mutating_tool_blocked", _DENY, ("mutating_disabled",), ("role", "risk_level")
)
GATEWAY_INVALID_ARGUMENTS = _event(
    _G, "invalid_arguments", _DENY, ("invalid_arguments",), ("errors", "argument_keys")
)
GATEWAY_RATE_LIMIT_EXCEEDED = _event(
    _G, "rate_limit_exceeded", _DENY, ("caller_rate_limit_exceeded",), _RATE
)
GATEWAY_CONFIRMATION_REQUIRED = _event(
    _G,
    "confirmation_required",
    _DENY,
    (
        "confirmation_missing",
        "confirmation_invalid",
        "confirmation_expired",
        "confirmation_mismatch",
    ),
    ("risk_level",),
    ("confirmation_id", "expires_at"),
)
GATEWAY_CONFIRMATION_SATISFIED = _event(
    _G,
    "confirmation_satisfied",
    _ALLOW,
    (),
    ("confirmation_id", "approver_user_id", "age_seconds"),
)
GATEWAY_TOOL_EXECUTED = _event(
    _G,
    "tool_executed",
    _ALLOW,
    (),
    ("execution_id", "duration_ms", "has_error_field", "result_row_count", "confirmed"),
    ("result_code", "edge_function", "idempotency_key", "write_outcome"),
)
GATEWAY_TOOL_FAILED = _event(
    _G,
    "tool_failed",
    _ERROR,
    (),
    ("execution_id", "error_id", "error_type", "error_code", "result_code", "duration_ms"),
    ("idempotency_key",),
)

DB_RETENTION_CLEANUP = _event(_D, "retention_cleanup", _INFO, (), None)

AUDIT_EVENTS: tuple[AuditEvent, ...] = (
    SLACK_DUPLICATE_REQUEST_IGNORED,
    SLACK_SIGNATURE_DENIED,
    SLACK_PROMPT_REJECTED,
    SLACK_IDENTITY_DENIED,
    SLACK_RATE_LIMIT_EXCEEDED,
    SLACK_ROLE_DENIED,
    SLACK_NO_TOOLS_AVAILABLE,
    SLACK_SESSION_STARTED,
    SLACK_TOOL_NOT_AVAILABLE,
    SLACK_TOOL_CALL_BUDGET_EXCEEDED,
    SLACK_CONFIRMATION_REQUESTED,
    SLACK_CONFIRMATION_GRANTED,
    SLACK_CONFIRMATION_REJECTED,
    SLACK_GATEWAY_CALL_FAILED,
    SLACK_SESSION_COMPLETED,
    SLACK_SESSION_ERROR,
    SLACK_FEEDBACK_RECORDED,
    GATEWAY_SIGNATURE_DENIED,
    GATEWAY_REQUEST_REJECTED,
    GATEWAY_TOOL_NOT_FOUND,
    GATEWAY_MISSING_ROLE,
    GATEWAY_ROLE_DENIED,
    GATEWAY_CALL_LIMIT_EXCEEDED,
    GATEWAY_MUTATING_TOOL_BLOCKED,
    GATEWAY_INVALID_ARGUMENTS,
    GATEWAY_RATE_LIMIT_EXCEEDED,
    GATEWAY_CONFIRMATION_REQUIRED,
    GATEWAY_CONFIRMATION_SATISFIED,
    GATEWAY_TOOL_EXECUTED,
    GATEWAY_TOOL_FAILED,
    DB_RETENTION_CLEANUP,
)
_BY_KEY = {(event.source, event.event_type): event for event in AUDIT_EVENTS}


def audit_event(source: str, event_type: str) -> AuditEvent:
    """The catalogue entry of `event_type` as emitted by `source`.

    Raises:
        AuditEventError: no such event for that source.
    """
    try:
        return _BY_KEY[(Source(source), event_type)]
    except (KeyError, ValueError) as exc:
        raise AuditEventError(f"no audit event {event_type!r} for source {source!r}") from exc


_SET_BY_CATALOGUE = frozenset({"source", "event_type", "decision", "detail"})
AUDIT_ROW_FIELDS = frozenset(AUDIT_LOG.columns) - _SET_BY_CATALOGUE


def audit_row(
    event: AuditEvent,
    *,
    reason: str | None = None,
    detail: Mapping[str, Any] | None = None,
    scrubber: Scrubber | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An `esbmcp_audit_log` row for `event`, checked against the catalogue.

    `fields` are the row's other columns (`service_version` is required); `id` and `created_at`
    default to a new uuid and now. With a `scrubber`, every string of `detail` is scrubbed.

    Raises:
        AuditEventError: the reason, a detail key or a column does not fit the event.
    """
    _check_reason(event, reason)
    _check_columns(fields)
    body = dict(detail or {})
    _check_detail(event, body)

    if reason is not None:
        body = {"reason": reason, **body}
    row: dict[str, Any] = {"id": uuid.uuid4(), "created_at": datetime.now(UTC), **fields}
    row.update(source=str(event.source), event_type=event.event_type)
    row.update(decision=str(event.decision), detail=_scrubbed(body, scrubber))
    return row


def lenient_audit_row(
    event: AuditEvent,
    *,
    strict: bool,
    reason: str | None,
    detail: Mapping[str, Any],
    scrubber: Scrubber,
    **fields: Any,
) -> dict[str, Any]:
    """`audit_row`, for an emitter that must not lose the event.

    A row that does not fit the catalogue is a programming error: with `strict` (development)
    it raises; otherwise it is logged and the row is kept unchecked, its detail scrubbed.

    Raises:
        AuditEventError: with `strict`, the row does not fit the event.
    """
    try:
        return audit_row(event, reason=reason, detail=detail, scrubber=scrubber, **fields)
    except AuditEventError:
        if strict:
            raise
        logger.exception("audit_row_invalid", extra={"event_type": event.event_type})
        body = {"reason": reason, **detail} if reason is not None else dict(detail)
        return {
            "id": uuid.uuid4(),
            "source": str(event.source),
            "event_type": event.event_type,
            "decision": str(event.decision),
            "detail": scrubber.scrub_detail(body),
            **fields,
        }


def _scrubbed(detail: dict[str, Any], scrubber: Scrubber | None) -> dict[str, Any]:
    if scrubber is None:
        return detail
    scrubbed: dict[str, Any] = scrubber.scrub_detail(detail)
    return scrubbed


def _check_reason(event: AuditEvent, reason: str | None) -> None:
    if not event.reasons and reason is None:
        return
    if reason not in event.reasons:
        raise AuditEventError(f"{event.event_type}: reason {reason!r} is not in the catalogue")


def _check_columns(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - AUDIT_ROW_FIELDS
    if unknown:
        raise AuditEventError(f"not audit-log columns: {sorted(unknown)}")
    if not fields.get("service_version"):
        raise AuditEventError("service_version is required")


def _check_detail(event: AuditEvent, detail: Mapping[str, Any]) -> None:
    if "reason" in detail:
        raise AuditEventError(f"{event.event_type}: pass the reason as `reason=`")
    if event.fields is None:
        return
    unknown = set(detail) - event.fields
    missing = event.required_fields - set(detail)
    if unknown or missing:
        raise AuditEventError(
            f"{event.event_type}: unknown detail {sorted(unknown)}, missing {sorted(missing)}"
        )
