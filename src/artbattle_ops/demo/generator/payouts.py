"""Artist credits and payouts: who was paid what for which event, and who is still owed (§8.7)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import NamedTuple

from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.artists import NO_ARTIST
from artbattle_ops.demo.generator.context import money
from artbattle_ops.demo.generator.world import World

RECENT_WINDOW_DAYS = 5
# Outcome of a settled (artist, event) pair, with the spec's status shares (§8.7).
OUTCOMES = (
    "paid",
    "verified",
    "pending",
    "processing",
    "failed_retry",
    "failed_manual",
    "cancelled_reissued",
    "manual",
)
OUTCOME_WEIGHTS = (53, 24, 8, 3, 2.5, 2.5, 4, 3)


class Pair(NamedTuple):
    """What one artist earned at one event from works the buyers paid for."""

    artist: int
    event: int
    credit: Decimal
    currency: str
    works: tuple[int, ...]


class Ledger(NamedTuple):
    """Credited pairs, which of them stay unpaid, and each settled pair's outcome."""

    pairs: list[Pair]
    unsettled: set[tuple[int, int]]
    outcomes: dict[tuple[int, int], str]
    owed: dict[tuple[int, str], Decimal]


def credited_pairs(world: World) -> list[Pair]:
    """Artist share of every 'paid' work, summed per (artist, event), skipping zero credits."""
    credit: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    works: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, art in enumerate(world.nights.art):
        e = world.events[art.event]
        if art.status != "paid" or art.artist == NO_ARTIST or e.currency is None:
            continue
        price = art.final_price if art.final_price is not None else Decimal(art.price)
        credit[(art.artist, art.event)] += price * e.portion
        works[(art.artist, art.event)].append(n)
    return [
        Pair(a, k, money(amount), world.events[k].currency or "", tuple(works[(a, k)]))
        for (a, k), amount in sorted(credit.items())
        if amount > 0
    ]


def plan_ledger(world: World) -> Ledger:
    """Decide which pairs stay unpaid so that the owed-artist count lands in the scale's range."""
    rng = world.ctx.stream("artist_payments:plan")
    pairs = credited_pairs(world)
    fixed = _fixture_unsettled(world, pairs)
    unsettled = {
        (p.artist, p.event)
        for p in pairs
        if -world.events[p.event].day_offset <= RECENT_WINDOW_DAYS
    } | fixed
    low, high = world.ctx.spec.owed_artists
    target = (low + high) // 2
    owed_artists = {a for a, _ in unsettled}
    protected = _protected_artists(world)
    candidates = [
        p
        for p in pairs
        if (p.artist, p.event) not in unsettled
        and p.artist not in protected
        and world.events[p.event].role is None
        and p.artist not in owed_artists
    ]
    rng.shuffle(candidates)
    for p in candidates:
        if len(owed_artists) >= target:
            break
        if p.artist not in owed_artists:
            unsettled.add((p.artist, p.event))
            owed_artists.add(p.artist)

    outcomes = {}
    for p in pairs:
        key = (p.artist, p.event)
        if key in unsettled:
            continue
        outcomes[key] = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
    tom = world.artists.fixture["tom_becker"]
    for key in outcomes:
        if key[0] == tom:
            outcomes[key] = "failed_retry"
    owed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for p in pairs:
        if (p.artist, p.event) in unsettled:
            owed[(p.artist, p.currency)] += p.credit
    return Ledger(pairs, unsettled, outcomes, dict(owed))


def _fixture_unsettled(world: World, pairs: list[Pair]) -> set[tuple[int, int]]:
    """Priya and the second AB4002 work, Sofia at AB4001, Diego at AB4001 and AB4004."""
    index = {e.eid: k for k, e in enumerate(world.events)}
    fixture = world.artists.fixture
    wanted = {
        (fixture["priya_nair"], index["AB4002"]),
        (fixture["sofia_rossi"], index["AB4001"]),
        (fixture["diego_alvarez"], index["AB4001"]),
        (fixture["diego_alvarez"], index["AB4004"]),
    }
    eid, rnd, easel = fx.SECOND_UNPAID_WORK
    code = f"{eid}-{rnd}-{easel}"
    second = next(a for a in world.nights.art if a.code == code)
    wanted.add((second.artist, index[eid]))
    present = {(p.artist, p.event) for p in pairs}
    return wanted & present


def _protected_artists(world: World) -> set[int]:
    """Fixture artists whose owed status the fixtures pin: never picked as random owed."""
    keys = (
        "tom_becker",
        "maya_chen",
        "maya_chen_art",
        "lucas_moreau_a",
        "lucas_moreau_b",
        "ava_thompson",
        "ava_thompson_old",
    )
    return {world.artists.fixture[k] for k in keys}


def fee(gross: Decimal) -> Decimal:
    """Stripe's fee on a payout: 0.25 plus 0.25% of gross, in cents."""
    return money(Decimal("0.25") + gross * Decimal("0.0025"))


def owed_summary(world: World, ledger: Ledger) -> dict[str, object]:
    """Owed artists per currency and every owed balance, for the dataset summary."""
    artists: Counter[str] = Counter()
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_, currency), amount in ledger.owed.items():
        artists[currency] += 1
        totals[currency] += amount
    ids = world.artists.ids
    return {
        "owed_artists": len({a for a, _ in ledger.owed}),
        "owed_by_currency": {
            c: {"artists": artists[c], "total": str(totals[c])} for c in sorted(totals)
        },
        "owed_balances": {f"{ids[a]}:{c}": str(v) for (a, c), v in sorted(ledger.owed.items())},
    }
