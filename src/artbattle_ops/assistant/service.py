"""The assistant core (DESIGN.md §3 steps 2–10): `AssistantService` implements the `Assistant`
protocol the front ends call, and `open_assistant` builds it with everything it uses.

A request runs the Slack-side checks in order (prompt, allow-lists, rate limits, role), lists the
caller's tools at the gateway, runs the model loop, and returns a redacted `Reply`. The session
row is written when the front end calls `complete` after posting; rows go through the
non-blocking observability writer, so the database is never on the reply path.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal

from artbattle_ops import __version__
from artbattle_ops.assistant import messages, metrics
from artbattle_ops.assistant.audit import Actor, SlackAuditor
from artbattle_ops.assistant.contract import (
    Decision,
    Inbound,
    PendingConfirmation,
    Rating,
    Reply,
)
from artbattle_ops.assistant.conversation import ContextBounds, bounded_context, build_messages
from artbattle_ops.assistant.feedback import FeedbackInput, FeedbackStore
from artbattle_ops.assistant.gateway import GatewayAccess, GatewayCallError, open_link
from artbattle_ops.assistant.policy import (
    Refusal,
    check_identity,
    check_prompt,
    check_rate_limits,
)
from artbattle_ops.assistant.prices import estimate_cost
from artbattle_ops.assistant.requests import RequestRun
from artbattle_ops.assistant.sessions import (
    SessionRecord,
    new_error_id,
    new_request_id,
    session_row,
    stored_prompt,
    tools_called,
)
from artbattle_ops.assistant.writes import WriteOutcome, is_expired, wait_ms, write_outcome
from artbattle_ops.config.settings import AssistantSettings
from artbattle_ops.db.client import create_db_client
from artbattle_ops.db.pool import Database, open_database
from artbattle_ops.errors import DatabaseError, OpsError
from artbattle_ops.gateway.client import CallerMeta
from artbattle_ops.observability.scrubber import Scrubber
from artbattle_ops.observability.sinks import PostgresSink
from artbattle_ops.observability.writer import ObservabilityWriter
from artbattle_ops.policy.limits import CounterStore, StateUnavailableError, build_counter_store
from artbattle_ops.policy.redaction import mask_text
from artbattle_ops.policy.roles import RoleResolver
from artbattle_ops.router.model import Responder
from artbattle_ops.router.offline.responder import FallbackResponder, OfflineResponder
from artbattle_ops.router.offline.router import OfflineRouter
from artbattle_ops.router.offline.vocabulary import Vocabulary, read_vocabulary
from artbattle_ops.router.openai_model import OpenAIResponder
from artbattle_ops.tools.manifest import load_manifest

logger = logging.getLogger(__name__)

SESSIONS_TABLE: Final = "esbmcp_chat_sessions"
WRITER_POOL_SIZE: Final = 2
# Replies whose front end never called `complete` are written without a reply ts past this many.
OPEN_SESSIONS_MAX: Final = 5_000


@dataclass
class AssistantDeps:
    """Everything the service uses; built by `open_assistant`, or by tests."""

    settings: AssistantSettings
    database: Database
    counters: CounterStore
    roles: RoleResolver
    writer: ObservabilityWriter
    scrubber: Scrubber
    responder: Responder | None
    gateway: GatewayAccess
    per_tool_caps: Mapping[str, int] = field(default_factory=dict)
    clock: Callable[[], float] = time.time
    version: str = __version__


class AssistantService:
    """The pipeline every front end calls (`artbattle_ops.assistant.contract.Assistant`)."""

    def __init__(self, deps: AssistantDeps) -> None:
        self.deps = deps
        self.settings = deps.settings
        self.auditor = SlackAuditor(
            deps.writer, deps.scrubber, deps.version, strict=deps.settings.is_development
        )
        self.feedback = FeedbackStore(deps.database, deps.scrubber, deps.writer.flush)
        self._open: OrderedDict[str, SessionRecord] = OrderedDict()

    @property
    def can_answer(self) -> bool:
        """A responder (model endpoint, or an offline router) is plugged in."""
        return self.deps.responder is not None

    @property
    def gateway_url(self) -> str:
        """Where the gateway's MCP endpoint is."""
        return self.deps.gateway.url

    async def handle(self, inbound: Inbound) -> Reply:
        """Answer one request; never raises (internal failures become a Reply with error_id)."""
        record = SessionRecord(inbound)
        try:
            reply = await self._handle(record)
        except Exception as exc:  # the one boundary that absorbs a request's failure
            logger.exception("request_failed", extra={"request_id": record.request_id})
            reply = self.fail(record, exc, "internal", messages.INTERNAL_ERROR)
        self._remember(record)
        metrics.REQUESTS.labels("confirmation" if reply.confirmation else reply.status).inc()
        return reply

    async def _handle(self, record: SessionRecord) -> Reply:
        inbound = record.inbound
        refusal = check_prompt(inbound.text, self.settings.prompt_max_chars)
        refusal = refusal or check_identity(inbound, self.settings)
        refusal = refusal or await check_rate_limits(
            self.deps.counters, inbound, self.settings, self.deps.clock()
        )
        if refusal is not None:
            return self.refuse(record, refusal)

        decision = await self.deps.roles.resolve(inbound.slack_user_id, inbound.slack_channel_id)
        record.role, record.role_source = decision.role, decision.source
        if decision.role is None:
            detail = {"role_source": decision.source, "directory_status": decision.directory_status}
            refusal = Refusal("role_denied", "no_role", "denied", messages.NO_ROLE, detail)
            return self.refuse(record, refusal)
        return await RequestRun(self, record).run()

    def refuse(self, record: SessionRecord, refusal: Refusal) -> Reply:
        """End the request at a Slack-side check: one deny event, the fixed text."""
        record.status, record.error_message = refusal.status, refusal.reason
        detail = dict(refusal.detail)
        self.auditor.emit(
            refusal.event_type, self.actor(record), reason=refusal.reason, detail=detail
        )
        return self.reply(
            record,
            refusal.text,
            status=refusal.status,
            retry_after_seconds=refusal.retry_after_seconds,
        )

    def fail(self, record: SessionRecord, exc: BaseException, stage: str, text: str) -> Reply:
        """End the session with status error: `session_error` audit, a reference in the reply."""
        error_id = record.fail(exc, self.deps.scrubber)
        detail = {"error_id": error_id, "error_class": type(exc).__name__, "stage": stage}
        self.auditor.emit("session_error", self.actor(record), detail=detail)
        return self.reply(record, text.format(error_id=error_id), status="error")

    def reply(
        self,
        record: SessionRecord,
        text: str,
        *,
        status: Literal["completed", "error", "denied", "rate_limited"] = "completed",
        **extra: Any,
    ) -> Reply:
        """The redacted reply of `record`, remembered as its response."""
        shown, rules = self.redact(text, record.role)
        record.response, record.redaction_rules = shown, rules
        record.estimated_cost = estimate_cost(
            self.settings.model_prices, record.turns, self.settings.openai_model
        )
        model = next((t.model for t in reversed(record.turns) if t.model), None)
        offline = any(t.offline for t in record.turns)
        return Reply(
            shown,
            str(record.id),
            status=status,
            tools_used=[c.tool_name for c in record.calls],
            error_id=record.error_id,
            model=model,
            offline=offline,
            **extra,
        )

    def redact(self, text: str, role: str | None) -> tuple[str, list[str]]:
        """The reply safety net: exempt roles see the text as is."""
        if role is not None and role in self.settings.exempt_roles:
            return text, []
        return mask_text(text)

    def actor(self, record: SessionRecord) -> Actor:
        """The audit actor of `record`'s request."""
        return Actor.of(record.inbound, record.id, record.request_id, record.role)

    def caller(self, record: SessionRecord, confirmation_id: str | None = None) -> CallerMeta:
        """The MCP caller context of `record`'s request."""
        inbound = record.inbound
        return CallerMeta(
            slack_user_id=inbound.slack_user_id,
            slack_channel_id=inbound.slack_channel_id,
            slack_team_id=inbound.slack_team_id,
            slack_username=inbound.slack_username,
            session_id=str(record.id),
            request_id=record.request_id,
            interaction_type=inbound.interaction_type,
            confirmation_id=confirmation_id,
        )

    @property
    def context_bounds(self) -> ContextBounds:
        """The configured context bounds."""
        s = self.settings
        return ContextBounds(s.context_max_messages, s.context_max_age_sec, s.context_max_chars)

    def conversation(self, record: SessionRecord, system: str) -> list[dict[str, Any]]:
        """The messages of the first model call."""
        context = bounded_context(record.inbound.context, self.context_bounds, self.deps.clock())
        return build_messages(system, context, record.inbound.text.strip())

    # -- confirmations ---------------------------------------------------------------------

    async def confirm(
        self, confirmation: PendingConfirmation, clicked_by: str, *, team_id: str | None = None
    ) -> Decision:
        """Execute a pending write when the requester clicks Confirm (the model is not resumed)."""
        now = datetime.now(UTC)
        refused = self._refuse_click(confirmation, clicked_by, now)
        if refused is not None:
            return refused
        if not await self._is_first_decision(confirmation):
            return Decision(messages.ALREADY_DECIDED, confirmation.session_id, False, False)
        actor = self._click_actor(confirmation, team_id)
        detail = {
            "confirmation_id": confirmation.confirmation_id,
            "approver_user_id": clicked_by,
            "mode": "buttons",
            "wait_ms": wait_ms(confirmation, now) or 0,
        }
        self.auditor.emit("confirmation_granted", actor, tool_name=confirmation.tool, detail=detail)
        metrics.CONFIRMATIONS.labels("granted").inc()
        outcome = await self._execute_confirmed(confirmation, actor)
        role = (await self.deps.roles.resolve(clicked_by, None)).role
        shown, _ = self.redact(outcome.text, role)
        return Decision(shown, confirmation.session_id, accepted=outcome.done, final=True)

    async def cancel(self, confirmation: PendingConfirmation, clicked_by: str) -> Decision:
        """Drop a pending write (Cancel, or expiry noticed by the front end)."""
        now = datetime.now(UTC)
        refused = self._refuse_click(confirmation, clicked_by, now)
        if refused is not None:
            return refused
        if not await self._is_first_decision(confirmation):
            return Decision(messages.ALREADY_DECIDED, confirmation.session_id, False, False)
        detail = {
            "confirmation_id": confirmation.confirmation_id,
            "wait_ms": wait_ms(confirmation, now),
        }
        actor = self._click_actor(confirmation, None)
        self.auditor.emit(
            "confirmation_rejected",
            actor,
            reason="cancelled_by_user",
            tool_name=confirmation.tool,
            detail=detail,
        )
        metrics.CONFIRMATIONS.labels("cancelled_by_user").inc()
        text = messages.CANCELLED.format(user=clicked_by)
        return Decision(text, confirmation.session_id, accepted=False, final=True)

    def _refuse_click(
        self, confirmation: PendingConfirmation, clicked_by: str, now: datetime
    ) -> Decision | None:
        """Someone else's click (the prompt stays open) or an expired prompt."""
        actor = self._click_actor(confirmation, None)
        base = {"confirmation_id": confirmation.confirmation_id}
        if clicked_by != confirmation.requested_by:
            self.auditor.emit(
                "confirmation_rejected",
                actor,
                reason="not_requester",
                tool_name=confirmation.tool,
                detail=base | {"clicked_by": clicked_by},
            )
            metrics.CONFIRMATIONS.labels("not_requester").inc()
            text = messages.NOT_REQUESTER.format(user=confirmation.requested_by)
            return Decision(text, confirmation.session_id, accepted=False, final=False)
        if is_expired(confirmation, now):
            self.auditor.emit(
                "confirmation_rejected",
                actor,
                reason="timed_out",
                tool_name=confirmation.tool,
                detail=base | {"wait_ms": wait_ms(confirmation, now)},
            )
            metrics.CONFIRMATIONS.labels("timed_out").inc()
            return Decision(messages.EXPIRED, confirmation.session_id, accepted=False, final=True)
        return None

    def _click_actor(self, confirmation: PendingConfirmation, team_id: str | None) -> Actor:
        """Audit rows of a click belong to the original session, under a new request id."""
        return Actor(
            confirmation.session_id,
            new_request_id(),
            confirmation.requested_by,
            slack_team_id=team_id,
        )

    async def _is_first_decision(self, confirmation: PendingConfirmation) -> bool:
        """Whether this is the first Confirm or Cancel of the prompt, on any replica.

        The first click decides: a Cancel followed by a Confirm (a double click, or a click
        on a stale copy of the prompt) must not run the write after "Nothing was changed".
        A store that cannot answer lets the click through: the gateway still runs a
        confirmation at most once.
        """
        key = f"confirmation:{confirmation.confirmation_id}"
        try:
            decision = await self.deps.counters.consume_call(key, confirmation.tool, 1)
        except StateUnavailableError:
            logger.warning("confirmation_decision_unchecked", extra={"tool": confirmation.tool})
            return True
        return decision.allowed

    async def _execute_confirmed(
        self, confirmation: PendingConfirmation, actor: Actor
    ) -> WriteOutcome:
        caller = CallerMeta(
            slack_user_id=confirmation.requested_by,
            slack_team_id=actor.slack_team_id,
            session_id=confirmation.session_id,
            request_id=actor.request_id,
            interaction_type="slash_command",
            confirmation_id=confirmation.confirmation_id,
        )
        try:
            envelope = await self._call_once(confirmation, caller)
        except GatewayCallError as exc:
            self.report_gateway_failure(exc, actor)
            error_id = new_error_id()
            return WriteOutcome(messages.GATEWAY_DOWN.format(error_id=error_id), done=False)
        return write_outcome(envelope, confirmation)

    async def _call_once(
        self, confirmation: PendingConfirmation, caller: CallerMeta
    ) -> dict[str, Any]:
        async with open_link(self.deps.gateway) as link:
            await link.list_tools(caller)
            return await link.call_tool(confirmation.tool, confirmation.arguments, caller)

    def report_gateway_failure(self, exc: GatewayCallError, actor: Actor) -> None:
        """Audit `gateway_call_failed` with its reason."""
        detail = {"duration_ms": exc.duration_ms, "http_status": exc.http_status}
        self.auditor.emit("gateway_call_failed", actor, reason=exc.reason, detail=detail)

    # -- feedback and completion -------------------------------------------------------------

    async def record_feedback(
        self,
        *,
        slack_user_id: str,
        rating: Rating,
        source: Literal["button", "reaction", "console"],
        session_id: str | None = None,
        slack_channel_id: str | None = None,
        reply_ts: str | None = None,
        reaction: str | None = None,
        removed: bool = False,
        comment: str | None = None,
    ) -> bool:
        """Store feedback on a reply that maps to a session; False when it maps to none."""
        item = FeedbackInput(
            slack_user_id,
            rating,
            source,
            session_id,
            slack_channel_id,
            reply_ts,
            reaction,
            removed,
            comment,
        )
        try:
            result = await self.feedback.record(item)
        except OpsError:
            logger.warning("feedback_not_recorded", extra={"reason": "database_error"})
            return False
        if result is None:
            return False
        detail = {
            "feedback_id": str(result.feedback_id),
            "rating": result.rating,
            "source": result.source,
            "action": result.action,
            "reaction": reaction if result.source == "reaction" else None,
        }
        actor = Actor(result.session_id, None, slack_user_id, slack_channel_id=slack_channel_id)
        self.auditor.emit("feedback_recorded", actor, detail=detail)
        return True

    async def complete(
        self,
        reply: Reply,
        *,
        reply_ts: str | None,
        slack_thread_ts: str | None,
        post_error: str | None = None,
    ) -> None:
        """Queue the session row (and `session_completed`); never raises, never blocks."""
        record = self._open.pop(reply.session_id, None)
        if record is None:
            return
        try:
            self._write_session(record, reply_ts, slack_thread_ts, post_error)
        except Exception:  # the writer path must never break a front end
            logger.exception("session_row_failed", extra={"request_id": record.request_id})
            metrics.SESSIONS.labels("dropped").inc()

    def _write_session(
        self,
        record: SessionRecord,
        reply_ts: str | None,
        thread_ts: str | None,
        post_error: str | None,
    ) -> None:
        if post_error is not None:
            self.fail(record, SlackPostError(post_error), "slack_post", messages.INTERNAL_ERROR)
            record.response, reply_ts = None, None
        total_ms = record.elapsed_ms
        settings, scrubber = self.settings, self.deps.scrubber
        row = session_row(
            record,
            reply_ts=reply_ts,
            thread_ts=thread_ts,
            total_duration_ms=total_ms,
            entries=tools_called(record.calls, settings.hash_key, settings.arguments_hash_key_id),
            prompt=stored_prompt(
                record.inbound.text, record.error_message == "prompt_too_long", scrubber
            ),
            response=scrubber.scrub(record.response) if record.response is not None else None,
            service_version=self.deps.version,
        )
        self.deps.writer.enqueue(SESSIONS_TABLE, row)
        metrics.SESSIONS.labels("queued").inc()
        if record.status == "completed":
            self._audit_completed(record, row)

    def _audit_completed(self, record: SessionRecord, row: dict[str, Any]) -> None:
        detail = {
            "status": "completed",
            "tool_call_count": row["tool_call_count"],
            "tools": [c.tool_name for c in record.calls],
            "total_duration_ms": row["total_duration_ms"],
            "api_rounds": row["api_rounds"],
            "total_tokens": row["total_tokens"],
            "redaction_rules_applied": row["redaction_rules_applied"],
        }
        self.auditor.emit("session_completed", self.actor(record), detail=detail)

    def _remember(self, record: SessionRecord) -> None:
        self._open[str(record.id)] = record
        while len(self._open) > OPEN_SESSIONS_MAX:
            _, stale = self._open.popitem(last=False)
            self._write_session(stale, None, None, None)


