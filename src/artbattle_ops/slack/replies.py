"""Showing a `Reply` in Slack: formatted, split in order, with feedback or confirmation buttons,
then handing the posted message's ts to `Assistant.complete` for the session row."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from artbattle_ops.assistant.contract import Assistant, Reply
from artbattle_ops.slack import metrics
from artbattle_ops.slack.blocks import answer_blocks, confirmation_blocks
from artbattle_ops.slack.confirmation import ConfirmationTooLargeError, encode_confirmation
from artbattle_ops.slack.formatting import split_message, to_mrkdwn

logger = logging.getLogger(__name__)

TOO_LARGE_TEXT = (
    "This change is too large to confirm from Slack, so it was not started. "
    "Ask for a smaller change."
)


@dataclass(frozen=True)
class Destination:
    """Where a reply goes: a conversation (and thread), or a slash command's response URL.

    With `response_url` the reply is ephemeral (only the asker sees it), and has no ts.
    """

    channel: str | None
    thread_ts: str | None = None
    response_url: str | None = None


Post = Callable[[str, list[dict[str, Any]]], Awaitable[str | None]]


async def deliver(
    client: AsyncWebClient, assistant: Assistant, reply: Reply, where: Destination
) -> None:
    """Post `reply` at `where`, then complete the session; never raises."""
    post = _poster(client, where)
    last_ts: str | None = None
    error: str | None = None
    try:
        last_ts = await _post_reply(post, assistant, reply)
    except (SlackApiError, OSError) as exc:
        error = _error_name(exc)
        logger.error("slack_post_failed", extra={"error": error, "session_id": reply.session_id})
    await assistant.complete(
        reply, reply_ts=last_ts, slack_thread_ts=where.thread_ts, post_error=error
    )


async def _post_reply(post: Post, assistant: Assistant, reply: Reply) -> str | None:
    chunks = split_message(to_mrkdwn(reply.text))
    confirmation = reply.confirmation
    feedback = reply.status == "completed" and confirmation is None
    last_ts: str | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        blocks = answer_blocks(chunk, reply.session_id, with_feedback=feedback and last)
        last_ts = await post(chunk, blocks) or last_ts
    if confirmation is None:
        return last_ts
    try:
        value = encode_confirmation(confirmation)
    except ConfirmationTooLargeError:
        await assistant.cancel(confirmation, confirmation.requested_by)
        return await post(TOO_LARGE_TEXT, answer_blocks(TOO_LARGE_TEXT, None, with_feedback=False))
    fallback = f"Confirm this change: {confirmation.summary}"
    return await post(fallback, confirmation_blocks(confirmation, value)) or last_ts


def _poster(client: AsyncWebClient, where: Destination) -> Post:
    if where.response_url is not None:
        webhook = AsyncWebhookClient(where.response_url)

        async def respond(text: str, blocks: list[dict[str, Any]]) -> str | None:
            response = await webhook.send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )
            outcome = "ok" if response.status_code == 200 else "error"
            metrics.POSTS.labels(method="response_url", outcome=outcome).inc()
            if outcome == "error":
                raise OSError(f"response_url answered {response.status_code}")
            return None

        return respond

    async def post_message(text: str, blocks: list[dict[str, Any]]) -> str | None:
        try:
            response = await client.chat_postMessage(
                channel=where.channel or "", thread_ts=where.thread_ts, text=text, blocks=blocks
            )
        except SlackApiError:
            metrics.POSTS.labels(method="chat.postMessage", outcome="error").inc()
            raise
        metrics.POSTS.labels(method="chat.postMessage", outcome="ok").inc()
        ts = response.get("ts")
        return ts if isinstance(ts, str) else None

    return post_message


def _error_name(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "slack_api_error")
    return type(exc).__name__
