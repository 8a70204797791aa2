"""When things happen on an event night, and per-event draws spread evenly over each scale."""

from __future__ import annotations

import random
from datetime import datetime
from typing import NamedTuple

from artbattle_ops.demo.generator.context import Context, minutes, stratified, triangular_at
from artbattle_ops.demo.generator.events import Event


class Timing(NamedTuple):
    """Milestones of one night (UTC); round 3 and the auction are None while it is live."""

    doors: datetime
    first_vote: datetime
    closes: tuple[datetime, datetime, datetime | None]
    auction: datetime | None


class Strata(NamedTuple):
    """Per-event draws spread evenly over their ranges, so scale totals stay on target."""

    votes: float
    no_bids: float
    heat: float
    vacate: float


def plan_strata(ctx: Context, events: list[Event]) -> dict[str, Strata]:
    """Votes, silent-work share, bidding heat and vacancy draw for every event night."""
    rng = ctx.stream("night:strata")
    nights = sorted(e.eid for e in events if e.has_night)
    votes, no_bids, heat, vacate = (stratified(rng, len(nights)) for _ in range(4))
    return {
        eid: Strata(triangular_at(v, 212, 510, 270), 0.15 + 0.2 * n, 0.6 + 0.7 * h, x)
        for eid, v, n, h, x in zip(nights, votes, no_bids, heat, vacate, strict=True)
    }


def plan_timing(rng: random.Random, e: Event, as_of: datetime) -> Timing:
    """Round closes and the auction close in minutes after the start (§8.4 timing table)."""
    start = e.start
    doors = start - minutes(30)
    if e.phase == "live":
        r1 = rng.uniform(52, 88)
        first = start + minutes(rng.uniform(1, min(80, r1 - 10)))
        return Timing(doors, first, (start + minutes(r1), as_of + minutes(10), None), None)
    r1 = rng.uniform(52, 97)
    r2 = max(rng.uniform(90, 135), r1 + 20)
    r3 = max(rng.uniform(130, 186), r2 + 20)
    first = start + minutes(rng.uniform(1, min(80, r1 - 10)))
    delay = 50 if rng.random() < 0.02 else rng.uniform(13, 23)
    closes = (start + minutes(r1), start + minutes(r2), start + minutes(r3))
    return Timing(doors, first, closes, start + minutes(r3 + delay))
