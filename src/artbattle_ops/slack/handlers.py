"""Bolt listeners: each acknowledges at once and answers in a background task.

A listener turns a Slack payload into an `Inbound`, or a click into a confirm/cancel/feedback
call, and hands it to the assistant core; the reply is rendered by `replies.deliver`. The claim
middleware runs first, so a redelivered event (same event id) is answered once across
replicas. Mentions and messages are claimed by the message they carry (`<channel>:<ts>`), so
an `app_mention` and a `message.mpim` for the same group-DM message also answer once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from artbattle_ops.assistant.contract import Assistant, Inbound, InteractionType
from artbattle_ops.policy.roles import RoleResolver
from artbattle_ops.slack import metrics
from artbattle_ops.slack.audit import SlackAudit
from artbattle_ops.slack.claims import EventClaims
from artbattle_ops.slack.context import ContextLimits
from artbattle_ops.slack.conversation import Conversation
from artbattle_ops.slack.interactions import Interactions
from artbattle_ops.slack.mentions import mentions_user, strip_bot_mention
from artbattle_ops.tools.manifest import Manifest

logger = logging.getLogger(__name__)


@dataclass
class SlackDeps:
    """What the listeners use; built once per process by the app's lifespan."""

    assistant: Assistant
    client: AsyncWebClient
    claims: EventClaims
    audit: SlackAudit
    roles: RoleResolver
    manifest: Manifest
    limits: ContextLimits
    command: str
    clock: Callable[[], float]


