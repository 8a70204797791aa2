"""Offers and their redemptions, sponsorship invites and purchases (schema.md §8.13)."""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.context import money, stratified
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.vocabulary import FIRST_NAMES, LAST_NAMES
from artbattle_ops.demo.generator.world import World

OFFER_COLUMNS = (
    "id",
    "name",
    "description",
    "terms",
    "type",
    "value",
    "currency",
    "geography_scope",
    "min_recency_score",
    "max_recency_score",
    "min_frequency_score",
    "max_frequency_score",
    "min_monetary_score",
    "max_monetary_score",
    "total_inventory",
    "redeemed_count",
    "active",
    "start_date",
    "end_date",
    "display_order",
    "redemption_link",
    "redemption_message",
    "created_at",
    "updated_at",
)
REDEMPTION_COLUMNS = (
    "id",
    "offer_id",
    "user_id",
    "user_email",
    "redemption_code",
    "status",
    "metadata",
    "redeemed_at",
    "created_at",
)
INVITE_COLUMNS = (
    "id",
    "event_id",
    "hash",
    "prospect_name",
    "prospect_email",
    "prospect_company",
    "discount_percent",
    "valid_until",
    "max_uses",
    "use_count",
    "notes",
    "created_by",
    "skip_multi_event",
    "last_viewed_at",
    "view_count",
    "created_at",
)
PURCHASE_COLUMNS = (
    "id",
    "event_id",
    "invite_id",
    "stripe_payment_intent_id",
    "stripe_checkout_session_id",
    "buyer_name",
    "buyer_email",
    "buyer_company",
    "buyer_phone",
    "main_package_id",
    "addon_package_ids",
    "package_details",
    "subtotal",
    "discount_percent",
    "discount_amount",
    "tax_amount",
    "total_amount",
    "currency",
    "payment_status",
    "fulfillment_status",
    "created_at",
    "updated_at",
    "paid_at",
)
OFFER_TYPES = (
    "ticket",
    "offer",
    "experience",
    "discount",
    "offer-new",
    "merchandise",
    "auction_credit",
)
PACKAGES = (("Gold Easel", 1500), ("Silver Easel", 800), ("Community Partner", 400))
ADDONS = (("Logo on screen", 150), ("VIP table", 300), ("Social shout-out", 100))
PAYMENT = ("paid", "pending", "failed", "refunded")
PAYMENT_WEIGHTS = (60, 25, 10, 5)
COMPANIES = (
    "Maple Brewing",
    "Northside Realty",
    "Harbour Credit Union",
    "Pixel Studio",
    "Cedar Coffee",
    "Lantern Books",
)


def offer_tables(world: World) -> list[TableData]:
    """Offers, redemptions, sponsorship invites and purchases, in load order."""
    offers, redemptions = _offers(world)
    invites, chosen = _invites(world)
    return [
        TableData("offers", OFFER_COLUMNS, offers),
        TableData("offer_redemptions", REDEMPTION_COLUMNS, redemptions),
        TableData("sponsorship_invites", INVITE_COLUMNS, invites),
        TableData("sponsorship_purchases", PURCHASE_COLUMNS, _purchases(world, chosen)),
    ]


def _offers(world: World) -> tuple[list[Row], list[Row]]:
    """60% active; about 15% of the active ones expired; one active offer sold out."""
    ctx, people = world.ctx, world.people
    rng = ctx.stream("offers")
    count = ctx.spec.offers
    total = ctx.spec.targets["offer_redemptions"]
    shares = stratified(rng, count)
    per_offer = [round(total * s / sum(shares)) for s in shares]
    active = [k < round(count * 0.6) for k in range(count)]
    expired = {k for k in range(count) if active[k] and k % 7 == 3}
    sold_out = 0
    emails = [i for i in range(len(people)) if people.email[i]]
    cities = [c.name for c in world.ref.cities]
    offers: list[Row] = []
    redemptions: list[Row] = []
    for k in range(count):
        oid = ctx.uid("offers", str(k))
        start = ctx.as_of - timedelta(days=rng.uniform(20, 200))
        end = (
            ctx.as_of - timedelta(days=rng.uniform(1, 15))
            if k in expired
            else (ctx.as_of + timedelta(days=rng.uniform(10, 120)))
        )
        redeemed = per_offer[k]
        inventory = redeemed if k == sold_out else redeemed + rng.randint(5, 200)
        scope = [] if rng.random() < 0.5 else rng.sample(cities, rng.randint(1, 3))
        kind = OFFER_TYPES[k % len(OFFER_TYPES)]
        offers.append(
            (
                oid,
                f"{kind.replace('_', ' ').title()} offer {k + 1}",
                "A thank-you for coming out to Art Battle.",
                "One per customer.",
                kind,
                money(rng.choice((5, 10, 15, 20, 25))),
                "CAD",
                scope,
                0,
                5,
                0,
                5,
                0,
                5,
                inventory,
                redeemed,
                active[k],
                start,
                end,
                k,
                "https://artbattle.example/offers",
                "Show this message at the door.",
                start,
                start,
            )
        )
        for n in range(redeemed):
            person = rng.choice(emails)
            at = start + (min(end, ctx.as_of) - start) * rng.random()
            redemptions.append(
                (
                    ctx.uid("offer_redemptions", f"{k}:{n}"),
                    oid,
                    people.ids[person],
                    people.email[person],
                    f"R{k:02d}{n:05d}",
                    "redeemed",
                    {"channel": "app"},
                    at,
                    at,
                )
            )
    return offers, redemptions


