"""Feedback on replies into `esbmcp_feedback` (observability.md §2.5).

Only feedback on a message that maps to a session is stored: by session id, or through the
session's `(slack_channel_id, reply_ts)`. Reactions insert once and are deleted when removed;
buttons and the console upsert the rating and comment. The session row is written by the
observability writer, so a session this process has queued but not yet flushed is flushed first
(its foreign key must hold, and the lookup must see it).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from artbattle_ops.db.pool import Database
from artbattle_ops.observability.scrubber import Scrubber

COMMENT_MAX_CHARS: Final = 2_000
RATINGS: Final = {"positive": 1, "negative": -1}
# The console's buttons count as buttons (the table's sources are reaction, button, command).
SOURCES: Final = {"button": "button", "reaction": "reaction", "console": "button"}

FIND_BY_REPLY = """
SELECT id, reply_ts FROM public.esbmcp_chat_sessions
WHERE slack_channel_id = %(channel)s AND reply_ts = %(reply_ts)s
ORDER BY created_at DESC
LIMIT 1
"""
FIND_BY_ID = "SELECT id, reply_ts FROM public.esbmcp_chat_sessions WHERE id = %(id)s"
INSERT_REACTION = """
INSERT INTO public.esbmcp_feedback
    (id, session_id, slack_user_id, rating, source, reaction, comment, slack_message_ts, created_at)
VALUES (%(id)s, %(session_id)s, %(user)s, %(rating)s, 'reaction', %(reaction)s, NULL,
        %(ts)s, %(at)s)
ON CONFLICT DO NOTHING
RETURNING id
"""
DELETE_REACTION = """
DELETE FROM public.esbmcp_feedback
WHERE session_id = %(session_id)s AND slack_user_id = %(user)s
  AND source = 'reaction' AND reaction = %(reaction)s
RETURNING id
"""
UPSERT_RATING = """
INSERT INTO public.esbmcp_feedback
    (id, session_id, slack_user_id, rating, source, reaction, comment, slack_message_ts, created_at)
VALUES (%(id)s, %(session_id)s, %(user)s, %(rating)s, %(source)s, NULL, %(comment)s,
        %(ts)s, %(at)s)
ON CONFLICT (session_id, slack_user_id, source, reaction)
DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment,
              created_at = EXCLUDED.created_at
RETURNING id, (xmax = 0) AS inserted
"""


@dataclass(frozen=True)
class FeedbackInput:
    """One piece of feedback as a front end reported it."""

    slack_user_id: str
    rating: str
    source: str
    session_id: str | None = None
    slack_channel_id: str | None = None
    reply_ts: str | None = None
    reaction: str | None = None
    removed: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class FeedbackResult:
    """What was stored: the row id and the `feedback_recorded` action, or nothing."""

    session_id: uuid.UUID
    feedback_id: uuid.UUID
    action: str
    rating: int
    source: str


class FeedbackStore:
    """Maps feedback to its session and writes it."""

    def __init__(
        self,
        database: Database,
        scrubber: Scrubber,
        flush_pending: Callable[[], Awaitable[None]],
    ) -> None:
        self._database = database
        self._scrubber = scrubber
        self._flush_pending = flush_pending

    async def record(self, item: FeedbackInput) -> FeedbackResult | None:
        """Store `item`; None when it maps to no session or changed nothing.

        Raises:
            DatabaseError: the database could not be reached.
        """
        rating = RATINGS[item.rating]
        source = SOURCES[item.source]
        session = await self._session_of(item)
        if session is None:
            return None
        session_id, reply_ts = session
        params = {
            "id": uuid.uuid4(),
            "session_id": session_id,
            "user": item.slack_user_id,
            "rating": rating,
            "ts": item.reply_ts or reply_ts or "",
            "at": datetime.now(UTC),
        }
        if source == "reaction":
            return await self._reaction(item, params, rating)
        comment = self._scrubber.scrub(item.comment, COMMENT_MAX_CHARS) if item.comment else None
        row = await self._database.execute_returning(
            UPSERT_RATING, params | {"source": source, "comment": comment}
        )
        if row is None:
            return None
        action = "added" if row["inserted"] else "updated"
        return FeedbackResult(session_id, row["id"], action, rating, source)

    async def _reaction(
        self, item: FeedbackInput, params: dict[str, Any], rating: int
    ) -> FeedbackResult | None:
        reaction = (item.reaction or "").split("::", 1)[0] or None
        if reaction is None:
            return None
        params = params | {"reaction": reaction}
        query = DELETE_REACTION if item.removed else INSERT_REACTION
        row = await self._database.execute_returning(query, params)
        if row is None:
            return None
        action = "removed" if item.removed else "added"
        return FeedbackResult(params["session_id"], row["id"], action, rating, "reaction")

    async def _session_of(self, item: FeedbackInput) -> tuple[uuid.UUID, str | None] | None:
        """The rated session, after this process's queued rows (its session rows) are written."""
        await self._flush_pending()
        if item.session_id is not None:
            try:
                params: dict[str, Any] = {"id": uuid.UUID(item.session_id)}
            except ValueError:
                return None
            row = await self._database.fetch_one(FIND_BY_ID, params)
        elif item.slack_channel_id and item.reply_ts:
            params = {"channel": item.slack_channel_id, "reply_ts": item.reply_ts}
            row = await self._database.fetch_one(FIND_BY_REPLY, params)
        else:
            return None
        return (row["id"], row["reply_ts"]) if row else None
