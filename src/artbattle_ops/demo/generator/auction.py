"""Silent auctions: bid sequences, extensions and outcomes of one artwork (schema.md §8.6)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from artbattle_ops.demo.dataset import Row

OPENING_BIDS = (55, 60, 75, 100)
OPENING_WEIGHTS = (70, 20, 7, 3)
ROUND_NUMBERS = (100, 150, 200, 250, 300)
BIG_NUMBERS = (300, 400, 500, 600)
EXTENSION_SHARE = 0.18  # of works with two bids or more
EXTENSION = timedelta(minutes=5)
AMOUNTS = {n: Decimal(n) for n in range(50, 2001, 5)}


class Sale(NamedTuple):
    """The bids of one artwork and where its auction ended up."""

    rows: list[Row]
    bidders: list[int]
    amounts: list[int]
    top: int
    winner: int
    closing: datetime | None
    extensions: int
    last_bid_at: datetime | None


class Lot(NamedTuple):
    """What the auction of one artwork needs to know."""

    art_id: object
    code: str
    bids: int
    opens: datetime
    closes: datetime
    live: bool


def next_amount(rng: random.Random, previous: int) -> int:
    """At least 5 more than the previous bid: mostly +5 or +10, sometimes a round number."""
    roll = rng.random()
    if roll < 0.63:
        return previous + 5
    if roll < 0.9:
        return previous + 10
    numbers = BIG_NUMBERS if roll > 0.9975 else ROUND_NUMBERS
    return next((n for n in numbers if n > previous + 10), previous + 20)


def run_auction(
    rng: random.Random,
    lot: Lot,
    bidders: list[int],
    person_ids: Sequence[object],
    currency: tuple[str | None, str | None],
    bid_id: Callable[[str], object],
    *,
    opener: int | None = None,
    winner: int | None = None,
) -> Sale:
    """Bids on one artwork; `opener` places the first bid, `winner` the last."""
    sequence = _bidders(rng, lot.bids, bidders, opener, winner) if lot.bids else []
    if not sequence:
        return Sale([], [], [], 50, -1, None if lot.live else lot.closes, 0, None)
    times, closing, extensions = _times(rng, lot, len(sequence))

    rows: list[Row] = []
    amounts: list[int] = []
    amount = 0
    for n, (person, at) in enumerate(zip(sequence, times, strict=True)):
        if n == 0:
            amount = rng.choices(OPENING_BIDS, OPENING_WEIGHTS)[0]
        else:
            amount = min(next_amount(rng, amount), 2000)
        amounts.append(amount)
        ip = f"198.51.100.{rng.randrange(1, 255)}"
        rows.append(
            (
                bid_id(f"{lot.code}:{n}"),
                lot.art_id,
                person_ids[person],
                AMOUNTS[amount],
                currency[0],
                currency[1],
                ip,
                at,
            )
        )
    return Sale(rows, sequence, amounts, amount, sequence[-1], closing, extensions, times[-1])


def _bidders(
    rng: random.Random, count: int, pool: list[int], opener: int | None, winner: int | None
) -> list[int]:
    """Who places each bid: a few people taking turns, never the same person twice in a row."""
    cast = [p for p in rng.sample(pool, min(len(pool), rng.randint(2, 5))) if p != winner]
    sequence = [opener] if opener is not None else []
    target = count - (1 if winner is not None else 0)
    while len(sequence) < target:
        options = [p for p in cast if not sequence or p != sequence[-1]]
        if not options:
            break
        sequence.append(rng.choice(options))
    if winner is not None:
        if sequence and sequence[-1] == winner:
            sequence.pop()
        sequence.append(winner)
    return sequence


def _times(rng: random.Random, lot: Lot, count: int) -> tuple[list[datetime], datetime | None, int]:
    """Bid instants, the final closing time and the number of extensions."""
    late = 0
    if not lot.live and count >= 2 and rng.random() < EXTENSION_SHARE:
        late = rng.randint(1, min(3, count - 1))
    window_end = lot.closes if lot.live else lot.closes - EXTENSION
    span = max((window_end - lot.opens).total_seconds() - 60, 60)
    times = sorted(
        lot.opens + timedelta(seconds=30 + rng.uniform(0, span)) for _ in range(count - late)
    )
    if lot.live:
        return times, None, 0

    closing = lot.closes
    for _ in range(late):
        at = closing - timedelta(seconds=rng.uniform(20, 280))
        if times and at <= times[-1]:
            at = times[-1] + timedelta(seconds=rng.uniform(5, 20))
        times.append(at)
        closing = at + EXTENSION
    return times, closing, late