def _invites(world: World) -> tuple[list[Row], list[tuple[Row, Event]]]:
    """On recent and upcoming events, 1-5 invites each, `valid_until` the event date."""
    ctx = world.ctx
    rng = ctx.stream("sponsorship_invites")
    target = ctx.spec.targets["sponsorship_invites"]
    eligible = [e for e in world.events if e.era != "legacy" and e.phase != "never_ran"]
    count = max(round(len(eligible) * 0.2), math.ceil(target / 3))
    chosen = sorted(rng.sample(eligible, min(count, len(eligible))), key=lambda e: e.eid)
    sizes = [
        target // len(chosen) + (1 if k < target % len(chosen) else 0) for k in range(len(chosen))
    ]
    rows: list[Row] = []
    pairs: list[tuple[Row, Event]] = []
    for e, size in zip(chosen, sizes, strict=True):
        for n in range(size):
            row = _invite(world, rng, e, n)
            rows.append(row)
            pairs.append((row, e))
    return rows, pairs


def _invite(world: World, rng: random.Random, e: Event, n: int) -> Row:
    ctx = world.ctx
    identifier = ctx.uid("sponsorship_invites", f"{e.eid}:{n}")
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    views = rng.randint(0, 30)
    created = min(e.start - timedelta(days=rng.uniform(10, 60)), ctx.as_of - timedelta(days=1))
    viewed = created + (ctx.as_of - created) * rng.random() if views else None
    return (
        identifier,
        e.id,
        identifier.hex[:16],
        name,
        f"{name.lower().replace(' ', '.')}@example.org",
        rng.choice(COMPANIES),
        Decimal(rng.choice((0, 10, 15, 20))),
        e.start,
        1,
        0,
        "Met at the last show." if rng.random() < 0.3 else None,
        rng.choice(world.admins),
        rng.random() < 0.2,
        viewed,
        views,
        created,
    )


def _purchases(world: World, invites: list[tuple[Row, Event]]) -> list[Row]:
    """For about half the invites; in the event's currency, so totals span currencies."""
    ctx = world.ctx
    rng = ctx.stream("sponsorship_purchases")
    target = ctx.spec.targets["sponsorship_purchases"]
    rows: list[Row] = []
    for invite, e in rng.sample(invites, min(target, len(invites))):
        main, price = rng.choice(PACKAGES)
        addons = rng.sample(ADDONS, rng.randint(0, 2))
        subtotal = money(price + sum(p for _, p in addons))
        discount = money(subtotal * invite[6] / 100)
        tax = money((subtotal - discount) * Decimal("0.13"))
        status = rng.choices(PAYMENT, PAYMENT_WEIGHTS)[0]
        created = invite[15] + timedelta(days=rng.uniform(1, 9))
        created = min(created, ctx.as_of - timedelta(hours=1))
        paid = created + timedelta(minutes=3) if status in ("paid", "refunded") else None
        key = str(invite[0])
        rows.append(
            (
                ctx.uid("sponsorship_purchases", key),
                e.id,
                invite[0],
                f"pi_{invite[0].hex[:24]}",
                f"cs_{invite[0].hex[:24]}",
                invite[3],
                invite[4],
                invite[5],
                None,
                ctx.uid("sponsorship_packages", main),
                [ctx.uid("sponsorship_packages", a) for a, _ in addons],
                {
                    "main_package": {"name": main, "price": price},
                    "addons": [{"name": a, "price": p} for a, p in addons],
                },
                subtotal,
                invite[6],
                discount,
                tax,
                subtotal - discount + tax,
                e.currency or "USD",
                status,
                "completed" if status == "paid" and rng.random() < 0.5 else "pending",
                created,
                paid or created,
                paid,
            )
        )
    return rows
