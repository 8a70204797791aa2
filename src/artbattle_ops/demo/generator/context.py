"""Seeded random streams, deterministic ids and the time helpers every generator step shares."""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from artbattle_ops.demo.generator.scales import ScaleSpec

CENT = Decimal("0.01")
_ID_ROOT = uuid.UUID("6f1f6c1e-5b0e-4c59-9a53-a8b0c4d2e7f1")


@dataclass(frozen=True)
class Context:
    """The inputs of one run: scale, seed and the `as_of` instant the data describes."""

    spec: ScaleSpec
    seed: int
    as_of: datetime
    namespace: uuid.UUID = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "namespace", uuid.uuid5(_ID_ROOT, f"seed:{self.seed}"))

    def stream(self, name: str) -> random.Random:
        """A random stream of its own for one table (or sub-step), derived from (seed, name)."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:16], "big"))

    def uid(self, table: str, key: str) -> uuid.UUID:
        """The UUIDv5 of one row, from (seed, table, natural key)."""
        return uuid.uuid5(self.namespace, f"{table}:{key}")

    def days_ago(self, days: float) -> datetime:
        """`as_of` minus a number of days."""
        return self.as_of - timedelta(days=days)

    def local_day(self, zone: ZoneInfo, offset_days: int) -> date:
        """`as_of`'s calendar date in `zone`, moved by `offset_days`."""
        return self.as_of.astimezone(zone).date() + timedelta(days=offset_days)


@lru_cache(maxsize=256)
def zone_of(name: str) -> ZoneInfo:
    """The IANA zone with this name (cached)."""
    return ZoneInfo(name)


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time on a local date."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def minutes(n: float) -> timedelta:
    """A duration of `n` minutes."""
    return timedelta(minutes=n)


def money(value: float | int | Decimal) -> Decimal:
    """An amount rounded half-up to cents, as numeric(10,2) stores it."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def naive_utc(instant: datetime) -> datetime:
    """A UTC instant as a naive wall time, for `timestamp without time zone` columns."""
    return instant.astimezone(UTC).replace(tzinfo=None)


def stratified(rng: random.Random, count: int) -> list[float]:
    """`count` uniforms on [0, 1), one per stratum, shuffled: sums stay close to their mean."""
    values = [(k + rng.random()) / count for k in range(count)]
    rng.shuffle(values)
    return values


def triangular_at(u: float, low: float, high: float, mode: float) -> float:
    """The triangular distribution's quantile at `u`."""
    split = (mode - low) / (high - low)
    if u < split:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


def latest_transition(zone: ZoneInfo, before: datetime) -> date:
    """The local date of the most recent UTC-offset change in `zone` at or before `before`."""
    day = before.astimezone(zone).date()
    noon = time(12, 0)
    offset = datetime.combine(day, noon, tzinfo=zone).utcoffset()
    for _ in range(800):
        previous = day - timedelta(days=1)
        previous_offset = datetime.combine(previous, noon, tzinfo=zone).utcoffset()
        if previous_offset != offset:
            return day
        day, offset = previous, previous_offset
    raise ValueError(f"{zone.key} has no offset change in the searched range")
