"""The `artist_payments` ledger: automated payouts per (artist, event), retries and manual rows."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from decimal import Decimal

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.context import money
from artbattle_ops.demo.generator.payout_accounts import stripe_id
from artbattle_ops.demo.generator.payouts import Ledger, Pair, fee
from artbattle_ops.demo.generator.world import World

PAYMENT_COLUMNS = (
    "id",
    "artist_profile_id",
    "art_id",
    "gross_amount",
    "platform_fee",
    "stripe_fee",
    "net_amount",
    "currency",
    "status",
    "stripe_transfer_id",
    "stripe_payout_id",
    "payment_type",
    "payment_method",
    "description",
    "reference",
    "created_by",
    "reason_category",
    "webhook_confirmed_at",
    "verification_metadata",
    "metadata",
    "error_message",
    "created_at",
    "updated_at",
    "paid_at",
)
MANUAL_METHODS = ("bank_transfer", "check", "cash", "paypal", "other")
EXTRA_REASONS = (
    ("prize", 100, 500),
    ("private_event", 150, 600),
    ("supplies_reimbursement", 20, 120),
    ("adjustment", 10, 80),
    ("other", 25, 200),
)
ERRORS = (
    "Insufficient funds in platform balance",
    "Destination account is restricted",
    "Transfer declined: account closed",
)
ZERO = Decimal("0.00")


class _Writer:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.rows: list[Row] = []
        self.manual = 0

    def add(
        self,
        key: str,
        artist: int,
        gross: Decimal,
        currency: str,
        status: str,
        created: datetime,
        *,
        art: object = None,
        manual: tuple[str, str, str] | None = None,
        error: str | None = None,
        eid: str | None = None,
    ) -> None:
        """One payout row; `manual` is (method, reason, description) for manual rows."""
        rng, ctx = self.rng, self.world.ctx
        done = status in ("paid", "verified")
        paid_at = min(created + timedelta(hours=rng.uniform(2, 72)), ctx.as_of) if done else None
        stripe_fee = ZERO if manual else fee(gross)
        method, reason, description = manual or ("stripe", None, f"Artist share for {eid}")
        admin = rng.choice(self.world.admins) if manual else None
        idempotency = hashlib.sha256(f"{ctx.seed}:{key}".encode()).hexdigest()[:32]
        self.manual += 1 if manual else 0
        self.rows.append(
            (
                ctx.uid("artist_payments", key),
                self.world.artists.ids[artist],
                art,
                gross,
                ZERO,
                stripe_fee,
                gross - stripe_fee,
                currency,
                status,
                stripe_id(rng, "tr_", 20) if done and not manual else None,
                None,
                "manual" if manual else "automated",
                method,
                description,
                f"REF-{rng.randint(10000, 99999)}" if manual else None,
                admin,
                reason,
                paid_at + timedelta(minutes=rng.uniform(1, 30))
                if status == "verified" and paid_at
                else None,
                {"source": "stripe_webhook"} if status == "verified" else None,
                {"event_eid": eid, "idempotency_key": idempotency} if eid else {},
                error,
                created,
                paid_at or created,
                paid_at,
            )
        )


def payment_table(world: World, ledger: Ledger) -> TableData:
    """Rows for every settled pair by its outcome, then manual extras up to a 12% share."""
    writer = _Writer(world, world.ctx.stream("artist_payments"))
    for pair in ledger.pairs:
        outcome = ledger.outcomes.get((pair.artist, pair.event))
        if outcome is not None:
            _settle(world, writer, pair, outcome)
    _extras(world, writer, ledger)
    return TableData("artist_payments", PAYMENT_COLUMNS, writer.rows)


def _settle(world: World, writer: _Writer, pair: Pair, outcome: str) -> None:
    rng, ctx = writer.rng, world.ctx
    e = world.events[pair.event]
    art = world.nights.art[min(pair.works, key=lambda n: world.nights.art[n].code)]
    age = -e.day_offset
    created = min(
        e.end + timedelta(days=rng.uniform(5, 5 + min(max(age - 6, 0.5), 20))),
        ctx.as_of - timedelta(hours=6),
    )
    later = min(created + timedelta(days=rng.uniform(1, 5)), ctx.as_of - timedelta(hours=1))
    key = f"{e.eid}:{world.artists.entry_ids[pair.artist]}"
    args = (pair.artist, pair.credit, pair.currency)
    if outcome in ("paid", "verified", "pending", "processing"):
        writer.add(key, *args, outcome, created, art=art.id, eid=e.eid)
        return
    if outcome == "manual":
        writer.add(
            key,
            *args,
            "paid",
            created,
            eid=e.eid,
            manual=(rng.choice(MANUAL_METHODS), "other", f"Manual payout for {e.eid}"),
        )
        return
    first = "cancelled" if outcome == "cancelled_reissued" else "failed"
    error = rng.choice(ERRORS) if first == "failed" else None
    writer.add(key, *args, first, created, art=art.id, eid=e.eid, error=error)
    if outcome == "failed_manual":
        writer.add(
            f"{key}:manual",
            *args,
            "paid",
            later,
            eid=e.eid,
            manual=(
                "bank_transfer",
                "adjustment",
                f"Manual payout after a failed transfer for {e.eid}",
            ),
        )
        return
    writer.add(f"{key}:retry", *args, "paid", later, art=art.id, eid=e.eid)


def _extras(world: World, writer: _Writer, ledger: Ledger) -> None:
    """Prizes, private events and reimbursements, for artists who are owed nothing."""
    rng, ctx = writer.rng, world.ctx
    owed = {a for a, _ in ledger.owed} | set(world.artists.fixture.values())
    eligible = sorted({p.artist for p in ledger.pairs} - owed)
    # Settlement rows already include manual ones; extras top the ledger up to the target.
    wanted = ctx.spec.targets["artist_payments"] - len(writer.rows)
    for n in range(max(0, wanted)):
        artist = rng.choice(eligible)
        reason, low, high = rng.choice(EXTRA_REASONS)
        currency = world.ref.cities[world.artists.city[artist]].country.currency
        created = ctx.as_of - timedelta(days=rng.uniform(2, 500))
        status = "paid" if rng.random() < 0.9 else "pending"
        description = f"{reason.replace('_', ' ').capitalize()} payment"
        writer.add(
            f"extra:{n}",
            artist,
            money(rng.randint(low, high)),
            currency,
            status,
            created,
            manual=(rng.choice(MANUAL_METHODS), reason, description),
        )
