"""The deterministic demo-data generator: `generate(scale, seed, as_of)` returns a Dataset."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from artbattle_ops.demo.dataset import Dataset, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.accounts import (
    admin_emails,
    admin_tables,
    people_tables,
    person_created,
)
from artbattle_ops.demo.generator.artists import build_artists, plan_artists
from artbattle_ops.demo.generator.cache import settle_updates
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import event_table, plan_events
from artbattle_ops.demo.generator.invariants import GeneratorInvariantError, check_dataset
from artbattle_ops.demo.generator.lineup import plan_lineups
from artbattle_ops.demo.generator.messaging import messaging_tables
from artbattle_ops.demo.generator.night import run_nights
from artbattle_ops.demo.generator.offers import offer_tables
from artbattle_ops.demo.generator.operations import operations_tables
from artbattle_ops.demo.generator.outcomes import NIGHT_TABLES
from artbattle_ops.demo.generator.payments import payment_table
from artbattle_ops.demo.generator.payout_accounts import account_tables, plan_statuses
from artbattle_ops.demo.generator.payouts import Ledger, owed_summary, plan_ledger
from artbattle_ops.demo.generator.people import build_people
from artbattle_ops.demo.generator.pipeline import pipeline_tables
from artbattle_ops.demo.generator.profiles import assign_entry_ids, profile_table
from artbattle_ops.demo.generator.reference import build_reference
from artbattle_ops.demo.generator.reminders import plan_reminders, reminder_table
from artbattle_ops.demo.generator.requests import request_table, setup_table
from artbattle_ops.demo.generator.scales import SCALES
from artbattle_ops.demo.generator.summary import collect_fixtures, summarize
from artbattle_ops.demo.generator.ticketing import ticketing_tables
from artbattle_ops.demo.generator.world import World

__all__ = ["GeneratorInvariantError", "generate"]

logger = logging.getLogger(__name__)

VOTE_WEIGHT_COLUMNS = (
    "id",
    "event_id",
    "person_id",
    "vote_factor",
    "vote_factor_info",
    "phone_number",
    "from_source",
    "status",
    "created_at",
)


def generate(scale: str, seed: int = 1, as_of: datetime | None = None) -> Dataset:
    """Generate the demo dataset for `scale` (demo, bench or bench10), identical per inputs.

    Raises:
        ValueError: the scale is unknown or `as_of` is a naive datetime.
        GeneratorInvariantError: the generated data breaks an invariant of schema.md §8.17.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    instant = _as_of(as_of)
    started = time.perf_counter()
    ctx = Context(SCALES[scale], seed, instant)
    world, tables = build_world(ctx)
    ledger = plan_ledger(world)
    tables += pipeline_tables(world)
    tables += _payment_tables(world, ledger)
    tables += ticketing_tables(world)
    tables += messaging_tables(world)
    tables += offer_tables(world)
    tables += operations_tables(world)

    dataset = Dataset(scale=scale, seed=seed, as_of=instant)
    for table in tables:
        dataset.add(table)
    dataset.fixtures = collect_fixtures(world, dataset)
    dataset.summary = summarize(world, dataset, owed_summary(world, ledger))
    check_dataset(dataset, ctx.spec)
    logger.info(
        "demo_data_generated",
        extra={
            "scale": scale,
            "seed": seed,
            "row_count": sum(dataset.row_counts().values()),
            "duration_ms": round((time.perf_counter() - started) * 1000),
        },
    )
    return dataset


def _payment_tables(world: World, ledger: Ledger) -> list[TableData]:
    statuses = plan_statuses(world, ledger)
    return [
        *account_tables(world, statuses),
        payment_table(world, ledger),
        request_table(world, ledger),
        setup_table(world, ledger, statuses),
        reminder_table(world, plan_reminders(world)),
    ]


def _as_of(as_of: datetime | None) -> datetime:
    if as_of is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    return as_of.astimezone(UTC)


def build_world(ctx: Context) -> tuple[World, list[TableData]]:
    """Run the core steps: reference data, events, people, artists and every event night."""
    ref, reference_tables = build_reference(ctx)
    events = plan_events(ctx, ref)
    plan = plan_artists(ctx.spec.artists)
    people = build_people(ctx, ref, events, plan.with_person)
    artists = build_artists(ctx, people, plan, first_artist=len(fx.FIXTURE_PEOPLE))
    lineups = plan_lineups(ctx, events, artists)
    nights = run_nights(ctx, events, people, artists, lineups)
    cache = settle_updates(ctx, events, nights)
    assign_entry_ids(artists)
    created = person_created(ctx, people, artists)
    auth, people_rows = people_tables(ctx, people, created)
    emails = admin_emails(ref, ctx.spec.admins)
    admin_auth, admins = admin_tables(ctx, emails)
    auth.rows.extend(admin_auth)

    world = World(
        ctx, ref, tuple(events), people, artists, lineups, nights, tuple(emails), tuple(created)
    )
    night = {
        name: TableData(name, _night_columns(name), rows)
        for name, rows in nights.rows.items()
        if name != "endpoint_cache_versions"
    }
    tables = [
        *reference_tables,
        auth,
        people_rows,
        profile_table(ctx, ref, people, artists, nights.artist_votes),
        admins,
        event_table(ctx, events),
        night["rounds"],
        night["art"],
        night["round_contestants"],
        night["bids"],
        night["votes"],
        TableData("vote_weights", VOTE_WEIGHT_COLUMNS, []),
        cache,
        night["qr_codes"],
        night["people_qr_scans"],
    ]
    return world, tables


def _night_columns(name: str) -> tuple[str, ...]:
    from artbattle_ops.demo.generator.columns import NIGHT_COLUMNS

    assert name in NIGHT_TABLES
    return NIGHT_COLUMNS[name]
