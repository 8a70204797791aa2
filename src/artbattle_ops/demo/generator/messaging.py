"""SMS traffic and the legacy message queue: outbound, inbound replies, opt-outs (§8.11)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.campaigns import (
    CAMPAIGN_COLUMNS,
    SENDERS,
    TEMPLATE_COLUMNS,
    Campaign,
    campaign_messages,
    campaign_rows,
    outbound_row,
    plan_campaigns,
)
from artbattle_ops.demo.generator.conversation import conversation_rows
from artbattle_ops.demo.generator.queue import queue_table
from artbattle_ops.demo.generator.reminders import SENDER, plan_reminders
from artbattle_ops.demo.generator.world import World

OUTBOUND_COLUMNS = (
    "id",
    "telnyx_message_id",
    "campaign_id",
    "template_id",
    "to_phone",
    "from_phone",
    "message_body",
    "character_count",
    "message_parts",
    "status",
    "telnyx_status",
    "cost_cents",
    "error_message",
    "metadata",
    "sent_at",
    "delivered_at",
    "failed_at",
    "created_at",
    "updated_at",
)
INBOUND_COLUMNS = (
    "id",
    "telnyx_message_id",
    "from_phone",
    "to_phone",
    "message_body",
    "character_count",
    "direction",
    "telnyx_data",
    "is_stop_request",
    "is_help_request",
    "auto_replied",
    "processed",
    "created_at",
)
STOP_SHARE = 0.25
REPLIES = (
    "Thanks!",
    "HELP",
    "What time do doors open?",
    "Can I bring a friend?",
    "See you there",
    "Is there parking nearby?",
)
STOP_REPLY = "You have been unsubscribed from Art Battle messages. Reply START to resubscribe."
HELP_REPLY = "Art Battle: for help email help@artbattle.example. Reply STOP to opt out."
UNPROCESSED = 3


def messaging_tables(world: World) -> list[TableData]:
    """Templates, campaigns, outbound, inbound and the message queue, in load order."""
    campaigns = plan_campaigns(world)
    outbound: list[Row] = []
    for campaign in campaigns:
        campaign_messages(world, campaign, outbound)
    inbound: list[Row] = []
    _replies(world, campaigns, outbound, inbound)
    _transactional(world, outbound)
    conversation_rows(world, outbound, inbound)
    _mark_unprocessed(inbound)
    templates, campaign_table = campaign_rows(world, campaigns)
    return [
        TableData("sms_marketing_templates", TEMPLATE_COLUMNS, templates),
        TableData("sms_marketing_campaigns", CAMPAIGN_COLUMNS, campaign_table),
        TableData("sms_outbound", OUTBOUND_COLUMNS, outbound),
        TableData("sms_inbound", INBOUND_COLUMNS, inbound),
        queue_table(world),
    ]


def inbound_row(
    world: World,
    key: str,
    phone: str,
    to_phone: str,
    body: str,
    at: datetime,
) -> Row:
    """One `sms_inbound` row; STOP and HELP are flagged and auto-replied."""
    identifier = world.ctx.uid("sms_inbound", key)
    word = body.strip().upper()
    special = word in ("STOP", "HELP")
    return (
        identifier,
        f"in-{identifier.hex}",
        phone,
        to_phone,
        body,
        len(body),
        "inbound",
        {"carrier": "demo"},
        word == "STOP",
        word == "HELP",
        special,
        True,
        at,
    )


def _replies(
    world: World, campaigns: list[Campaign], outbound: list[Row], inbound: list[Row]
) -> None:
    """2-5% of recipients answer (1-3 texts); blocked people's STOPs answer older texts."""
    ctx, people = world.ctx, world.people
    rng = ctx.stream("sms_inbound")
    target = ctx.spec.targets["sms_inbound"]
    stops = _stops(world, rng, round(target * STOP_SHARE), outbound, inbound)
    budget = target - stops - 3
    sent = [c for c in campaigns if c.recipients and c.counts]
    replied: set[tuple[object, int]] = set()
    while budget > 0 and sent:
        c = rng.choice(sent)
        person = rng.choice(c.recipients)
        if (c.id, person) in replied:
            continue
        replied.add((c.id, person))
        phone = people.phone[person] or ""
        sender = SENDERS[c.event.city.country.code]
        at = c.at + timedelta(minutes=rng.uniform(2, 600))
        for k in range(min(rng.randint(1, 3), budget)):
            body = rng.choice(REPLIES)
            key = f"{c.id}:{person}:{k}"
            inbound.append(inbound_row(world, key, phone, sender, body, at))
            c.replies += 1
            budget -= 1
            if body == "HELP":
                _auto_reply(world, rng, key, phone, sender, HELP_REPLY, at, outbound)
            at += timedelta(minutes=rng.uniform(1, 90))


