"""The legacy transactional queue: SMS and email jobs, a few stuck as pending (§8.11)."""

from __future__ import annotations

import random
from datetime import timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.campaigns import SENDERS
from artbattle_ops.demo.generator.world import World

QUEUE_COLUMNS = (
    "id",
    "channel",
    "destination",
    "message_body",
    "metadata",
    "status",
    "priority",
    "send_after",
    "send_immediately",
    "from_phone",
    "retry_count",
    "error_message",
    "person_id",
    "sent_at",
    "created_at",
)
STATUSES = ("sent", "failed", "pending", "processing")
STATUS_WEIGHTS = (90, 4, 4, 2)
TYPES = (
    "vote_confirmation",
    "auction_outbid",
    "auction_winner",
    "event_reminder",
    "ticket_receipt",
)
SPAN_DAYS = 120
STUCK_SHARE = 0.3


def queue_table(world: World) -> TableData:
    """`message_queue` rows; the event link lives only in metadata (no event column)."""
    ctx, people = world.ctx, world.people
    rng = ctx.stream("message_queue")
    events = [e for e in world.events if e.era != "legacy" and e.phase != "never_ran"]
    art_by_event: dict[str, list[str]] = {}
    for art in world.nights.art:
        art_by_event.setdefault(world.events[art.event].eid, []).append(str(art.id))
    reachable = [i for i in range(len(people)) if people.phone[i] or people.email[i]]
    rows: list[Row] = []
    for n in range(ctx.spec.targets["message_queue"]):
        person = rng.choice(reachable)
        sms = bool(people.phone[person]) and (rng.random() < 0.7 or not people.email[person])
        e = rng.choice(events)
        kind = rng.choice(TYPES)
        metadata: dict[str, object] = {"type": kind, "event_id": str(e.id), "eid": e.eid}
        if kind.startswith("auction") and art_by_event.get(e.eid):
            metadata["art_id"] = rng.choice(art_by_event[e.eid])
        body = f"Art Battle update: {kind.replace('_', ' ')}"
        rows.append(_row(world, rng, n, person, sms, (body, metadata), e.city.country.code))
    return TableData("message_queue", QUEUE_COLUMNS, rows)


def _row(
    world: World,
    rng: random.Random,
    n: int,
    person: int,
    sms: bool,
    message: tuple[str, dict[str, object]],
    country: str,
) -> Row:
    ctx, people = world.ctx, world.people
    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
    recent = rng.random() < 0.15
    created = ctx.as_of - timedelta(
        hours=rng.uniform(0.1, 48) if recent else rng.uniform(48, SPAN_DAYS * 24)
    )
    send_after = created
    if status == "pending":
        stuck = rng.random() < STUCK_SHARE
        days_back = rng.uniform(1.5, 10) if stuck else rng.uniform(-0.1, 0.05)
        send_after = ctx.as_of - timedelta(days=days_back)
        created = min(created, send_after - timedelta(minutes=5))
    sent = status == "sent"
    return (
        ctx.uid("message_queue", str(n)),
        "sms" if sms else "email",
        (people.phone[person] if sms else people.email[person]) or "",
        *message,
        status,
        rng.choice((0, 0, 1, 5)),
        send_after,
        rng.random() < 0.2,
        SENDERS[country] if sms else None,
        rng.randint(1, 3) if status == "failed" else 0,
        "Provider timeout" if status == "failed" else None,
        world.people.ids[person],
        send_after + timedelta(seconds=rng.uniform(1, 30)) if sent else None,
        created,
    )