class SlackPostError(Exception):
    """The front end could not post the reply (its reason as the message)."""


@asynccontextmanager
async def open_assistant(
    settings: AssistantSettings, *, responder: Responder | None = None
) -> AsyncIterator[AssistantService]:
    """Build the assistant: database pools, writer, counters, roles, the model responder.

    `responder` replaces the OpenAI responder (the offline router, tests); without one and
    without a model endpoint configured the assistant cannot answer (readiness says so).

    Raises:
        OpsError: no database is configured or reachable (the assistant needs one for limits
            and sessions), or a setting is malformed.
    """
    async with AsyncExitStack() as stack:
        client = await create_db_client(settings, component="assistant")
        stack.push_async_callback(client.close)
        if client.database is None or client.target is None:
            raise OpsError(f"assistant database unavailable: {client.skipped_reason}")
        writer_db = await open_database(
            client.target.url, settings, max_size=WRITER_POOL_SIZE, name="assistant-writer"
        )
        stack.push_async_callback(writer_db.close)
        writer = ObservabilityWriter(
            PostgresSink(writer_db), capacity=settings.audit_queue_capacity
        )
        writer.start()
        stack.push_async_callback(writer.stop)

        counters = build_counter_store(settings, client.database)
        stack.push_async_callback(counters.aclose)
        roles = RoleResolver(settings)
        stack.push_async_callback(roles.aclose)
        responder = responder or await default_responder(settings, client.database)
        close = getattr(responder, "aclose", None)
        if close is not None:
            stack.push_async_callback(close)

        deps = AssistantDeps(
            settings=settings,
            database=client.database,
            counters=counters,
            roles=roles,
            writer=writer,
            scrubber=Scrubber([v for v in settings.secret_values().values() if v]),
            responder=responder,
            gateway=gateway_access(settings),
            per_tool_caps={n: s.max_calls_per_request for n, s in load_manifest().items()},
        )
        logger.info(
            "assistant_started",
            extra={"model": settings.openai_model, "model_configured": responder is not None},
        )
        yield AssistantService(deps)


