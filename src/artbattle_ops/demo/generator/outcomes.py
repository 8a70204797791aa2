"""What one event night leaves behind: its rows, each artwork's outcome, and status rules."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from artbattle_ops.demo.dataset import Row
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.auction import Sale
from artbattle_ops.demo.generator.events import Event

NIGHT_TABLES = (
    "rounds",
    "art",
    "round_contestants",
    "votes",
    "bids",
    "qr_codes",
    "people_qr_scans",
    "endpoint_cache_versions",
)


class ArtOutcome(NamedTuple):
    """One artwork as payments and messaging see it after its night."""

    id: uuid.UUID
    code: str
    event: int
    round: int
    easel: int
    artist: int
    status: str
    price: int
    final_price: Decimal | None
    winner: int
    closing: datetime | None
    paid_at: datetime | None
    bids: int


@dataclass
class Nights:
    """Rows of the night tables plus what later steps need to know about each night."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in NIGHT_TABLES})
    art: list[ArtOutcome] = field(default_factory=list)
    voters: dict[str, list[int]] = field(default_factory=dict)
    artist_votes: dict[int, int] = field(default_factory=dict)
    touched: dict[str, datetime] = field(default_factory=dict)
    event_last: dict[str, datetime] = field(default_factory=dict)
    super_fan_vote: uuid.UUID | None = None


class Slot(NamedTuple):
    """One easel of one round: its artwork and painter (NO_ARTIST once vacated)."""

    art_id: uuid.UUID
    code: str
    artist: int


def settle_statuses(
    rng: random.Random,
    e: Event,
    slots: dict[tuple[int, int], Slot],
    sales: dict[tuple[int, int], Sale],
) -> dict[tuple[int, int], str]:
    """Outcomes: closed without bids; sold or paid with bids; pinned ones for fixtures."""
    if e.phase == "live":
        return {key: "active" for key in slots}
    paid_share = 0.85 if -e.day_offset > 60 else 0.6
    statuses = {}
    for key in sorted(slots):
        status = "paid" if rng.random() < paid_share else "sold"
        if not sales[key].rows:
            status = "closed"
        status = fx.FORCED_STATUSES.get(slots[key].code, status)
        if e.era == "legacy" and sales[key].rows:
            roll = rng.random()
            status = "cancelled" if roll < 0.005 else "inactive" if roll < 0.008 else status
        statuses[key] = status
    if -e.day_offset <= 5:
        paid = [key for key in sorted(statuses) if statuses[key] == "paid"]
        for key in paid[4:]:
            statuses[key] = "sold"
    return statuses


def settle_outcome(
    rng: random.Random,
    event: tuple[int, Event],
    slot: Slot,
    key: tuple[int, int],
    sale: Sale,
    status: str,
    as_of: datetime,
) -> ArtOutcome:
    """The artwork's winner, payment date and legacy final price, given its status."""
    k, e = event
    won = status in ("sold", "paid")
    paid_at = None
    if status == "paid":
        assert sale.closing is not None
        pay = sale.closing + timedelta(hours=rng.uniform(0.5, 14 * 24))
        paid_at = max(min(pay, as_of - timedelta(minutes=30)), sale.closing)
    legacy_paid = e.role == "legacy_event" and status == "paid"
    final = None
    if won and e.era == "legacy" and (legacy_paid or rng.random() < 0.4):
        final = Decimal(sale.top)
    return ArtOutcome(
        slot.art_id,
        slot.code,
        k,
        key[0],
        key[1],
        slot.artist,
        status,
        sale.top,
        final,
        sale.winner if won else -1,
        sale.closing,
        paid_at,
        len(sale.rows),
    )


def art_row(
    outcome: ArtOutcome,
    e: Event,
    sale: Sale,
    votes: int,
    stamps: tuple[datetime, datetime, str | None],
    ids: tuple[list[uuid.UUID], list[uuid.UUID]],
) -> Row:
    """The `art` row; `stamps` are created_at, updated_at and the title."""
    people_ids, artist_ids = ids
    created, updated, title = stamps
    winner = people_ids[outcome.winner] if outcome.winner >= 0 else None
    return (
        outcome.id,
        outcome.code,
        e.id,
        artist_ids[outcome.artist] if outcome.artist >= 0 else None,
        outcome.round,
        outcome.easel,
        outcome.status,
        Decimal(50),
        Decimal(sale.top),
        len(sale.rows),
        votes,
        winner,
        None if e.phase == "live" else sale.closing,
        sale.extensions > 0,
        sale.extensions,
        outcome.final_price,
        title,
        None,
        outcome.paid_at,
        winner if outcome.paid_at else None,
        created,
        updated,
    )
