"""Manual payment requests and payout-setup invitations sent to artists (schema.md §8.7)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.context import money
from artbattle_ops.demo.generator.payouts import Ledger
from artbattle_ops.demo.generator.people import NO_PERSON
from artbattle_ops.demo.generator.world import World

REQUEST_COLUMNS = (
    "id",
    "artist_profile_id",
    "person_id",
    "payment_method",
    "payment_details",
    "country_code",
    "preferred_currency",
    "status",
    "admin_notes",
    "processed_by",
    "processed_at",
    "requested_amount",
    "events_referenced",
    "created_at",
    "updated_at",
)
SETUP_COLUMNS = (
    "id",
    "artist_profile_id",
    "invitation_method",
    "recipient_email",
    "recipient_phone",
    "sent_by",
    "sent_at",
    "status",
    "invitation_type",
    "message_content",
    "delivery_metadata",
    "error_message",
    "created_at",
    "updated_at",
)
REQUEST_METHODS = ("zelle", "swift", "paypal", "interac", "cashapp", "other")
CLOSED_STATUSES = ("in_review", "approved", "paid", "rejected")
SETUP_TYPES = ("payment_setup", "reminder", "follow_up")
SETUP_STATUSES = ("sent", "delivered", "failed", "opened", "clicked")
SETUP_WEIGHTS = (25, 35, 8, 20, 12)


def request_table(world: World, ledger: Ledger) -> TableData:
    """About 3% of artists; Diego Alvarez's pending request names AB4001 and AB4004."""
    rng = world.ctx.stream("artist_manual_payment_requests")
    artists = world.artists
    credited: dict[int, list[str]] = defaultdict(list)
    for p in ledger.pairs:
        credited[p.artist].append(world.events[p.event].eid)
    owed: dict[int, Decimal] = defaultdict(Decimal)
    for (a, _), amount in ledger.owed.items():
        owed[a] += amount
    diego = artists.fixture["diego_alvarez"]
    others = sorted(a for a in credited if a != diego and artists.person[a] != NO_PERSON)
    target = world.ctx.spec.targets["artist_manual_payment_requests"]
    chosen = [diego, *rng.sample(others, min(len(others), target - 1))]

    rows: list[Row] = []
    for a in chosen:
        eids = (
            ["AB4001", "AB4004"]
            if a == diego
            else sorted(rng.sample(credited[a], min(len(credited[a]), rng.randint(1, 4))))
        )
        pending = a == diego or (a in owed and rng.random() < 0.6)
        status = "pending" if pending else rng.choice(CLOSED_STATUSES)
        rows.append(_request(world, rng, a, eids, status, owed.get(a)))
    return TableData("artist_manual_payment_requests", REQUEST_COLUMNS, rows)


def _request(
    world: World,
    rng: random.Random,
    a: int,
    eids: list[str],
    status: str,
    owed: Decimal | None,
) -> Row:
    artists, ctx = world.artists, world.ctx
    country = world.ref.cities[artists.city[a]].country
    amount = money(owed * Decimal(rng.uniform(0.97, 1.03))) if owed else money(rng.randint(40, 400))
    created = ctx.as_of - timedelta(days=rng.uniform(1, 120))
    processed = None if status == "pending" else created + timedelta(days=rng.uniform(1, 10))
    processed = min(processed, ctx.as_of) if processed else None
    return (
        ctx.uid("artist_manual_payment_requests", str(artists.ids[a])),
        artists.ids[a],
        world.people.ids[artists.person[a]],
        rng.choice(REQUEST_METHODS),
        f"Account ending {rng.randint(1000, 9999)} (demo)",
        country.code,
        country.currency,
        status,
        "Checked against the ledger." if processed else None,
        None,
        processed,
        amount,
        eids,
        created,
        processed or created,
    )


def setup_table(world: World, ledger: Ledger, statuses: dict[int, str]) -> TableData:
    """1-3 invitations per owed artist without a ready account, then onboarding history."""
    rng = world.ctx.stream("payment_setup_invitations")
    owed = sorted({a for a, _ in ledger.owed if statuses.get(a) != "ready"})
    onboarding = sorted(a for a, s in statuses.items() if s in ("invited", "in_review"))
    ready = sorted(a for a, s in statuses.items() if s == "ready")
    rng.shuffle(ready)
    target = world.ctx.spec.targets["payment_setup_invitations"]

    rows: list[Row] = []
    for a in owed:
        _invitations(world, rng, a, rng.randint(1, 3), rows)
    for a in dict.fromkeys(a for a in [*onboarding, *ready] if a not in owed):
        if len(rows) >= target:
            break
        _invitations(world, rng, a, rng.randint(1, 2), rows)
    return TableData("payment_setup_invitations", SETUP_COLUMNS, rows)


def _invitations(world: World, rng: random.Random, a: int, count: int, rows: list[Row]) -> None:
    artists, people, ctx = world.artists, world.people, world.ctx
    person = artists.person[a]
    email = people.email[person] if person != NO_PERSON else None
    phone = people.phone[person] if person != NO_PERSON else None
    sent = ctx.as_of - timedelta(days=rng.uniform(20, 200))
    for n in range(count):
        method = "both" if email and phone else "email" if email else "sms"
        status = rng.choices(SETUP_STATUSES, SETUP_WEIGHTS)[0]
        rows.append(
            (
                ctx.uid("payment_setup_invitations", f"{artists.ids[a]}:{n}"),
                artists.ids[a],
                method,
                email,
                phone,
                rng.choice(world.admins),
                sent,
                status,
                SETUP_TYPES[n],
                f"Hi {artists.names[a].split()[0]}, set up your payout account to receive your "
                "Art Battle sales.",
                {"provider": "ses" if method != "sms" else "telnyx"},
                "Mailbox unavailable" if status == "failed" else None,
                sent,
                sent,
            )
        )
        sent = min(sent + timedelta(days=rng.uniform(3, 14)), ctx.as_of - timedelta(hours=1))
