"""The event catalogue matches §2.4.1, and every log event the code emits is catalogued."""

import re
import uuid
from datetime import UTC
from pathlib import Path

import pytest

from artbattle_ops.observability import events
from artbattle_ops.observability.events import (
    AUDIT_EVENTS,
    AuditEventError,
    LogEvent,
    audit_event,
    audit_row,
    lenient_audit_row,
)
from artbattle_ops.observability.scrubber import Scrubber

SRC = Path(__file__).resolve().parents[3] / "src" / "artbattle_ops"

# §2.4.1, written out independently of the catalogue: (source, event_type, decision, reasons).
SPECIFIED: list[tuple[str, str, str, set[str]]] = [
    ("slack", "duplicate_request_ignored", "info", set()),
    (
        "slack",
        "signature_denied",
        "deny",
        {"missing_slack_headers", "stale_slack_timestamp", "invalid_slack_signature"},
    ),
    ("slack", "prompt_rejected", "deny", {"empty_prompt", "prompt_too_long"}),
    (
        "slack",
        "identity_denied",
        "deny",
        {"team_not_allowed", "channel_not_allowed", "user_not_allowed"},
    ),
    (
        "slack",
        "rate_limit_exceeded",
        "deny",
        {"user_rate_limit_exceeded", "channel_rate_limit_exceeded"},
    ),
    ("slack", "role_denied", "deny", {"no_role"}),
    ("slack", "no_tools_available", "deny", {"no_tools_for_role"}),
    ("slack", "session_started", "info", set()),
    ("slack", "tool_not_available", "deny", {"not_in_toolset"}),
    (
        "slack",
        "tool_call_budget_exceeded",
        "deny",
        {"request_budget_exhausted", "tool_max_calls_exceeded"},
    ),
    ("slack", "confirmation_requested", "info", set()),
    ("slack", "confirmation_granted", "allow", set()),
    ("slack", "confirmation_rejected", "deny", {"cancelled_by_user", "timed_out", "not_requester"}),
    ("slack", "gateway_call_failed", "error", {"timeout", "connection_error", "protocol_error"}),
    ("slack", "session_completed", "info", set()),
    ("slack", "session_error", "error", set()),
    ("slack", "feedback_recorded", "info", set()),
    (
        "gateway",
        "signature_denied",
        "deny",
        {
            "missing_bearer_token",
            "invalid_bearer_token",
            "missing_or_invalid_signature_headers",
            "unsupported_signature_version",
            "invalid_signature_timestamp",
            "signature_expired",
            "invalid_signature",
            "replayed_request",
        },
    ),
    (
        "gateway",
        "request_rejected",
        "deny",
        {"request_body_too_large", "invalid_json_body", "unsupported_method", "protocol_error"},
    ),
    ("gateway", "tool_not_found", "deny", {"tool_not_found"}),
    ("gateway", "missing_role", "deny", {"missing_slack_user", "no_role"}),
    ("gateway", "role_denied", "deny", {"role_not_allowed"}),
    ("gateway", "call_limit_exceeded", "deny", {"call_limit_exceeded"}),
    ("gateway", "mutating_tool_blocked", "deny", {"mutating_disabled"}),
    ("gateway", "invalid_arguments", "deny", {"invalid_arguments"}),
    ("gateway", "rate_limit_exceeded", "deny", {"caller_rate_limit_exceeded"}),
    (
        "gateway",
        "confirmation_required",
        "deny",
        {
            "confirmation_missing",
            "confirmation_invalid",
            "confirmation_expired",
            "confirmation_mismatch",
        },
    ),
    ("gateway", "confirmation_satisfied", "allow", set()),
    ("gateway", "tool_executed", "allow", set()),
    ("gateway", "tool_failed", "error", set()),
    ("db", "retention_cleanup", "info", set()),
]


def test_catalogue_holds_exactly_the_specified_events() -> None:
    catalogued = {(e.source, e.event_type) for e in AUDIT_EVENTS}

    assert catalogued == {(source, name) for source, name, _, _ in SPECIFIED}


@pytest.mark.parametrize(
    ("source", "event_type", "decision", "reasons"),
    SPECIFIED,
    ids=[f"{s[0]}.{s[1]}" for s in SPECIFIED],
)
def test_catalogued_event_has_the_specified_decision_and_reasons(
    source: str, event_type: str, decision: str, reasons: set[str]
) -> None:
    event = audit_event(source, event_type)

    assert (event.decision.value, set(event.reasons)) == (decision, reasons)


@pytest.mark.parametrize("event", AUDIT_EVENTS, ids=[e.event_type for e in AUDIT_EVENTS])
def test_every_deny_event_carries_a_reason(event: events.AuditEvent) -> None:
    assert event.decision != "deny" or event.reasons


@pytest.mark.parametrize("event", AUDIT_EVENTS, ids=[e.event_type for e in AUDIT_EVENTS])
def test_event_type_fits_the_audit_log_check(event: events.AuditEvent) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]{2,62}", event.event_type)


def test_unknown_event_lookup_is_refused() -> None:
    with pytest.raises(AuditEventError):
        audit_event("gateway", "prompt_rejected")


