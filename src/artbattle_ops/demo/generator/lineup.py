"""Who paints where: the 12 painters and alternates of each night, and upcoming bookings."""

from __future__ import annotations

import random
from typing import NamedTuple

from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.artists import Artists
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import Event

PAINTERS = 12
EASELS = 6
DST_ELIGIBILITY_DAYS = 300


class Lineup(NamedTuple):
    """`painters[(round - 1) * 6 + easel - 1]` paints that easel; `booked` before the night."""

    painters: tuple[int, ...]
    alternates: tuple[int, ...]
    booked: tuple[int, ...]
    low_easels: frozenset[tuple[int, int]]


def plan_lineups(ctx: Context, events: list[Event], artists: Artists) -> dict[str, Lineup]:
    """A lineup for every event; fixture placements override the random draw."""
    placements: dict[str, dict[tuple[int, int], int]] = {}
    for key, eid, rnd, easel in fx.FIXTURE_PLACEMENTS:
        placements.setdefault(eid, {})[(rnd, easel)] = artists.fixture[key]
    for key, eid, rnd, easel in fx.FIXTURE_GUESTS:
        placements.setdefault(eid, {})[(rnd, easel)] = artists.fixture[key]
    low = {(eid, rnd, easel) for _, eid, rnd, easel in fx.FIXTURE_PLACEMENTS}
    low.add(fx.SECOND_UNPAID_WORK)

    lineups = {}
    for e in events:
        rng = ctx.stream(f"lineup:{e.eid}")
        fixed = placements.get(e.eid, {})
        age = DST_ELIGIBILITY_DAYS if e.eid in fx.DST_EIDS else -e.day_offset
        extra = 1 if rng.random() < 0.85 else rng.choice((0, 2))
        count = PAINTERS + extra if e.has_night else PAINTERS + rng.randint(0, 2)
        drawn = _draw(rng, artists, e, count, age, set(fixed.values()))
        for i in (*drawn, *fixed.values()):
            artists.make_older(i, age + rng.uniform(60, 150))
        if not e.has_night:
            lineups[e.eid] = Lineup((), (), tuple(drawn), frozenset())
            continue
        painters, pool = [], iter(drawn)
        for slot in range(PAINTERS):
            position = (slot // EASELS + 1, slot % EASELS + 1)
            painters.append(fixed[position] if position in fixed else next(pool))
        lows = frozenset((r, s) for eid, r, s in low if eid == e.eid)
        lineups[e.eid] = Lineup(tuple(painters), tuple(pool), (), lows)
    return lineups


def _draw(
    rng: random.Random, artists: Artists, e: Event, count: int, age: float, taken: set[int]
) -> list[int]:
    """`count` distinct artists, mostly local, created at least a week before the event."""
    local = [i for i in artists.by_city[e.city.ordinal] if artists.created_days[i] >= age + 7]
    chosen: list[int] = []
    seen = set(taken)
    _pick(rng, artists, local, count, chosen, seen, touring=0.1)
    if len(chosen) < count:
        others = [i for pool in artists.by_city for i in pool if artists.created_days[i] >= age]
        _pick(rng, artists, others, count, chosen, seen, touring=0.0)
    if len(chosen) < count:
        everyone = [i for pool in artists.by_city for i in pool]
        _pick(rng, artists, everyone, count, chosen, seen, touring=0.0)
    return chosen


def _pick(
    rng: random.Random,
    artists: Artists,
    pool: list[int],
    count: int,
    chosen: list[int],
    seen: set[int],
    touring: float,
) -> None:
    if not pool:
        return
    weights = [artists.weight[i] for i in pool]
    for _ in range(20):
        for i in rng.choices(pool, weights=weights, k=2 * count):
            if len(chosen) >= count:
                return
            if touring and rng.random() < touring:
                city_pool = artists.by_city[rng.randrange(len(artists.by_city))]
                i = rng.choice(city_pool) if city_pool else i
            if i not in seen:
                seen.add(i)
                chosen.append(i)
        if len(chosen) >= count or len(seen) >= len(pool) + len(chosen):
            return
