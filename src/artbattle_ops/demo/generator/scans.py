"""QR codes and scans of one night: valid scans give +1.0 vote weight (schema.md §8.9)."""

from __future__ import annotations

import math
import random
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from artbattle_ops.demo.dataset import Row
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.voting import qr_code, scan_row

if TYPE_CHECKING:
    from artbattle_ops.demo.generator.schedule import Timing

CODE_EVERY = timedelta(minutes=5)
CODE_LIFETIME = timedelta(minutes=60)


class Scans(NamedTuple):
    """Scan rows, the live event's code rows, and who holds a valid scan."""

    rows: list[Row]
    codes: list[Row]
    valid: set[int]
    seen: list[tuple[int, datetime]]


def plan_scans(
    ctx: Context,
    rng: random.Random,
    e: Event,
    timing: Timing,
    voters: list[tuple[int, uuid.UUID]],
    excluded: set[int],
    forced: int | None,
) -> Scans:
    """10-14% of voters scan validly once; another 3-8% only have invalid scans."""
    end = min(timing.closes[1] or ctx.as_of, ctx.as_of)
    slots = math.ceil((end - timing.doors) / CODE_EVERY) + 1
    codes = [qr_code(rng) for _ in range(slots)]
    ids = dict(voters)
    eligible = [p for p, _ in voters if p not in excluded and p != forced]
    valid = rng.sample(eligible, min(len(eligible), round(len(voters) * rng.uniform(0.10, 0.15))))
    if forced is not None:
        valid.append(forced)
    valid_set = set(valid)
    others = [p for p in eligible if p not in valid_set]
    invalid = rng.sample(others, min(len(others), round(len(voters) * rng.uniform(0.04, 0.08))))

    span = (end - timing.doors).total_seconds()
    rows: list[Row] = []
    seen: list[tuple[int, datetime]] = []
    for person, repeats, is_valid in [(p, 1, True) for p in valid] + [
        (p, rng.randint(1, 2), False) for p in invalid
    ]:
        for n in range(repeats):
            at = timing.doors + timedelta(seconds=rng.uniform(0, span))
            slot = min(int((at - timing.doors) / CODE_EVERY), slots - 1)
            if not is_valid and rng.random() < 0.5 and slot >= 13:
                slot = rng.randrange(0, slot - 12)
            identifier = ctx.uid("people_qr_scans", f"{e.eid}:{person}:{n}")
            rows.append(scan_row(identifier, ids[person], e.id, codes[slot], at, is_valid, rng))
            seen.append((person, at))
    live_codes = _live_codes(ctx, e, timing.doors, codes) if e.phase == "live" else []
    return Scans(rows, live_codes, valid_set, seen)


def _live_codes(ctx: Context, e: Event, doors: datetime, codes: list[str]) -> list[Row]:
    """Codes still in `qr_codes`: those under 60 minutes old; only the newest is active."""
    young = [
        (code, doors + k * CODE_EVERY)
        for k, code in enumerate(codes)
        if ctx.as_of - CODE_LIFETIME < doors + k * CODE_EVERY <= ctx.as_of
    ]
    return [
        (ctx.uid("qr_codes", code), code, e.id, at, at + CODE_LIFETIME, n == len(young) - 1, at)
        for n, (code, at) in enumerate(young)
    ]
