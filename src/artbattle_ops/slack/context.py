"""Conversation context for the model: thread replies or recent DM messages, within bounds.

Slack returns raw messages; `bound_context` keeps the newest ones that fit the count, age and
size limits (CONTEXT_MAX_MESSAGES, CONTEXT_MAX_AGE_SEC, CONTEXT_MAX_CHARS), oldest first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from artbattle_ops.assistant.contract import ContextMessage
from artbattle_ops.slack.mentions import strip_bot_mention

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContextLimits:
    """How much earlier conversation reaches the model."""

    max_messages: int
    max_age_sec: int
    max_chars: int


def bound_context(
    messages: Sequence[Mapping[str, Any]],
    *,
    bot_user_id: str | None,
    exclude_ts: str | None,
    now: float,
    limits: ContextLimits,
) -> tuple[ContextMessage, ...]:
    """The newest usable messages within `limits`, oldest first.

    Skipped: the request itself (`exclude_ts`), edits and other subtypes, empty texts and
    messages older than the age limit. Counting from the newest, messages are kept while the
    count and the total size allow; the first one that does not fit ends the context.
    """
    usable = [m for m in messages if _is_usable(m, exclude_ts, now - limits.max_age_sec)]
    usable.sort(key=lambda m: float(m["ts"]), reverse=True)
    kept: list[ContextMessage] = []
    size = 0
    for message in usable[: limits.max_messages]:
        item = _to_context(message, bot_user_id)
        if size + len(item.text) > limits.max_chars:
            break
        kept.append(item)
        size += len(item.text)
    return tuple(reversed(kept))


def _is_usable(message: Mapping[str, Any], exclude_ts: str | None, oldest: float) -> bool:
    ts = message.get("ts")
    if not isinstance(ts, str) or ts == exclude_ts or not message.get("text"):
        return False
    if message.get("subtype") not in (None, "bot_message", "thread_broadcast"):
        return False
    return float(ts) >= oldest


def _to_context(message: Mapping[str, Any], bot_user_id: str | None) -> ContextMessage:
    from_bot = message.get("bot_id") is not None or (
        bot_user_id is not None and message.get("user") == bot_user_id
    )
    text = strip_bot_mention(str(message["text"]), bot_user_id)
    return ContextMessage("assistant" if from_bot else "user", text, str(message["ts"]))


async def fetch_thread(
    client: AsyncWebClient, channel: str, thread_ts: str, limits: ContextLimits
) -> list[dict[str, Any]]:
    """Replies of a thread (its parent included); empty when Slack refuses."""
    if limits.max_messages == 0:
        return []
    return await _fetch(
        client.conversations_replies, channel=channel, ts=thread_ts, limit=limits.max_messages + 1
    )


async def fetch_history(
    client: AsyncWebClient, channel: str, now: float, limits: ContextLimits
) -> list[dict[str, Any]]:
    """Recent messages of a conversation within the age limit; empty when Slack refuses."""
    if limits.max_messages == 0:
        return []
    oldest = f"{now - limits.max_age_sec:.6f}"
    return await _fetch(
        client.conversations_history, channel=channel, oldest=oldest, limit=limits.max_messages + 1
    )


async def _fetch(method: Any, **kwargs: Any) -> list[dict[str, Any]]:
    try:
        response = await method(**kwargs)
    except SlackApiError as exc:
        logger.warning("slack_context_unavailable", extra={"error": exc.response.get("error")})
        return []
    messages = response.get("messages") or []
    return [m for m in messages if isinstance(m, dict)]
