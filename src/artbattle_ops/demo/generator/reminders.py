"""Buyer payment reminders: texts to winners of 'sold' works, shared by payments and SMS."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.artists import NO_ARTIST
from artbattle_ops.demo.generator.outcomes import ArtOutcome
from artbattle_ops.demo.generator.world import World

REMINDER_COLUMNS = (
    "id",
    "art_id",
    "event_id",
    "person_id",
    "admin_user_id",
    "admin_note",
    "reminder_type",
    "message_body",
    "sms_status",
    "sent_at",
    "created_at",
)
SENDER = "+18335550100"
REMINDER_SHARE = 0.3
MIN_AGE_DAYS = 7


class Reminder(NamedTuple):
    """One reminder text: the `payment_reminders` row and its `sms_outbound` twin share it."""

    key: str
    art: ArtOutcome
    person: int
    body: str
    status: str
    sent_at: datetime


def plan_reminders(world: World) -> list[Reminder]:
    """About 30% of 'sold' works older than 7 days whose buyer has a phone get one reminder."""
    rng = world.ctx.stream("payment_reminders:plan")
    people = world.people
    eligible = [
        art
        for art in world.nights.art
        if art.status == "sold"
        and -world.events[art.event].day_offset > MIN_AGE_DAYS
        and art.code != fx.UNPAID_BUYER_ART
        and people.phone[art.winner]
    ]
    target = world.ctx.spec.targets["payment_reminders"]
    share = min(round(len(eligible) * REMINDER_SHARE), target)
    chosen = sorted(rng.sample(eligible, share), key=_code_order)
    if not chosen:
        return []
    # Works get one reminder each, some a second or third, so the scale's total is met.
    base, extra = divmod(max(target, len(chosen)), len(chosen))
    repeated = set(rng.sample(range(len(chosen)), extra))
    reminders = []
    for k, art in enumerate(chosen):
        count = base + (1 if k in repeated else 0)
        assert art.closing is not None
        sent = art.closing
        for n in range(count):
            sent = min(
                sent + timedelta(days=rng.uniform(3, 20)), world.ctx.as_of - timedelta(hours=2 + n)
            )
            status = "sent" if rng.random() < 0.95 else "failed"
            reminders.append(
                Reminder(f"{art.code}:{n}", art, art.winner, _body(world, art), status, sent)
            )
    return reminders


def _code_order(art: ArtOutcome) -> tuple[int, str]:
    return art.event, art.code


def _body(world: World, art: ArtOutcome) -> str:
    first = world.people.first[art.winner] or "there"
    artists = world.artists
    painter = artists.names[art.artist] if art.artist != NO_ARTIST else "the artist"
    return (
        f"Hi {first}, this is a reminder to complete payment for {art.code} by "
        f"{painter} at {world.events[art.event].name}. Reply HELP for help."
    )


def reminder_table(world: World, reminders: list[Reminder]) -> TableData:
    """The `payment_reminders` rows."""
    ctx = world.ctx
    admin = ctx.uid("auth.users", f"admin:{world.admins[0]}")
    rows: list[Row] = [
        (
            ctx.uid("payment_reminders", r.key),
            r.art.id,
            world.events[r.art.event].id,
            world.people.ids[r.person],
            admin,
            None,
            "sms",
            r.body,
            r.status,
            r.sent_at,
            r.sent_at,
        )
        for r in reminders
    ]
    return TableData("payment_reminders", REMINDER_COLUMNS, rows)