def _logged_event_names() -> set[str]:
    call = re.compile(r"logger\.(?:debug|info|warning|error|exception|critical)\(\s*\"([^\"]+)\"")
    enum_use = re.compile(r"LogEvent\.([A-Z_]+)")
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(call.findall(text))
        names.update(LogEvent[member].value for member in enum_use.findall(text))
    return names


def test_every_log_event_in_the_code_is_catalogued() -> None:
    assert _logged_event_names() <= {event.value for event in LogEvent}


def test_log_event_names_are_lower_snake_case() -> None:
    assert all(re.fullmatch(r"[a-z][a-z0-9_]+", event.value) for event in LogEvent)


def test_audit_row_sets_source_decision_and_reason_first() -> None:
    row = audit_row(
        events.GATEWAY_ROLE_DENIED,
        reason="role_not_allowed",
        detail={"role": "viewer", "risk_level": "read", "allowed_roles": ["ops"]},
        request_id="r1",
        service_version="0.1.0",
    )

    assert (row["source"], row["event_type"], row["decision"], next(iter(row["detail"]))) == (
        "gateway",
        "role_denied",
        "deny",
        "reason",
    )


def test_audit_row_mints_an_id_and_an_event_time() -> None:
    row = audit_row(events.GATEWAY_MISSING_ROLE, reason="no_role", service_version="0.1.0")

    assert (type(row["id"]), row["created_at"].tzinfo) == (uuid.UUID, UTC)


def test_audit_row_refuses_a_reason_outside_the_catalogue() -> None:
    with pytest.raises(AuditEventError, match="reason"):
        audit_row(events.GATEWAY_MISSING_ROLE, reason="no_tools", service_version="0.1.0")


def test_audit_row_refuses_a_deny_without_reason() -> None:
    with pytest.raises(AuditEventError, match="reason"):
        audit_row(events.GATEWAY_MISSING_ROLE, service_version="0.1.0")


def test_audit_row_refuses_a_reason_on_an_event_without_reasons() -> None:
    with pytest.raises(AuditEventError, match="reason"):
        audit_row(
            events.SLACK_SESSION_ERROR,
            reason="timeout",
            detail={"error_id": "e", "error_class": "X", "stage": "llm"},
            service_version="0.1.0",
        )


def test_audit_row_refuses_a_detail_field_outside_the_catalogue() -> None:
    with pytest.raises(AuditEventError, match="phone"):
        audit_row(
            events.SLACK_IDENTITY_DENIED,
            reason="user_not_allowed",
            detail={"phone": "+14165550134"},
            service_version="0.1.0",
        )


def test_audit_row_refuses_a_missing_required_detail_field() -> None:
    with pytest.raises(AuditEventError, match="path"):
        audit_row(
            events.SLACK_SIGNATURE_DENIED, reason="invalid_slack_signature", service_version="1"
        )


def test_audit_row_accepts_optional_detail_fields_when_absent() -> None:
    row = audit_row(events.SLACK_CONFIRMATION_REJECTED, reason="timed_out", service_version="0.1.0")

    assert row["detail"] == {"reason": "timed_out"}


def test_audit_row_refuses_a_column_the_table_lacks() -> None:
    with pytest.raises(AuditEventError, match="columns"):
        audit_row(events.GATEWAY_MISSING_ROLE, reason="no_role", service_version="1", ip="x")


def test_audit_row_scrubs_detail_strings_with_the_given_scrubber() -> None:
    row = audit_row(
        events.GATEWAY_INVALID_ARGUMENTS,
        reason="invalid_arguments",
        detail={"errors": [{"path": "phone 4165550134", "rule": "type"}], "argument_keys": []},
        scrubber=Scrubber([]),
        service_version="0.1.0",
    )

    assert row["detail"]["errors"] == [{"path": "phone ***34", "rule": "type"}]


def test_db_event_detail_is_free_form() -> None:
    row = audit_row(events.DB_RETENTION_CLEANUP, detail={"skipped": True}, service_version="002")

    assert row["detail"] == {"skipped": True}


SECRET = "sk-live-0123456789abcdefghij"


def test_a_row_off_the_catalogue_raises_where_strict() -> None:
    event = audit_event("gateway", "role_denied")

    with pytest.raises(AuditEventError):
        lenient_audit_row(
            event,
            strict=True,
            reason="not_a_catalogue_reason",
            detail={},
            scrubber=Scrubber([SECRET]),
            service_version="0.1.0",
        )


def test_a_row_off_the_catalogue_is_logged_and_kept_scrubbed_where_lenient(
    caplog: pytest.LogCaptureFixture,
) -> None:
    event = audit_event("gateway", "role_denied")

    row = lenient_audit_row(
        event,
        strict=False,
        reason="not_a_catalogue_reason",
        detail={"note": f"token {SECRET}"},
        scrubber=Scrubber([SECRET]),
        service_version="0.1.0",
        tool_name="get_bid_history",
    )

    assert (row["source"], row["event_type"], row["decision"], row["tool_name"]) == (
        "gateway",
        "role_denied",
        "deny",
        "get_bid_history",
    )
    assert row["detail"]["reason"] == "not_a_catalogue_reason"
    assert SECRET not in str(row["detail"])
    assert [r.message for r in caplog.records] == ["audit_row_invalid"]