class SlackHandlers:
    """Registers the listeners on a Bolt app and tracks the work they start."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps
        self.conversation = Conversation(deps)
        self.interactions = Interactions(deps)
        self._tasks: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        """Attach the claim middleware and every listener this service answers."""
        app.middleware(self.claim_event)
        app.event("app_mention")(self.on_app_mention)
        app.event("message")(self.on_message)
        app.command(self.deps.command)(self.on_command)
        app.event("assistant_thread_started")(self.on_thread_started)
        app.event("assistant_thread_context_changed")(self.on_ignored)
        app.event("app_home_opened")(self.on_home_opened)
        app.event("reaction_added")(self.on_reaction)
        app.event("reaction_removed")(self.on_reaction)
        self.interactions.register(app, self.spawn)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the acknowledgement; failures are logged, never raised."""
        task = asyncio.create_task(_logged(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_sec: float) -> None:
        """Wait (bounded) for answers in progress, e.g. at shutdown."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_sec)

    async def claim_event(
        self, body: dict[str, Any], request: AsyncBoltRequest, next: Callable[[], Awaitable[Any]]
    ) -> Any:
        """Let an event through only on its first delivery across replicas."""
        key = claim_key(body)
        if key is None or await self.deps.claims.claim(key):
            return await next()
        metrics.DUPLICATES.inc()
        event = body.get("event") or {}
        self.deps.audit.duplicate_ignored(
            str(body.get("event_id") or key),
            retry_num=_retry_num(request),
            retry_reason=_header(request, "x-slack-retry-reason"),
            slack_team_id=body.get("team_id"),
            slack_channel_id=_channel_of(event),
            slack_user_id=event.get("user") if isinstance(event.get("user"), str) else None,
        )
        return BoltResponse(status=200, body="")

    async def on_app_mention(self, event: dict[str, Any], context: Any, body: Any) -> None:
        """A mention in a channel: answered in its thread."""
        metrics.EVENTS.labels(kind="app_mention").inc()
        if event.get("bot_id") or not event.get("user"):
            return
        inbound = self._inbound(event, context, body, "app_mention")
        thread_ts = event.get("thread_ts") or event.get("ts")
        work = self.conversation.answer(
            inbound, event, thread_ts=thread_ts, bot_user_id=context.bot_user_id
        )
        self.spawn(work)

    async def on_message(self, event: dict[str, Any], context: Any, body: Any) -> None:
        """A direct message (inline), an assistant-pane message, or a group DM that mentions
        the bot; other subtypes, edits and bot messages are ignored."""
        kind = _message_kind(event, context.bot_user_id)
        if kind is None:
            return
        metrics.EVENTS.labels(kind=kind).inc()
        inbound = self._inbound(event, context, body, kind)
        work = self.conversation.answer(
            inbound, event, thread_ts=event.get("thread_ts"), bot_user_id=context.bot_user_id
        )
        self.spawn(work)

    async def on_command(self, ack: Any, command: dict[str, Any], context: Any) -> None:
        """The slash command: acknowledged empty at once, answered through its response URL."""
        await ack()
        metrics.EVENTS.labels(kind="slash_command").inc()
        inbound = Inbound(
            text=str(command.get("text") or "").strip(),
            slack_user_id=str(command.get("user_id") or ""),
            interaction_type="slash_command",
            slack_team_id=command.get("team_id"),
            slack_channel_id=command.get("channel_id"),
            slack_username=command.get("user_name"),
        )
        self.spawn(self.conversation.answer_command(inbound, str(command.get("response_url"))))

    async def on_thread_started(self, event: dict[str, Any], context: Any) -> None:
        """The assistant pane opened: greet with prompts for the user's role."""
        metrics.EVENTS.labels(kind="assistant_thread_started").inc()
        self.spawn(self.conversation.greet(event.get("assistant_thread") or {}))

    async def on_home_opened(self, event: dict[str, Any]) -> None:
        """The App Home tab opened: publish what the user's role can ask."""
        if event.get("tab") not in (None, "home"):
            return
        metrics.EVENTS.labels(kind="app_home_opened").inc()
        self.spawn(self.conversation.publish_home(str(event.get("user") or "")))

    async def on_reaction(self, event: dict[str, Any], context: Any) -> None:
        """👍/👎 on one of the bot's replies, recorded (or withdrawn) as feedback."""
        if event.get("item_user") != context.bot_user_id:
            return
        metrics.EVENTS.labels(kind=str(event.get("type"))).inc()
        self.spawn(self.interactions.record_reaction(event))

    async def on_ignored(self) -> None:
        """Events this service subscribes to without acting on them."""

    def _inbound(
        self, event: dict[str, Any], context: Any, body: Any, kind: InteractionType
    ) -> Inbound:
        return Inbound(
            text=strip_bot_mention(str(event.get("text") or ""), context.bot_user_id),
            slack_user_id=str(event.get("user")),
            interaction_type=kind,
            slack_team_id=body.get("team_id") or event.get("team"),
            slack_channel_id=event.get("channel"),
            slack_event_id=body.get("event_id"),
            slack_thread_ts=event.get("thread_ts") or event.get("ts"),
        )


def claim_key(body: dict[str, Any]) -> str | None:
    """The claim of an event delivery: the message it carries, else its event id; None for
    anything that is not an event (commands and clicks are not redelivered)."""
    if body.get("type") != "event_callback":
        return None
    event = body.get("event") or {}
    if event.get("type") in ("app_mention", "message") and event.get("ts") and event.get("channel"):
        return f"{event['channel']}:{event['ts']}"
    event_id = body.get("event_id")
    return str(event_id) if event_id else None


def _message_kind(event: dict[str, Any], bot_user_id: str | None) -> InteractionType | None:
    if event.get("subtype") or event.get("bot_id") or not event.get("user"):
        return None
    if event.get("user") == bot_user_id:
        return None
    channel_type = event.get("channel_type")
    if channel_type == "im":
        return "assistant" if event.get("thread_ts") else "direct_message"
    if channel_type == "mpim" and mentions_user(str(event.get("text") or ""), bot_user_id):
        return "group_dm"
    return None


def _channel_of(event: dict[str, Any]) -> str | None:
    channel = event.get("channel") or (event.get("item") or {}).get("channel")
    return channel if isinstance(channel, str) else None


def _header(request: AsyncBoltRequest, name: str) -> str | None:
    values = request.headers.get(name) or []
    return str(values[0]) if values else None


def _retry_num(request: AsyncBoltRequest) -> int | None:
    value = _header(request, "x-slack-retry-num")
    return int(value) if value and value.isdigit() else None


async def _logged(work: Coroutine[Any, Any, None]) -> None:
    try:
        await work
    except Exception:
        logger.exception("slack_event_failed")