def gateway_access(settings: AssistantSettings) -> GatewayAccess:
    """How the assistant reaches and signs for the gateway."""
    token = settings.mcp_gateway_auth_token
    secret = settings.mcp_request_signing_secret
    return GatewayAccess(
        url=settings.mcp_gateway_url,
        token=token.get_secret_value() if token else "",
        secret=secret.get_secret_value().encode() if secret else None,
        timeout_sec=settings.mcp_call_timeout_ms / 1000,
    )


async def default_responder(settings: AssistantSettings, database: Database) -> Responder | None:
    """The configured model, the offline router, or the model with the router behind it."""
    model = _model_responder(settings)
    if not settings.offline_router_enabled:
        return model
    offline = OfflineResponder(
        OfflineRouter.from_manifest(
            vocabulary=await _vocabulary(database), timezone=settings.display_timezone
        )
    )
    return offline if model is None else FallbackResponder(model, offline)


async def _vocabulary(database: Database) -> Vocabulary:
    """What the data holds, for the offline router; empty (names not recognised) on failure."""
    try:
        return await read_vocabulary(database)
    except DatabaseError as exc:
        logger.warning("offline_vocabulary_unavailable", extra={"error": exc.message})
        return Vocabulary()


def _model_responder(settings: AssistantSettings) -> Responder | None:
    if not settings.has_model_endpoint:
        return None
    key = settings.openai_api_key
    return OpenAIResponder(
        model=settings.openai_model,
        api_key=key.get_secret_value() if key else None,
        base_url=settings.openai_base_url,
        timeout_sec=settings.openai_timeout_ms / 1000,
        max_retries=settings.openai_max_retries,
        max_output_tokens=settings.openai_max_output_tokens,
    )
