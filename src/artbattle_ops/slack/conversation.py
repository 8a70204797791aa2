"""Answering a request: gather its context, call the assistant core, deliver the reply; and the
two views that need no model (the assistant pane's greeting, the App Home tab)."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any, Final

from slack_sdk.errors import SlackApiError

from artbattle_ops.assistant.contract import ContextMessage, Inbound
from artbattle_ops.slack import metrics
from artbattle_ops.slack.blocks import suggested_prompts
from artbattle_ops.slack.context import bound_context, fetch_history, fetch_thread
from artbattle_ops.slack.home import GREETING_TEXT, NO_ROLE_TEXT, example_questions, home_view
from artbattle_ops.slack.replies import Destination, deliver

if TYPE_CHECKING:
    from artbattle_ops.slack.handlers import SlackDeps

logger = logging.getLogger(__name__)

THINKING_STATUS: Final = "is thinking…"
TITLE_MAX_CHARS: Final = 60
USERNAME_CACHE_MAX: Final = 5000


class Conversation:
    """The request side of the Slack front end."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps
        self._usernames: dict[str, str | None] = {}

    async def answer(
        self,
        inbound: Inbound,
        event: dict[str, Any],
        *,
        thread_ts: str | None,
        bot_user_id: str | None,
    ) -> None:
        """Answer an event-borne request in its conversation (in `thread_ts` when set)."""
        channel = inbound.slack_channel_id or ""
        history = await self._context(inbound, event, bot_user_id)
        inbound = dataclasses.replace(
            inbound, context=history, slack_username=await self.username(inbound.slack_user_id)
        )
        if inbound.interaction_type == "assistant" and thread_ts:
            await self._show_thinking(channel, thread_ts, inbound.text, first=not history)

        reply = await self.deps.assistant.handle(inbound)

        await deliver(self.deps.client, self.deps.assistant, reply, Destination(channel, thread_ts))

    async def answer_command(self, inbound: Inbound, response_url: str) -> None:
        """Answer the slash command privately through its response URL."""
        reply = await self.deps.assistant.handle(inbound)
        where = Destination(inbound.slack_channel_id, response_url=response_url)
        await deliver(self.deps.client, self.deps.assistant, reply, where)

    async def greet(self, thread: dict[str, Any]) -> None:
        """Greet a new assistant-pane thread with suggested prompts for the user's role."""
        channel, thread_ts = thread.get("channel_id"), thread.get("thread_ts")
        if not channel or not thread_ts:
            return
        origin = (thread.get("context") or {}).get("channel_id")
        decision = await self.deps.roles.resolve(thread.get("user_id"), origin)
        examples = example_questions(decision.role, self.deps.manifest)
        text = GREETING_TEXT if decision.role else NO_ROLE_TEXT
        client = self.deps.client
        await _call(
            "chat.postMessage",
            client.chat_postMessage,
            channel=channel,
            thread_ts=thread_ts,
            text=text,
        )
        if examples:
            await _call(
                "assistant.threads.setSuggestedPrompts",
                client.assistant_threads_setSuggestedPrompts,
                channel_id=channel,
                thread_ts=thread_ts,
                title="Try asking",
                prompts=suggested_prompts(examples),
            )

    async def publish_home(self, user_id: str) -> None:
        """Publish the App Home tab for `user_id`."""
        if not user_id:
            return
        decision = await self.deps.roles.resolve(user_id, None)
        view = home_view(decision.role, self.deps.manifest, self.deps.command)
        await _call("views.publish", self.deps.client.views_publish, user_id=user_id, view=view)

    async def username(self, user_id: str) -> str | None:
        """The user's handle from `users.info`, remembered; None when Slack will not say."""
        if user_id in self._usernames:
            return self._usernames[user_id]
        try:
            response = await self.deps.client.users_info(user=user_id)
        except SlackApiError:
            return None
        user = response.get("user") or {}
        name = user.get("name") if isinstance(user, dict) else None
        if len(self._usernames) >= USERNAME_CACHE_MAX:
            self._usernames.clear()
        self._usernames[user_id] = name
        return name if isinstance(name, str) else None

    async def _context(
        self, inbound: Inbound, event: dict[str, Any], bot_user_id: str | None
    ) -> tuple[ContextMessage, ...]:
        channel = inbound.slack_channel_id or ""
        now = self.deps.clock()
        limits = self.deps.limits
        if event.get("thread_ts"):
            messages = await fetch_thread(self.deps.client, channel, event["thread_ts"], limits)
        elif inbound.interaction_type == "direct_message":
            messages = await fetch_history(self.deps.client, channel, now, limits)
        else:
            return ()
        return bound_context(
            messages, bot_user_id=bot_user_id, exclude_ts=event.get("ts"), now=now, limits=limits
        )

    async def _show_thinking(self, channel: str, thread_ts: str, text: str, *, first: bool) -> None:
        client = self.deps.client
        await _call(
            "assistant.threads.setStatus",
            client.assistant_threads_setStatus,
            channel_id=channel,
            thread_ts=thread_ts,
            status=THINKING_STATUS,
        )
        if first and text:
            await _call(
                "assistant.threads.setTitle",
                client.assistant_threads_setTitle,
                channel_id=channel,
                thread_ts=thread_ts,
                title=text[:TITLE_MAX_CHARS],
            )


async def _call(method: str, function: Any, **kwargs: Any) -> bool:
    """One best-effort Web API call: a refusal is counted and logged, never raised."""
    try:
        await function(**kwargs)
    except SlackApiError as exc:
        metrics.POSTS.labels(method=method, outcome="error").inc()
        logger.warning(
            "slack_call_failed", extra={"method": method, "error": exc.response.get("error")}
        )
        return False
    metrics.POSTS.labels(method=method, outcome="ok").inc()
    return True
