"""Artist profiles as the payments tools see them: payout readiness (§1.10) and ages."""

from __future__ import annotations

from datetime import datetime
from typing import Final

# Payout readiness (§1.10) of the profile `ap`: a ready global account with a recipient id.
PAYOUT_READY_SQL: Final = """EXISTS (
    SELECT 1 FROM artist_global_payments g
    WHERE g.artist_profile_id = ap.id AND g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL
)"""


def age_days(now: datetime, instant: datetime | None) -> int | None:
    """Whole days from `instant` to `now`, or None."""
    return None if instant is None else (now - instant).days
