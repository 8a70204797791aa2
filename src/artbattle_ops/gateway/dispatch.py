"""Dispatching a checked call to its handler, and recording every outcome.

Refusals before dispatch become an audit row and a tool error with `reference_id` null. A call
that reaches its handler gets an execution row (observability.md §2.2); one whose handler raised
also gets an error row and a `tool_failed` audit row, all three queued as one group.
"""

from __future__ import annotations

import traceback
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from artbattle_ops.gateway import envelope
from artbattle_ops.gateway.context import CallerContext
from artbattle_ops.gateway.failures import Failure, classify_failure, error_pattern, is_raised
from artbattle_ops.gateway.failures import query_preview as preview_sql
from artbattle_ops.gateway.services import GatewayServices
from artbattle_ops.gateway.transaction import ConnectionTransaction
from artbattle_ops.observability.hashing import arguments_hash
from artbattle_ops.observability.preview import argument_keys, arguments_preview
from artbattle_ops.policy.redaction import redact
from artbattle_ops.tools.errors import InvalidArgumentsError, ToolError
from artbattle_ops.tools.manifest import ToolSpec
from artbattle_ops.tools.registry import READ_HANDLERS, Caller, ToolCall


@dataclass(frozen=True)
class Refusal:
    """What the audit of a refusal needs: the call as received and who made it."""

    spec: ToolSpec
    raw_arguments: Any
    context: CallerContext
    client_ip: str | None
    received: datetime
    user_id: str | None = None
    role: str | None = None

    def for_user(self, user_id: str, role: str | None) -> Refusal:
        """The same call, with its requester and resolved role."""
        return replace(self, user_id=user_id, role=role)


@dataclass
class Outcome:
    """How a dispatched call ended, for the envelope and the execution row."""

    envelope: dict[str, Any]
    started: datetime
    completed: datetime
    execution_id: str
    confirmed: bool = False
    failure: Failure | None = None
    error_stack: str | None = None
    edge_function: str | None = None
    result_truncated: bool = False
    result_bytes: int | None = None
    audit_detail: dict[str, Any] | None = None


