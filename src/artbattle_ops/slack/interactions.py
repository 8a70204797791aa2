"""Clicks and reactions: Confirm and Cancel on a pending write, 👍/👎 buttons and reactions.

Every click is acknowledged at once and settled in a background task. A click carries all it
needs in its button value (see `confirmation`), so whichever replica receives it can act.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from artbattle_ops.assistant.contract import Decision, PendingConfirmation, Rating
from artbattle_ops.slack import metrics
from artbattle_ops.slack.blocks import (
    CANCEL_ACTION,
    CONFIRM_ACTION,
    FEEDBACK_NEGATIVE,
    FEEDBACK_POSITIVE,
    Block,
    decided_blocks,
)
from artbattle_ops.slack.confirmation import decode_confirmation, is_expired

if TYPE_CHECKING:
    from artbattle_ops.slack.handlers import SlackDeps

logger = logging.getLogger(__name__)

EXPIRED_TEXT: Final = "This request expired before it was confirmed; nothing was changed."
FEEDBACK_THANKS: Final = "Thanks, your feedback was recorded."
FEEDBACK_UNKNOWN: Final = "That reply can no longer take feedback."
REACTION_RATINGS: Final[dict[str, Rating]] = {
    "+1": "positive",
    "thumbsup": "positive",
    "-1": "negative",
    "thumbsdown": "negative",
}
Spawn = Callable[[Coroutine[Any, Any, None]], None]


class Interactions:
    """The click and reaction side of the Slack front end."""

    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps
        self._spawn: Spawn | None = None

    def register(self, app: AsyncApp, spawn: Spawn) -> None:
        """Attach the button listeners; `spawn` runs the work after the acknowledgement."""
        self._spawn = spawn
        app.action(CONFIRM_ACTION)(self.on_confirm)
        app.action(CANCEL_ACTION)(self.on_cancel)
        app.action(FEEDBACK_POSITIVE)(self.on_feedback)
        app.action(FEEDBACK_NEGATIVE)(self.on_feedback)

    async def on_confirm(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Confirm clicked."""
        await ack()
        self._start(self.settle(body, action, confirm=True), "confirm")

    async def on_cancel(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Cancel clicked."""
        await ack()
        self._start(self.settle(body, action, confirm=False), "cancel")

    async def on_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """👍 or 👎 clicked under an answer."""
        await ack()
        self._start(self.record_button(body, action), "feedback_button")

    async def settle(self, body: dict[str, Any], action: dict[str, Any], *, confirm: bool) -> None:
        """Confirm, cancel or expire the pending write, then update or privately refuse."""
        try:
            confirmation = decode_confirmation(str(action.get("value") or ""))
        except (ValueError, KeyError):
            logger.warning(
                "slack_confirmation_unreadable", extra={"action": action.get("action_id")}
            )
            return
        clicker = str((body.get("user") or {}).get("id") or "")

        decision, outcome = await self._decide(confirmation, clicker, body, confirm=confirm)

        if not decision.final:
            await self._notify(body, decision.text)
            return
        blocks = decided_blocks(confirmation, outcome, clicker)
        await self._replace(body, outcome, blocks)

    async def record_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Store a feedback click and thank the user privately."""
        rating: Rating = "positive" if action.get("action_id") == FEEDBACK_POSITIVE else "negative"
        try:
            session_id = str(json.loads(str(action.get("value")))["s"])
        except (ValueError, KeyError, TypeError):
            return
        recorded = await self.deps.assistant.record_feedback(
            slack_user_id=str((body.get("user") or {}).get("id") or ""),
            rating=rating,
            source="button",
            session_id=session_id,
            slack_channel_id=_channel(body),
            reply_ts=_message_ts(body),
        )
        await self._notify(body, FEEDBACK_THANKS if recorded else FEEDBACK_UNKNOWN)

    async def record_reaction(self, event: dict[str, Any]) -> None:
        """A thumbs reaction added to (or removed from) one of the bot's replies."""
        name = str(event.get("reaction") or "").split("::")[0]
        rating = REACTION_RATINGS.get(name)
        item = event.get("item") or {}
        if rating is None or item.get("type") != "message":
            return
        await self.deps.assistant.record_feedback(
            slack_user_id=str(event.get("user") or ""),
            rating=rating,
            source="reaction",
            slack_channel_id=item.get("channel"),
            reply_ts=item.get("ts"),
            reaction=name,
            removed=event.get("type") == "reaction_removed",
        )

    async def _decide(
        self,
        confirmation: PendingConfirmation,
        clicker: str,
        body: dict[str, Any],
        *,
        confirm: bool,
    ) -> tuple[Decision, str]:
        assistant = self.deps.assistant
        now = datetime.fromtimestamp(self.deps.clock(), UTC)
        if is_expired(confirmation, now):
            decision = await assistant.cancel(confirmation, clicker)
            return decision, EXPIRED_TEXT
        if confirm:
            team_id = (body.get("team") or {}).get("id")
            decision = await assistant.confirm(confirmation, clicker, team_id=team_id)
        else:
            decision = await assistant.cancel(confirmation, clicker)
        return decision, decision.text

    async def _notify(self, body: dict[str, Any], text: str) -> None:
        """A private notice to the clicker, next to the message clicked."""
        user = str((body.get("user") or {}).get("id") or "")
        if _is_ephemeral(body):
            await _respond(str(body.get("response_url")), text=text, replace_original=False)
            return
        thread_ts = (body.get("message") or {}).get("thread_ts")
        try:
            await self.deps.client.chat_postEphemeral(
                channel=_channel(body) or "", user=user, text=text, thread_ts=thread_ts
            )
        except SlackApiError as exc:
            _failed("chat.postEphemeral", exc)
            return
        metrics.POSTS.labels(method="chat.postEphemeral", outcome="ok").inc()

    async def _replace(self, body: dict[str, Any], text: str, blocks: list[Block]) -> None:
        """Replace the clicked message (its buttons go with it)."""
        if _is_ephemeral(body):
            await _respond(
                str(body.get("response_url")), text=text, blocks=blocks, replace_original=True
            )
            return
        try:
            await self.deps.client.chat_update(
                channel=_channel(body) or "", ts=_message_ts(body) or "", text=text, blocks=blocks
            )
        except SlackApiError as exc:
            _failed("chat.update", exc)
            return
        metrics.POSTS.labels(method="chat.update", outcome="ok").inc()

    def _start(self, work: Coroutine[Any, Any, None], kind: str) -> None:
        metrics.EVENTS.labels(kind=kind).inc()
        if self._spawn is None:
            work.close()
            raise RuntimeError("Interactions.register was not called")
        self._spawn(work)


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral")) and bool(
        body.get("response_url")
    )


def _channel(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return channel if isinstance(channel, str) else None


def _message_ts(body: dict[str, Any]) -> str | None:
    ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    return ts if isinstance(ts, str) else None


async def _respond(url: str, **payload: Any) -> None:
    response = await AsyncWebhookClient(url).send(response_type="ephemeral", **payload)
    outcome = "ok" if response.status_code == 200 else "error"
    metrics.POSTS.labels(method="response_url", outcome=outcome).inc()


def _failed(method: str, exc: SlackApiError) -> None:
    metrics.POSTS.labels(method=method, outcome="error").inc()
    logger.warning(
        "slack_call_failed", extra={"method": method, "error": exc.response.get("error")}
    )
