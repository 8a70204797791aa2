"""The write protocol of tools.md §1.9: preview, confirmation, the ledger, apply exactly once.

A write is never executed on its first call. The first call pre-reads and previews; the gateway
stores the pending action and answers `confirmation_required`. The confirmed call (the same tool
and arguments, with `artbattle/confirmation_id`) consumes that record atomically, claims the
idempotency key in the write ledger, re-reads the state, and only then applies.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

from artbattle_ops.db import state_sql
from artbattle_ops.gateway import envelope
from artbattle_ops.gateway.transaction import ConnectionTransaction
from artbattle_ops.observability.preview import arguments_preview
from artbattle_ops.policy.redaction import redact
from artbattle_ops.tools.errors import ConflictError, ToolError
from artbattle_ops.tools.registry import WRITE_HANDLERS, Caller, ToolCall, Unchanged, WritePreview
from artbattle_ops.tools.timefmt import time_object

if TYPE_CHECKING:
    from artbattle_ops.gateway.dispatch import Dispatcher, Outcome, Refusal

CONFIRM_ARGS = "esbmcp.confirm.args.v1"
CONFIRM_STATE = "esbmcp.confirm.state.v1"
WRITE_TIMEOUT_MS = 10_000
CHANGED_SINCE = "The record changed since you confirmed; ask again to see the new preview."
IN_PROGRESS = "An identical request is in progress; wait for it to finish before retrying."
REFUSED_MESSAGES = {
    "confirmation_invalid": "This confirmation is unknown, already used or not yours; "
    "ask again to get a new preview.",
    "confirmation_expired": "This confirmation has expired; ask again to get a new preview.",
    "confirmation_mismatch": "This confirmation was given for a different tool or arguments; "
    "ask again to get a new preview.",
}


class WriteFlow:
    """One write call, on behalf of the dispatcher."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.services = dispatcher.services

    async def run(
        self, refusal: Refusal, caller: Caller, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        """Preview and ask for confirmation, or execute a confirmed action."""
        if refusal.context.confirmation_id is None:
            return await self._preview(refusal, caller, arguments)
        return await self._confirmed(refusal, caller, arguments, refusal.context.confirmation_id)

    # -- first call: preview ---------------------------------------------------------------

    async def _preview(
        self, refusal: Refusal, caller: Caller, arguments: dict[str, Any]
    ) -> dict[str, Any]:
        spec = refusal.spec
        execution_id = str(uuid.uuid4())
        started = self.services.now()
        call = self.dispatcher.tool_call(spec, caller, arguments, started)
        try:
            preview = await self._pre_read(call)
        except Exception as exc:
            outcome = self.dispatcher.failed(spec, call, exc, execution_id, started)
            self.dispatcher.record(refusal, caller, outcome)
            return outcome.envelope
        if isinstance(preview, Unchanged):
            data = {"changed": False, **preview.data}
            outcome = self.dispatcher.succeeded(spec, call, data, execution_id, started)
            self.dispatcher.record(refusal, caller, outcome)
            return outcome.envelope
        return await self._ask(refusal, caller, arguments, preview)

    async def _pre_read(self, call: ToolCall) -> WritePreview | Unchanged:
        handler = WRITE_HANDLERS[call.spec.name]
        async with self.services.database.transaction(
            timeout_ms=WRITE_TIMEOUT_MS, read_only=True
        ) as conn:
            call.db = ConnectionTransaction(conn)
            return await handler.preview(call)

    async def _ask(
        self, refusal: Refusal, caller: Caller, arguments: dict[str, Any], preview: WritePreview
    ) -> dict[str, Any]:
        spec = refusal.spec
        args_hash = self.dispatcher.hash_arguments(spec.name, arguments, CONFIRM_ARGS)
        state_hash = self.dispatcher.hash_arguments(spec.name, preview.before, CONFIRM_STATE)
        body = {
            "tool": spec.name,
            **asdict(preview),
            "idempotency_key": preview.idempotency_key or None,
            "arguments_hash": args_hash,
            "state_hash": state_hash,
        }
        settings = self.services.settings
        stored = redact(body, _preview_pii(spec.pii_fields), caller.role, "logs", frozenset())
        shown = redact(
            body, _preview_pii(spec.pii_fields), caller.role, "model", settings.exempt_roles
        )
        pending = await self.services.confirmations.create(
            tool_name=spec.name,
            requested_by=caller.slack_user_id,
            request_id=caller.request_id,
            session_id=caller.session_id,
            arguments=arguments,
            arguments_hash=args_hash,
            state_hash=state_hash,
            idempotency_key=preview.idempotency_key,
            preview=stored.data,
        )
        expires_at = time_object(pending.expires_at, settings.display_timezone) or {}
        self.dispatcher.audit_refusal(
            refusal,
            "confirmation_required",
            "confirmation_missing",
            risk_level=spec.risk,
            confirmation_id=str(pending.id),
            expires_at=expires_at["utc"],
        )
        message = f"Confirmation required: {preview.summary}"
        return envelope.failure(
            spec.name,
            {"code": "confirmation_required", "message": message},
            None,
            confirmation_id=str(pending.id),
            preview=shown.data,
            expires_at=expires_at,
        )

    # -- second call: confirmed ------------------------------------------------------------

    async def _confirmed(
        self, refusal: Refusal, caller: Caller, arguments: dict[str, Any], confirmation_id: str
    ) -> dict[str, Any]:
        spec = refusal.spec
        args_hash = self.dispatcher.hash_arguments(spec.name, arguments, CONFIRM_ARGS)
        result = await self.services.confirmations.consume(
            confirmation_id, caller.slack_user_id, spec.name, args_hash
        )
        if not result.ok:
            reason = result.reason or "confirmation_invalid"
            self.dispatcher.audit_refusal(
                refusal,
                "confirmation_required",
                reason,
                risk_level=spec.risk,
                confirmation_id=confirmation_id,
            )
            return envelope.failure(
                spec.name,
                {"code": "confirmation_required", "message": REFUSED_MESSAGES[reason]},
                None,
                confirmation_id=None,
                preview=None,
                expires_at=None,
            )
        now = self.services.now()
        self.dispatcher.audit_refusal(
            refusal,
            "confirmation_satisfied",
            None,
            confirmation_id=confirmation_id,
            approver_user_id=caller.slack_user_id,
            age_seconds=_age_seconds(result.created_at, now),
        )
        stored_arguments = result.arguments if result.arguments is not None else arguments
        key = result.idempotency_key or confirmation_key(spec.name, confirmation_id)
        outcome = await self._execute(
            refusal,
            caller,
            stored_arguments,
            result.state_hash or "",
            key,
            confirmation_id,
            args_hash,
        )
        self.dispatcher.record(refusal, caller, outcome, confirmed=True)
        return outcome.envelope

    async def _execute(
        self,
        refusal: Refusal,
        caller: Caller,
        arguments: dict[str, Any],
        state_hash: str,
        idempotency_key: str,
        confirmation_id: str,
        args_hash: str,
    ) -> Outcome:
        spec = refusal.spec
        execution_id = str(uuid.uuid4())
        started = self.services.now()
        call = self.dispatcher.tool_call(spec, caller, arguments, started)
        call.confirmation_id = confirmation_id
        call.idempotency_key = idempotency_key
        ledger = {
            "idempotency_key": idempotency_key,
            "tool_name": spec.name,
            "requested_by": caller.slack_user_id,
            "role": caller.role,
            "confirmation_id": confirmation_id,
            "request_id": caller.request_id,
            "session_id": caller.session_id,
            "execution_id": execution_id,
            "arguments_hash": args_hash,
            "arguments_preview": Jsonb(arguments_preview(arguments, self.services.scrubber)),
            "before_state": None,
        }
        claim = await self._claim(call, ledger)
        detail = {"idempotency_key": idempotency_key}
        if isinstance(claim, dict):
            data = dict(claim.get("result") or {}) | {"replayed": True}
            return self.dispatcher.succeeded(
                spec, call, data, execution_id, started, write_outcome="replayed", **detail
            )
        if isinstance(claim, ToolError):
            return self.dispatcher.failed(
                spec, call, claim, execution_id, started, write_outcome="failed", **detail
            )
        try:
            data = await self._apply(call, state_hash)
        except Exception as exc:
            status = "unknown" if _outcome_unknown(exc) else "failed"
            code = exc.code if isinstance(exc, ToolError) else "internal_error"
            await self._complete(ledger, status, None, None, code)
            return self.dispatcher.failed(
                spec, call, exc, execution_id, started, write_outcome="failed", **detail
            )
        data = {**data, "idempotency_key": idempotency_key, "replayed": False}
        masked = redact(data, spec.pii_fields, caller.role, "logs", frozenset()).data
        await self._complete(ledger, "succeeded", masked.get("after"), masked, None)
        return self.dispatcher.succeeded(
            spec, call, data, execution_id, started, write_outcome="succeeded", **detail
        )

    async def _claim(
        self, call: ToolCall, ledger: dict[str, Any]
    ) -> dict[str, Any] | ToolError | None:
        """Claim the idempotency key: None when this call owns it, the stored result of an
        earlier success to replay, or the error that forbids running now."""
        database = self.services.database
        if await database.execute_returning(state_sql.INSERT_WRITE_OPERATION, ledger) is not None:
            return None
        existing = await database.fetch_one(state_sql.READ_WRITE_OPERATION, ledger)
        if existing is None:
            return ConflictError(IN_PROGRESS)
        if existing["status"] == "succeeded":
            return existing
        if existing["status"] == "started" and not existing["is_stale"]:
            return ConflictError(IN_PROGRESS)
        if existing["status"] == "unknown":
            found = await self._reconcile(call, existing)
            if isinstance(found, ToolError):
                return found
            if found is not None:
                params = ledger | {
                    "execution_id": existing["execution_id"],
                    "after_state": Jsonb(found.get("after")),
                    "result": Jsonb(found),
                }
                await database.execute_returning(state_sql.SETTLE_UNKNOWN_WRITE_OPERATION, params)
                return {"result": found}
        params = ledger | {"after_reconciliation": existing["status"] == "unknown"}
        taken = await database.execute_returning(state_sql.TAKE_OVER_WRITE_OPERATION, params)
        return None if taken is not None else ConflictError(IN_PROGRESS)

    async def _reconcile(
        self, call: ToolCall, existing: dict[str, Any]
    ) -> dict[str, Any] | ToolError | None:
        """Look for the effect of an attempt whose outcome was unknown: its masked result when
        it happened, None when it did not, or a refusal when the tool cannot tell."""
        handler = WRITE_HANDLERS[call.spec.name]
        reconcile = getattr(handler, "reconcile", None)
        if reconcile is None:
            message = (
                f"An earlier {call.spec.name} with the same key has an unknown outcome and "
                "cannot be checked automatically; verify it before trying again."
            )
            return ConflictError(message)
        async with self.services.database.transaction(
            timeout_ms=WRITE_TIMEOUT_MS, read_only=True
        ) as conn:
            call.db = ConnectionTransaction(conn)
            found: dict[str, Any] | None = await reconcile(call, existing["started_at"])
        if found is None:
            return None
        data = {**found, "idempotency_key": call.idempotency_key, "replayed": False}
        masked: dict[str, Any] = redact(
            data, call.spec.pii_fields, call.caller.role, "logs", frozenset()
        ).data
        return masked

    async def _apply(self, call: ToolCall, state_hash: str) -> dict[str, Any]:
        handler = WRITE_HANDLERS[call.spec.name]
        async with self.services.database.transaction(timeout_ms=WRITE_TIMEOUT_MS) as conn:
            await conn.execute("SET LOCAL lock_timeout = '3s'")
            call.db = ConnectionTransaction(conn)
            preview = await handler.preview(call)
            if isinstance(preview, Unchanged):
                raise ConflictError(CHANGED_SINCE)
            current = self.dispatcher.hash_arguments(call.spec.name, preview.before, CONFIRM_STATE)
            if current != state_hash:
                raise ConflictError(CHANGED_SINCE)
            return await handler.apply(call, preview)

    async def _complete(
        self,
        ledger: dict[str, Any],
        status: str,
        after: Any,
        result: dict[str, Any] | None,
        error_code: str | None,
    ) -> None:
        params = ledger | {
            "status": status,
            "after_state": Jsonb(after) if after is not None else None,
            "result": Jsonb(result) if result is not None else None,
            "error_code": error_code,
        }
        await self.services.database.execute_returning(state_sql.COMPLETE_WRITE_OPERATION, params)


def confirmation_key(tool: str, confirmation_id: str) -> str:
    """The ledger key of a write whose key depends on its confirmation (refresh_vote_weights)."""
    return hashlib.sha256(f"{tool}|{confirmation_id}".encode()).hexdigest()


def _preview_pii(pii_fields: dict[str, str] | Any) -> dict[str, str]:
    """The tool's personal fields as they appear in a preview's before, after and target."""
    mapped: dict[str, str] = {}
    for path, category in dict(pii_fields).items():
        leaf = path.rsplit(".", 1)[-1]
        for part in ("before", "after", "target"):
            mapped[f"{part}.{leaf}"] = category
    return mapped


def _outcome_unknown(exc: BaseException) -> bool:
    details = getattr(exc, "details", None) or []
    return any(isinstance(d, dict) and d.get("outcome") == "unknown" for d in details) or (
        isinstance(exc, ToolError) and exc.code == "timeout"
    )


def _age_seconds(created_at: datetime | None, now: datetime) -> int:
    if created_at is None:
        return 0
    return max(0, round((now - created_at).total_seconds()))
