"""The Slack-side checks of DESIGN.md §3 steps 3–4, in order: prompt, allow-lists, rate limits.

Each check returns None to let the request through, or a `Refusal` naming the audit event, its
reason and detail, the session status and the exact text the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from artbattle_ops.assistant import messages
from artbattle_ops.assistant.contract import Inbound
from artbattle_ops.config.settings import AssistantSettings
from artbattle_ops.policy.limits import CounterStore

# `esbmcp_rate_limits.scope` values (observability.md §8).
USER_SCOPE = "user"
CHANNEL_SCOPE = "channel"


@dataclass(frozen=True)
class Refusal:
    """A request stopped by a Slack-side check (observability.md §2.4.3 status mapping)."""

    event_type: str
    reason: str
    status: Literal["denied", "rate_limited"]
    text: str
    detail: dict[str, Any] = field(default_factory=dict)
    retry_after_seconds: int | None = None


def check_prompt(text: str, limit_chars: int) -> Refusal | None:
    """Refuse an empty prompt or one longer than `limit_chars`."""
    length = len(text.strip())
    detail = {"length_chars": length, "limit_chars": limit_chars}
    if length == 0:
        return Refusal("prompt_rejected", "empty_prompt", "denied", messages.EMPTY_PROMPT, detail)
    if length > limit_chars:
        text = messages.PROMPT_TOO_LONG.format(limit=limit_chars)
        return Refusal("prompt_rejected", "prompt_too_long", "denied", text, detail)
    return None


def check_identity(inbound: Inbound, settings: AssistantSettings) -> Refusal | None:
    """Refuse a workspace, channel or user outside a configured allow-list (empty: all)."""
    checks = (
        (settings.allowed_team_ids, inbound.slack_team_id, "team_not_allowed"),
        (settings.allowed_channel_ids, inbound.slack_channel_id, "channel_not_allowed"),
        (settings.allowed_user_ids, inbound.slack_user_id, "user_not_allowed"),
    )
    for allowed, value, reason in checks:
        if allowed and value not in allowed:
            return Refusal("identity_denied", reason, "denied", messages.ACCESS_DENIED)
    return None


async def check_rate_limits(
    counters: CounterStore, inbound: Inbound, settings: AssistantSettings, now: float
) -> Refusal | None:
    """Count the request against the user's and then the channel's window.

    Raises:
        StateUnavailableError: the shared counter store could not be reached (fail closed).
    """
    limits = [
        (
            "user",
            USER_SCOPE,
            inbound.slack_user_id,
            settings.rate_limit_user_max,
            settings.rate_limit_user_window_sec,
        ),
    ]
    if inbound.slack_channel_id:
        limits.append(
            (
                "channel",
                CHANNEL_SCOPE,
                inbound.slack_channel_id,
                settings.rate_limit_channel_max,
                settings.rate_limit_channel_window_sec,
            )
        )
    for scope, store_scope, subject, limit, window_sec in limits:
        decision = await counters.hit(store_scope, subject, limit, window_sec, now)
        if not decision.allowed:
            return _rate_limited(scope, limit, window_sec, decision.retry_after_sec)
    return None


def _rate_limited(scope: str, limit: int, window_sec: int, retry_after: int) -> Refusal:
    detail = {
        "scope": scope,
        "limit": limit,
        "window_seconds": window_sec,
        "retry_after_seconds": retry_after,
    }
    return Refusal(
        "rate_limit_exceeded",
        f"{scope}_rate_limit_exceeded",
        "rate_limited",
        messages.retry_hint(retry_after),
        detail,
        retry_after_seconds=retry_after,
    )
