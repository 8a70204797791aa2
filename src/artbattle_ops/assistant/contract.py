"""What the front ends (Slack, the local console, `ask`) hand the assistant, and what they get back.

The assistant core (`artbattle_ops.assistant.service`) runs one request through the pipeline of
DESIGN.md §3 steps 2–9: allow-lists, rate limits, role, catalogue, the model loop, the gateway,
the reply's redaction and the session row. A front end only translates its own protocol into an
`Inbound` and renders the `Reply`; it never decides policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

InteractionType = Literal[
    "app_mention", "slash_command", "direct_message", "group_dm", "assistant", "console", "cli"
]
Rating = Literal["positive", "negative"]


@dataclass(frozen=True)
class ContextMessage:
    """An earlier message of the conversation (thread reply or recent DM) given to the model."""

    author: Literal["user", "assistant"]
    text: str
    ts: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One request, as the front end received it (the bot's own mention already stripped)."""

    text: str
    slack_user_id: str
    interaction_type: InteractionType
    slack_team_id: str | None = None
    slack_channel_id: str | None = None
    slack_username: str | None = None
    slack_event_id: str | None = None
    slack_thread_ts: str | None = None
    context: tuple[ContextMessage, ...] = ()


@dataclass(frozen=True)
class PendingConfirmation:
    """A write the gateway previewed and holds for the requester's confirmation."""

    confirmation_id: str
    tool: str
    arguments: dict[str, Any]
    preview: dict[str, Any]
    expires_at: dict[str, Any]
    requested_by: str
    session_id: str
    summary: str


@dataclass
class Reply:
    """What to show: Slack mrkdwn text (already redacted for the role), and what it came from.

    `error_id` is set when an internal failure ended the request (shown as the reference).
    `confirmation` is set when a write waits for the requester's Confirm or Cancel.
    `retry_after_seconds` is set on a rate-limit refusal.
    """

    text: str
    session_id: str
    status: Literal["completed", "error", "denied", "rate_limited"] = "completed"
    tools_used: list[str] = field(default_factory=list)
    error_id: str | None = None
    confirmation: PendingConfirmation | None = None
    retry_after_seconds: int | None = None
    model: str | None = None
    offline: bool = False


@dataclass(frozen=True)
class Decision:
    """The outcome of a Confirm or Cancel click."""

    text: str
    session_id: str
    # True when a confirmed change exists afterwards (made now, made earlier, or not needed).
    accepted: bool
    # False when the click decides nothing (someone other than the requester, or the prompt
    # already decided): the prompt stays open, the clicker gets a private notice (`text`).
    final: bool


class Assistant(Protocol):
    """The pipeline every front end calls."""

    async def handle(self, inbound: Inbound) -> Reply:
        """Answer one request; never raises (internal failures become a Reply with error_id)."""

    async def confirm(
        self, confirmation: PendingConfirmation, clicked_by: str, *, team_id: str | None = None
    ) -> Decision:
        """Execute a pending write when the requester clicks Confirm."""

    async def cancel(self, confirmation: PendingConfirmation, clicked_by: str) -> Decision:
        """Drop a pending write (Cancel, or expiry noticed by the front end)."""

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

    async def complete(
        self,
        reply: Reply,
        *,
        reply_ts: str | None,
        slack_thread_ts: str | None,
        post_error: str | None = None,
    ) -> None:
        """Write the request's session row once the reply is posted (the row is written once,
        with `reply_ts` for reactions → session mapping and the duration up to the post);
        `post_error` names why posting failed. Never raises, never blocks on the database."""