class Dispatcher:
    """Runs handlers and writes the rows and audit events of each outcome."""

    def __init__(self, services: GatewayServices) -> None:
        self.services = services

    # -- refusals ------------------------------------------------------------------------

    def refuse_role(
        self, refusal: Refusal, role: str | None, reason: str, message: str
    ) -> dict[str, Any]:
        """`missing_role` (no user, no role) or `role_denied` (role not allowed)."""
        event = "role_denied" if reason == "role_not_allowed" else "missing_role"
        extra: dict[str, Any] = {}
        if event == "role_denied":
            extra = {
                "role": role,
                "risk_level": refusal.spec.risk,
                "allowed_roles": sorted(refusal.spec.allowed_roles),
            }
        self.audit_refusal(refusal, event, reason, **extra)
        return self._error(refusal, "role_denied", message)

    def refuse_call_limit(self, refusal: Refusal, limit: int, used: int) -> dict[str, Any]:
        """`call_limit_exceeded`: the tool's per-request cap is used up."""
        self.audit_refusal(
            refusal,
            "call_limit_exceeded",
            "call_limit_exceeded",
            role=refusal.role,
            limit=limit,
            used=used,
        )
        message = (
            f"{refusal.spec.name} may be called at most {limit} time(s) per request; "
            "use the results you already have."
        )
        return self._error(refusal, "call_limit_exceeded", message)

    def refuse_mutating(self, refusal: Refusal, message: str) -> dict[str, Any]:
        """`mutating_disabled`: the write gate is off."""
        self.audit_refusal(
            refusal,
            "mutating_tool_blocked",
            "mutating_disabled",
            role=refusal.role,
            risk_level=refusal.spec.risk,
        )
        return self._error(refusal, "mutating_disabled", message)

    def refuse_arguments(self, refusal: Refusal, exc: InvalidArgumentsError) -> dict[str, Any]:
        """`invalid_arguments`: the audit keeps paths and rules, never the values."""
        errors = [
            {"path": str(e.get("path", "")), "rule": str(e.get("rule", ""))}
            for e in getattr(exc, "errors", [])
        ]
        self.audit_refusal(
            refusal,
            "invalid_arguments",
            "invalid_arguments",
            errors=errors,
            argument_keys=argument_keys(_mapping(refusal.raw_arguments)),
        )
        return envelope.failure(refusal.spec.name, exc.to_error(), None)

    def audit_refusal(
        self, refusal: Refusal, event: str, reason: str | None, **detail: Any
    ) -> None:
        self.services.audit(
            event,
            reason=reason,
            context=refusal.context,
            user_id=refusal.user_id,
            user_role=refusal.role,
            tool_name=refusal.spec.name,
            ip_address=refusal.client_ip,
            created_at=refusal.received,
            **detail,
        )

    def _error(self, refusal: Refusal, code: str, message: str) -> dict[str, Any]:
        return envelope.failure(refusal.spec.name, {"code": code, "message": message}, None)

    # -- execution -------------------------------------------------------------------------

    async def dispatch(
        self, refusal: Refusal, caller: Caller, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        """Run the tool: reads here, writes through the confirmation flow."""
        if refusal.spec.is_write:
            from artbattle_ops.gateway.writes import WriteFlow

            return await WriteFlow(self).run(refusal, caller, arguments)
        outcome = await self.run_read(refusal.spec, caller, arguments)
        self.record(refusal, caller, outcome)
        return outcome.envelope

    async def run_read(self, spec: ToolSpec, caller: Caller, arguments: dict[str, Any]) -> Outcome:
        """Run a read handler in a read-only transaction with the tool's statement timeout."""
        handler = READ_HANDLERS[spec.name]
        execution_id = str(uuid.uuid4())
        started = self.services.now()
        call = self.tool_call(spec, caller, arguments, started)
        try:
            async with self.services.database.transaction(
                timeout_ms=self.timeout_ms(spec), read_only=True
            ) as conn:
                call.db = ConnectionTransaction(conn)
                data = await handler(call)
        except Exception as exc:
            return self.failed(spec, call, exc, execution_id, started, statement=_last(tx_of(call)))
        return self.succeeded(spec, call, data, execution_id, started)

    def tool_call(
        self, spec: ToolSpec, caller: Caller, arguments: dict[str, Any], started: datetime
    ) -> ToolCall:
        """A handler's view of the call, before its transaction is opened."""
        return ToolCall(
            spec,
            arguments,
            caller,
            _NoTransaction(),
            started,
            self.services.settings,
            edge=self.services.edge,
        )

    def timeout_ms(self, spec: ToolSpec) -> int:
        """The tool's statement timeout, or the configured default."""
        return spec.statement_timeout_ms or self.services.settings.tool_statement_timeout_ms

    def succeeded(
        self,
        spec: ToolSpec,
        call: ToolCall,
        data: dict[str, Any],
        execution_id: str,
        started: datetime,
        **audit_detail: Any,
    ) -> Outcome:
        """The envelope of a handler that returned: redacted by role, trimmed to the size cap."""
        completed = self.services.now()
        settings = self.services.settings
        redacted = redact(
            data, spec.pii_fields, call.caller.role, "model", settings.exempt_roles
        ).data
        redacted, trimmed, data_size = envelope.trim_to_size(redacted, settings.result_max_bytes)
        warnings = [*call.warnings, *([envelope.TRIM_WARNING] if trimmed else [])]
        meta = envelope.meta(call.caller.request_id, execution_id, started, _ms(started, completed))
        body = envelope.success(spec.name, redacted, warnings, meta)
        return Outcome(
            body,
            started,
            completed,
            execution_id,
            edge_function=call.edge_function,
            result_truncated=trimmed,
            result_bytes=envelope.success_size(body, data_size),
            audit_detail=audit_detail or None,
        )

    def failed(
        self,
        spec: ToolSpec,
        call: ToolCall,
        exc: BaseException,
        execution_id: str,
        started: datetime,
        *,
        statement: str | None = None,
        **audit_detail: Any,
    ) -> Outcome:
        """A business answer (`has_error_field`) or a raised failure, as an envelope."""
        completed = self.services.now()
        if isinstance(exc, ToolError) and not is_raised(exc):
            body = envelope.failure(spec.name, exc.to_error(), execution_id)
            return Outcome(
                body,
                started,
                completed,
                execution_id,
                edge_function=call.edge_function,
                audit_detail=audit_detail or None,
            )
        failure = classify_failure(exc, timeout_ms=self.timeout_ms(spec))
        failure = replace(failure, sql_query_preview=preview_sql(statement))
        error: dict[str, Any] = {"code": failure.result_code, "message": failure.caller_message}
        if isinstance(exc, ToolError):
            error |= {"argument": exc.argument, "hint": exc.hint, "details": exc.details}
        body = envelope.failure(spec.name, error, execution_id)
        stack = None
        if self.services.settings.is_development:
            stack = "".join(traceback.format_exception(exc))
        return Outcome(
            body,
            started,
            completed,
            execution_id,
            failure=failure,
            error_stack=stack,
            edge_function=failure.edge_function or call.edge_function,
            audit_detail=audit_detail or None,
        )

    # -- telemetry -------------------------------------------------------------------------

    def record(
        self, refusal: Refusal, caller: Caller, outcome: Outcome, *, confirmed: bool = False
    ) -> None:
        """Queue the execution row, and for a raised failure its error and audit rows, together."""
        spec = refusal.spec
        services = self.services
        scrub = services.scrubber.scrub
        body = outcome.envelope
        ok = outcome.failure is None
        has_error = ok and not body["ok"]
        data = body.get("data") if body["ok"] else None
        raw = _mapping(refusal.raw_arguments)
        args_hash = self.hash_arguments(spec.name, refusal.raw_arguments)
        preview = arguments_preview(raw, services.scrubber)
        result_code = None if body["ok"] else body["error"]["code"]

        execution = {
            "id": outcome.execution_id,
            "session_id": caller.session_id,
            "request_id": caller.request_id,
            "slack_user_id": caller.slack_user_id,
            "slack_team_id": caller.slack_team_id,
            "slack_channel_id": caller.slack_channel_id,
            "user_role": caller.role,
            "tool_name": spec.name,
            "domain": spec.domain,
            "risk_level": spec.risk,
            "arguments_hash": args_hash,
            "arguments_keys": argument_keys(raw),
            "arguments_preview": preview,
            "confirmed": confirmed,
            "ok": ok,
            "has_error_field": has_error,
            "result_code": result_code,
            "result_keys": sorted(data) if isinstance(data, dict) else [],
            "result_row_count": (envelope.row_count(data) if isinstance(data, dict) else 0)
            if ok
            else None,
            "result_bytes": _result_bytes(outcome) if ok else None,
            "result_truncated": outcome.result_truncated,
            "edge_function": outcome.edge_function,
            "queued_at": refusal.received,
            "started_at": outcome.started,
            "completed_at": outcome.completed,
            "duration_ms": _ms(outcome.started, outcome.completed),
            "error_type": outcome.failure.error_type if outcome.failure else None,
            "error_code": outcome.failure.error_code if outcome.failure else None,
            "error_message": scrub(outcome.failure.message, 1000) if outcome.failure else None,
            "error_stack": scrub(outcome.error_stack, 8000) if outcome.error_stack else None,
            "service_version": services.version,
            "created_at": outcome.completed,
        }
        rows: list[tuple[str, dict[str, Any]]] = [("esbmcp_tool_executions", execution)]
        detail = dict(outcome.audit_detail or {})
        if outcome.failure is None:
            audit_event = "tool_executed"
            detail |= {
                "execution_id": outcome.execution_id,
                "duration_ms": execution["duration_ms"],
                "has_error_field": has_error,
                "result_code": result_code if has_error else None,
                "result_row_count": execution["result_row_count"],
                "confirmed": confirmed,
                "edge_function": outcome.edge_function,
            }
        else:
            audit_event = "tool_failed"
            detail.pop("write_outcome", None)
            error_id = str(uuid.uuid4())
            rows.append(
                (
                    "esbmcp_tool_errors",
                    self._error_row(error_id, execution, outcome.failure, outcome.error_stack),
                )
            )
            detail |= {
                "execution_id": outcome.execution_id,
                "error_id": error_id,
                "error_type": outcome.failure.error_type,
                "error_code": outcome.failure.error_code,
                "result_code": result_code,
                "duration_ms": execution["duration_ms"],
            }
        audit = services.build_audit(
            audit_event,
            user_id=caller.slack_user_id,
            user_role=caller.role,
            tool_name=spec.name,
            ip_address=refusal.client_ip,
            created_at=outcome.completed,
            **detail,
        )
        rows.append(("esbmcp_audit_log", _with_context(audit, caller)))
        services.writer.enqueue_group(rows)

    def _error_row(
        self, error_id: str, execution: dict[str, Any], failure: Failure, stack: str | None
    ) -> dict[str, Any]:
        scrub = self.services.scrubber.scrub
        message = scrub(failure.message, 2000)
        return {
            "id": error_id,
            "execution_id": execution["id"],
            "session_id": execution["session_id"],
            "request_id": execution["request_id"],
            "slack_user_id": execution["slack_user_id"],
            "user_role": execution["user_role"],
            "tool_name": execution["tool_name"],
            "domain": execution["domain"],
            "arguments_hash": execution["arguments_hash"],
            "arguments_preview": execution["arguments_preview"],
            "error_type": failure.error_type,
            "error_code": failure.error_code,
            "error_message": message,
            "error_pattern": error_pattern(message),
            "error_detail": scrub(failure.detail, 1000) if failure.detail else None,
            "error_hint": scrub(failure.hint, 1000) if failure.hint else None,
            "error_position": failure.position,
            "error_stack": scrub(stack, 8000) if stack else None,
            "sql_query_preview": failure.sql_query_preview,
            "service_version": self.services.version,
            "created_at": execution["completed_at"],
        }

    def hash_arguments(self, tool: str, raw: Any, label: str | None = None) -> str:
        """The keyed hash of observability.md §6.2 (or a confirmation label of tools.md §1.9)."""
        settings = self.services.settings
        if label is None:
            return arguments_hash(settings.hash_key, settings.arguments_hash_key_id, tool, raw)
        return arguments_hash(
            settings.hash_key, settings.arguments_hash_key_id, tool, raw, label=label
        )


class _NoTransaction:
    """Stands in until the call's transaction is opened; using it is a programming error."""

    async def fetch_all(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        raise RuntimeError("no transaction is open for this call")

    async def fetch_one(self, query: str, params: Any = None) -> dict[str, Any] | None:
        raise RuntimeError("no transaction is open for this call")

    async def execute(self, query: str, params: Any = None) -> int:
        raise RuntimeError("no transaction is open for this call")


def tx_of(call: ToolCall) -> ConnectionTransaction | None:
    """The call's transaction, if one was opened."""
    return call.db if isinstance(call.db, ConnectionTransaction) else None


def _result_bytes(outcome: Outcome) -> int:
    if outcome.result_bytes is not None:
        return outcome.result_bytes
    return envelope.encoded_size(outcome.envelope)


def _last(tx: ConnectionTransaction | None) -> str | None:
    return tx.last_statement if tx is not None else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _with_context(row: dict[str, Any], caller: Caller) -> dict[str, Any]:
    return row | {
        "session_id": caller.session_id,
        "request_id": caller.request_id,
        "slack_team_id": caller.slack_team_id,
        "slack_channel_id": caller.slack_channel_id,
        "slack_username": caller.slack_username,
    }


def _ms(start: datetime, end: datetime) -> int:
    return max(0, round((end - start).total_seconds() * 1000))