def _stops(
    world: World, rng: random.Random, count: int, outbound: list[Row], inbound: list[Row]
) -> int:
    """Opted-out people: a vote confirmation, their STOP, and the unsubscribe notice."""
    people = world.people
    blocked = [
        i
        for i in range(len(people))
        if people.blocked[i]
        and people.phone[i]
        and people.first_seen[i] is not None
        and i not in people.fixture.values()
    ]
    chosen = rng.sample(blocked, min(count, len(blocked)))
    for person in chosen:
        phone = people.phone[person] or ""
        sender = SENDERS[world.ref.cities[people.city[person]].country.code]
        first = people.first_seen[person]
        assert first is not None
        at = min(first + timedelta(minutes=5), world.ctx.as_of - timedelta(days=1))
        key = f"stop:{person}"
        outbound.append(
            outbound_row(
                world.ctx.uid("sms_outbound", key),
                None,
                phone,
                sender,
                "Thanks for voting at Art Battle tonight!",
                "delivered",
                at,
                rng,
                {"type": "vote_confirmation"},
            )
        )
        reply_at = at + timedelta(minutes=rng.uniform(1, 120))
        inbound.append(inbound_row(world, key, phone, sender, "STOP", reply_at))
        _auto_reply(world, rng, key, phone, sender, STOP_REPLY, reply_at, outbound)
    return len(chosen)


def _auto_reply(
    world: World,
    rng: random.Random,
    key: str,
    phone: str,
    sender: str,
    body: str,
    at: datetime,
    outbound: list[Row],
) -> None:
    outbound.append(
        outbound_row(
            world.ctx.uid("sms_outbound", f"auto:{key}"),
            None,
            phone,
            sender,
            body,
            "delivered",
            at + timedelta(seconds=3),
            rng,
            {"type": "auto_reply"},
        )
    )


def _transactional(world: World, outbound: list[Row]) -> None:
    """Payment reminders, auction-winner notices, then vote confirmations up to the target."""
    ctx, people = world.ctx, world.people
    rng = ctx.stream("sms_outbound:transactional")
    for r in plan_reminders(world):
        e = world.events[r.art.event]
        status = "delivered" if r.status == "sent" else "failed"
        outbound.append(
            outbound_row(
                ctx.uid("sms_outbound", f"reminder:{r.key}"),
                None,
                people.phone[r.person] or "",
                SENDER,
                r.body,
                status,
                r.sent_at,
                rng,
                {"type": "payment_reminder", "art_id": str(r.art.id), "event_id": str(e.id)},
            )
        )
    budget = ctx.spec.targets["sms_outbound"] - len(outbound)
    winners = [
        a
        for a in world.nights.art
        if a.winner >= 0
        and people.phone[a.winner]
        and a.closing is not None
        and -world.events[a.event].day_offset <= 400
    ]
    for art in rng.sample(winners, min(len(winners), budget // 3)):
        e = world.events[art.event]
        assert art.closing is not None
        body = f"Congratulations! You won {art.code} at {e.name} with a bid of {art.price}."
        outbound.append(
            outbound_row(
                ctx.uid("sms_outbound", f"winner:{art.code}"),
                None,
                people.phone[art.winner] or "",
                SENDERS[e.city.country.code],
                body,
                _delivery(rng),
                art.closing,
                rng,
                {"type": "auction_winner", "art_id": str(art.id), "event_id": str(e.id)},
            )
        )
    _vote_confirmations(world, rng, ctx.spec.targets["sms_outbound"] - len(outbound), outbound)


def _vote_confirmations(world: World, rng: random.Random, count: int, outbound: list[Row]) -> None:
    people = world.people
    recent = [e for e in world.events if e.has_night and e.era != "legacy"]
    per_event = max(1, count // max(len(recent), 1))
    for e in recent:
        voters = [
            p
            for p in world.nights.voters.get(e.eid, [])
            if people.phone[p] and not people.blocked[p]
        ]
        for person in rng.sample(voters, min(len(voters), per_event, count)):
            at = e.start + timedelta(minutes=rng.uniform(5, 150))
            outbound.append(
                outbound_row(
                    world.ctx.uid("sms_outbound", f"vote:{e.eid}:{person}"),
                    None,
                    people.phone[person] or "",
                    SENDERS[e.city.country.code],
                    f"Thanks for voting at {e.name}! Your vote has been counted.",
                    _delivery(rng),
                    min(at, world.ctx.as_of - timedelta(seconds=30)),
                    rng,
                    {"type": "vote_confirmation", "event_id": str(e.id), "eid": e.eid},
                )
            )
            count -= 1


def _delivery(rng: random.Random) -> str:
    return rng.choices(("delivered", "sent", "failed", "undelivered"), (92, 4, 2, 2))[0]


def _mark_unprocessed(inbound: list[Row]) -> None:
    """The newest few plain replies are still waiting to be processed."""
    plain = [k for k, row in enumerate(inbound) if not row[8] and not row[9]]
    for k in sorted(plain, key=lambda k: inbound[k][12])[-UNPROCESSED:]:
        inbound[k] = (*inbound[k][:11], False, inbound[k][12])
