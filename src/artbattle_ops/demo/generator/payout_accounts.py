"""Payout accounts: the current `artist_global_payments` and legacy Stripe Connect rows (§8.7)."""

from __future__ import annotations

import random
import string
from datetime import timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.payouts import Ledger
from artbattle_ops.demo.generator.world import World

GLOBAL_COLUMNS = (
    "id",
    "artist_profile_id",
    "stripe_recipient_id",
    "legacy_stripe_connect_account_id",
    "status",
    "country",
    "default_currency",
    "onboarding_url",
    "onboarding_url_expires_at",
    "migration_completed_at",
    "metadata",
    "created_at",
    "updated_at",
)
STRIPE_COLUMNS = (
    "id",
    "artist_profile_id",
    "stripe_account_id",
    "stripe_account_type",
    "onboarding_status",
    "charges_enabled",
    "payouts_enabled",
    "details_submitted",
    "country",
    "currency",
    "business_type",
    "onboarding_url",
    "onboarding_url_expires_at",
    "metadata",
    "created_at",
    "updated_at",
)
PAID_STATUSES = ("ready", "in_review", "blocked", "rejected")
PAID_WEIGHTS = (90, 4, 4, 2)
OTHER_STATUSES = ("ready", "invited", "in_review", "blocked", "rejected")
OTHER_WEIGHTS = (45, 33, 12, 5, 5)
ONBOARDING = ("completed", "pending", "not_started", "restricted", "rejected")
ONBOARDING_WEIGHTS = (60, 15, 10, 10, 5)
RECENT_PAINTER_DAYS = 540
FIXTURE_STATUSES = {
    "priya_nair": "ready",
    "tom_becker": "ready",
    "sofia_rossi": "blocked",
    "diego_alvarez": "invited",
}


def stripe_id(rng: random.Random, prefix: str, length: int = 16) -> str:
    """A Stripe-looking identifier such as `acct_…` or `tr_…`."""
    return prefix + "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def plan_statuses(world: World, ledger: Ledger) -> dict[int, str]:
    """Which artists have a current payout account, and its status."""
    rng = world.ctx.stream("artist_global_payments:plan")
    target = world.ctx.spec.targets["artist_global_payments"]
    statuses = {world.artists.fixture[k]: s for k, s in FIXTURE_STATUSES.items()}
    paid_out = {a for (a, _), outcome in ledger.outcomes.items() if outcome != "manual"}
    recent, older = _painters(world)
    chosen = [a for a in recent if rng.random() < 0.6] + older
    chosen += [a for a in range(len(world.artists)) if world.artists.is_active(a)]
    for a in dict.fromkeys(chosen):
        if len(statuses) >= target:
            break
        if a in statuses or not world.artists.is_active(a):
            continue
        if a in paid_out:
            statuses[a] = rng.choices(PAID_STATUSES, PAID_WEIGHTS)[0]
        else:
            statuses[a] = rng.choices(OTHER_STATUSES, OTHER_WEIGHTS)[0]
    return statuses


def _painters(world: World) -> tuple[list[int], list[int]]:
    rng = world.ctx.stream("artist_global_payments:painters")
    recent: dict[int, None] = {}
    older: dict[int, None] = {}
    for art in world.nights.art:
        if art.artist < 0:
            continue
        age = -world.events[art.event].day_offset
        (recent if age <= RECENT_PAINTER_DAYS else older)[art.artist] = None
    recent_list = sorted(recent)
    older_list = sorted(a for a in older if a not in recent)
    rng.shuffle(recent_list)
    rng.shuffle(older_list)
    return recent_list, older_list


def account_tables(world: World, statuses: dict[int, str]) -> list[TableData]:
    """`artist_stripe_accounts` (legacy) and `artist_global_payments` (current)."""
    legacy = _legacy_accounts(world)
    rng = world.ctx.stream("artist_global_payments")
    artists, ctx = world.artists, world.ctx
    rows: list[Row] = []
    for a, status in sorted(statuses.items()):
        country = world.ref.cities[artists.city[a]].country
        created = ctx.as_of - timedelta(days=rng.uniform(10, min(artists.created_days[a], 700)))
        invited = status == "invited"
        legacy_id = legacy.get(a, (None,))[0]
        rows.append(
            (
                ctx.uid("artist_global_payments", str(artists.ids[a])),
                artists.ids[a],
                stripe_id(rng, "acct_") if status in ("ready", "in_review", "blocked") else None,
                legacy_id,
                status,
                country.code,
                country.currency,
                f"https://connect.stripe.example/setup/{artists.entry_ids[a]}" if invited else None,
                created + timedelta(days=7) if invited else None,
                created if legacy_id else None,
                {"account_region": "canada" if country.code == "CA" else "international"},
                created,
                created + timedelta(days=rng.uniform(0, 5)),
            )
        )
    return [
        TableData("artist_stripe_accounts", STRIPE_COLUMNS, [row for _, row in legacy.values()]),
        TableData("artist_global_payments", GLOBAL_COLUMNS, rows),
    ]


def _legacy_accounts(world: World) -> dict[int, tuple[str, Row]]:
    """Stripe Connect accounts, mostly of older artists; 'completed' means both flags on."""
    rng = world.ctx.stream("artist_stripe_accounts")
    artists, ctx = world.artists, world.ctx
    target = ctx.spec.targets["artist_stripe_accounts"]
    recent, older = _painters(world)
    chosen = (older + recent)[:target]
    accounts: dict[int, tuple[str, Row]] = {}
    for a in sorted(chosen):
        country = world.ref.cities[artists.city[a]].country
        account = stripe_id(rng, "acct_1")
        status = rng.choices(ONBOARDING, ONBOARDING_WEIGHTS)[0]
        completed = status == "completed"
        created = ctx.as_of - timedelta(days=rng.uniform(0.3, 1.0) * artists.created_days[a])
        accounts[a] = (
            account,
            (
                ctx.uid("artist_stripe_accounts", str(artists.ids[a])),
                artists.ids[a],
                account,
                rng.choices(("express", "standard", "custom"), (80, 15, 5))[0],
                status,
                completed,
                completed,
                status in ("completed", "restricted", "pending"),
                country.code,
                country.currency.lower(),
                "individual",
                None if completed else f"https://connect.stripe.example/onboard/{account}",
                None if completed else created + timedelta(days=7),
                {},
                created,
                created + timedelta(days=rng.uniform(1, 60)),
            ),
        )
    return accounts
