"""The conversation sent to the model: system prompt, bounded context, then the question.

Context (thread replies, recent DM messages) is cut to the newest `max_messages`, none older
than `max_age_sec` (by Slack `ts` when known) and at most `max_chars` characters in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from artbattle_ops.assistant.contract import ContextMessage
from artbattle_ops.router.model import Message


@dataclass(frozen=True)
class ContextBounds:
    """CONTEXT_MAX_MESSAGES, CONTEXT_MAX_AGE_SEC and CONTEXT_MAX_CHARS."""

    max_messages: int
    max_age_sec: int
    max_chars: int


def bounded_context(
    context: Sequence[ContextMessage], bounds: ContextBounds, now: float
) -> list[ContextMessage]:
    """The newest messages within the bounds, oldest first."""
    kept: list[ContextMessage] = []
    chars = 0
    for message in reversed(context):
        if len(kept) >= bounds.max_messages:
            break
        if _is_older(message, now - bounds.max_age_sec):
            break
        if chars + len(message.text) > bounds.max_chars:
            break
        kept.append(message)
        chars += len(message.text)
    return list(reversed(kept))


def build_messages(system: str, context: Sequence[ContextMessage], question: str) -> list[Message]:
    """Chat messages: the system prompt, the context in order, the user's question last."""
    history: list[Message] = [{"role": m.author, "content": m.text} for m in context]
    return [{"role": "system", "content": system}, *history, {"role": "user", "content": question}]


def _is_older(message: ContextMessage, cutoff: float) -> bool:
    try:
        return message.ts is not None and float(message.ts) < cutoff
    except ValueError:
        return False
