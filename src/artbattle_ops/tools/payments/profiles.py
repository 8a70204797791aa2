"""Artist profiles as the payments tools see them: resolution and payout readiness (§1.10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.registry import ToolCall
from artbattle_ops.tools.shared import warn_once

PROFILE_HINT: Final = "Use lookup_artist_profile to find the artist_profile_id."

# Payout readiness (§1.10) of the profile `ap`: a ready global account with a recipient id.
PAYOUT_READY_SQL: Final = """EXISTS (
    SELECT 1 FROM artist_global_payments g
    WHERE g.artist_profile_id = ap.id AND g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL
)"""

PROFILE_SQL: Final = """
SELECT ap.id, ap.name, ap.entry_id, ap.superseded_by
FROM artist_profiles ap
WHERE ap.id = %(id)s
"""


async def resolve_profile(call: ToolCall, artist_profile_id: str) -> dict[str, Any]:
    """The profile row; a superseded profile adds a `superseded_profile` warning (§1.10).

    Raises:
        NotFoundError: no profile has this id.
    """
    row = await call.db.fetch_one(PROFILE_SQL, {"id": artist_profile_id})
    if row is None:
        raise NotFoundError(
            f"No artist profile found with artist_profile_id {artist_profile_id}.",
            argument="artist_profile_id",
            hint=PROFILE_HINT,
        )
    if row["superseded_by"] is not None:
        message = f"Profile {row['id']} is superseded by {row['superseded_by']}; use that profile."
        warn_once(call, "superseded_profile", message)
    return row


def age_days(now: datetime, instant: datetime | None) -> int | None:
    """Whole days from `instant` to `now`, or None."""
    return None if instant is None else (now - instant).days
