"""Votes, vote factors and QR scans of one night (schema.md §8.5 and §8.9)."""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from artbattle_ops.demo.dataset import Row

# Round sets a voter votes in, and their shares: 38% / 37% / 25% of votes per round.
ROUND_SETS = ((1, 2, 3), (1, 2), (1, 3), (2, 3), (1,), (2,), (3,))
ROUND_SET_WEIGHTS = (0.50, 0.255, 0.018, 0.027, 0.101, 0.069, 0.03)
VOTES_PER_VOTER = 2.3
CODE_ALPHABET = string.ascii_uppercase + string.digits
FACTORS = {h: Decimal(h).scaleb(-2) for h in range(100, 701)}
USER_AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)


def base_weight_thousandths(prior_votes: int, prior_bid_total: int, is_artist: bool) -> int:
    """The capped production weight before the QR bonus, in thousandths."""
    total = 1000 + (1000 if is_artist else 0) + min(100 * prior_votes, 3000)
    return min(total + min(prior_bid_total, 2000), 6000)


def vote_factor(base_thousandths: int, has_valid_scan: bool) -> Decimal:
    """The stored factor: base plus 1.0 for a valid scan, rounded half-up to 2 decimals."""
    total = base_thousandths + (1000 if has_valid_scan else 0)
    return FACTORS[(total + 5) // 10]


def round_sets(rng: random.Random, voters: int) -> list[tuple[int, ...]]:
    """The rounds each voter votes in."""
    return rng.choices(ROUND_SETS, weights=ROUND_SET_WEIGHTS, k=voters)


def easel_weights(rng: random.Random, easels: int, low: set[int]) -> list[float]:
    """Skewed preferences: the top easel draws 25-40% of a round's votes; `low` ones almost none."""
    top_share = rng.uniform(0.25, 0.40) if easels == 6 else rng.uniform(0.30, 0.45)
    candidates = [e for e in range(1, easels + 1) if e not in low]
    top = rng.choice(candidates)
    rest = {e: rng.uniform(0.3, 1.0) for e in range(1, easels + 1) if e != top}
    for e in low:
        rest[e] = 0.01
    scale = (1 - top_share) / sum(rest.values())
    return [top_share if e == top else rest[e] * scale for e in range(1, easels + 1)]


class Ballot(NamedTuple):
    """What one round of voting produced: vote rows and the per-easel tallies."""

    rows: list[Row]
    counts: list[int]
    weighted: list[int]
    last_at: datetime | None


def cast_round(
    rng: random.Random,
    voters: list[tuple[int, uuid.UUID, Decimal]],
    weights: list[float],
    window: tuple[datetime, datetime],
    art: list[tuple[uuid.UUID, str]],
    key: tuple[uuid.UUID, str, int],
    uid: Callable[[str, str], uuid.UUID],
    null_code_share: float,
) -> Ballot:
    """Votes of one round; `voters` are (person index, person id, factor)."""
    event_id, eid, rnd = key
    easels = rng.choices(range(len(weights)), weights=weights, k=len(voters))
    start, end = window
    span = (end - start).total_seconds()
    counts, weighted = [0] * len(weights), [0] * len(weights)
    rows: list[Row] = []
    last_at = None
    for (person, person_id, factor), slot in zip(voters, easels, strict=True):
        at = start + timedelta(seconds=rng.uniform(1, span - 1))
        art_id, code = art[slot]
        counts[slot] += 1
        weighted[slot] += int(factor * 100)
        text_code = None if null_code_share and rng.random() < null_code_share else code
        rows.append(
            (
                uid("votes", f"{eid}:{rnd}:{person}"),
                event_id,
                eid,
                rnd,
                slot + 1,
                text_code,
                art_id,
                None,
                person_id,
                factor,
                at,
                at,
            )
        )
        if last_at is None or at > last_at:
            last_at = at
    return Ballot(rows, counts, weighted, last_at)


def top_two(weighted: list[int]) -> list[int]:
    """Easels (1-based) of the two highest weighted totals; ties go to the lower easel."""
    ranked = sorted(range(len(weighted)), key=lambda i: (-weighted[i], i))
    return [i + 1 for i in ranked[:2]]


def qr_code(rng: random.Random) -> str:
    """An 8-character code from A-Z and 0-9."""
    return "".join(rng.choices(CODE_ALPHABET, k=8))


def scan_row(
    identifier: uuid.UUID,
    person_id: uuid.UUID,
    event_id: uuid.UUID,
    code: str,
    at: datetime,
    valid: bool,
    rng: random.Random,
) -> Row:
    """One `people_qr_scans` row."""
    ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    location = {"source": "venue_wifi"} if rng.random() < 0.2 else None
    return (
        identifier,
        person_id,
        event_id,
        code,
        at,
        ip,
        rng.choice(USER_AGENTS),
        location,
        valid,
        at,
    )
