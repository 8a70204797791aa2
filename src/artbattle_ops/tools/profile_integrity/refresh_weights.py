"""refresh_vote_weights (tools.md §4.9): recalculate everyone's vote weights now."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Final

from artbattle_ops.tools.errors import ConflictError
from artbattle_ops.tools.profile_integrity.weights_view import ViewState, read_view_state
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview, write_tool
from artbattle_ops.tools.shared import display_time

TOOL: Final = "refresh_vote_weights"
# The advisory lock that keeps two refreshes from running at once: the ASCII of "esbmcpvw".
REFRESH_LOCK_KEY: Final = 0x6573626D63707677
ALREADY_RUNNING: Final = "A vote-weight refresh is already running."

# A refresh may wait for the view's lock, so the lock timeout matches the statement timeout.
TIMEOUT_SQL: Final = "SET LOCAL statement_timeout = '120s'"
LOCK_TIMEOUT_SQL: Final = "SET LOCAL lock_timeout = '120s'"
TRY_LOCK_SQL: Final = "SELECT pg_try_advisory_xact_lock(%(key)s) AS locked"
# The tools call exactly this database function, with no argument (schema.md §5.1).
REFRESH_SQL: Final = "SELECT manual_refresh_vote_weights() AS message"

EFFECTS: Final = [
    "Recalculates the vote weights of all people, not of one event.",
    "Only votes cast after the refresh are affected; recorded votes keep their factor.",
    "It can take up to two minutes.",
]


def _age_sec(call: ToolCall, state: ViewState) -> int | None:
    if state.last_calculated is None:
        return None
    return max(0, round((call.now - state.last_calculated).total_seconds()))


def _exact(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def _age_words(age_sec: int | None) -> str:
    if age_sec is None:
        return "never calculated"
    minutes = age_sec // 60
    if minutes < 1:
        return "last calculated under a minute ago"
    if minutes < 120:
        return f"last calculated {minutes} min ago"
    if minutes < 48 * 60:
        return f"last calculated {minutes // 60} h ago"
    return f"last calculated {minutes // (24 * 60)} days ago"


class RefreshVoteWeights:
    """A global refresh of `person_vote_weights` under an advisory lock."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """The view's size and freshness now; the key depends on the confirmation."""
        state = await read_view_state(call)
        age_sec = _age_sec(call, state)
        return WritePreview(
            summary=(
                f"Recalculate the vote weights of everyone ({state.rows} people in the view, "
                f"{_age_words(age_sec)})."
            ),
            target={"view": "person_vote_weights", "scope": "global", "age_sec": age_sec},
            before={
                "rows": state.rows,
                "last_calculated": display_time(call, state.last_calculated),
                # Microseconds, so that a refresh within the same second still counts as a change.
                "refreshed_at": _exact(state.last_calculated),
            },
            after={"scope": "global", "affects": "votes cast after the refresh"},
            effects=list(EFFECTS),
            idempotency_key="",
        )

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Refresh once, unless another refresh holds the lock.

        Raises:
            ConflictError: a refresh is already running.
        """
        await call.db.execute(TIMEOUT_SQL)
        await call.db.execute(LOCK_TIMEOUT_SQL)
        lock = await call.db.fetch_one(TRY_LOCK_SQL, {"key": REFRESH_LOCK_KEY})
        if lock is None or not lock["locked"]:
            raise ConflictError(ALREADY_RUNNING)

        started = time.perf_counter()
        refreshed = await call.db.fetch_one(REFRESH_SQL) or {}
        duration_ms = round((time.perf_counter() - started) * 1000)
        state = await read_view_state(call)
        return {
            "refreshed": True,
            "scope": "global",
            "message": refreshed.get("message"),
            "rows_before": preview.before["rows"],
            "rows_after": state.rows,
            "last_calculated_before": preview.before["last_calculated"],
            "last_calculated_after": display_time(call, state.last_calculated),
            "duration_ms": duration_ms,
        }


write_tool(TOOL, RefreshVoteWeights())
