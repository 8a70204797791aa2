"""SMS marketing: templates, campaigns and the messages each campaign sent (schema.md §8.11)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from artbattle_ops.demo.dataset import Row
from artbattle_ops.demo.generator.context import stratified
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.world import World

SENDERS = {
    "CA": "+18335550100",
    "US": "+18335550101",
    "AU": "+61491570156",
    "NZ": "+6421555010",
    "TH": "+66855501000",
    "NL": "+31655501000",
    "GB": "+447700900100",
    "JP": "+818055501000",
    "CN": "+8615555501000",
}
DELIVERY = ("delivered", "sent", "failed", "undelivered")
DELIVERY_WEIGHTS = (90, 4, 3, 3)
DELIVERY_ERRORS = (
    "Carrier rejected message",
    "Unreachable destination handset",
    "Message expired before delivery",
)
CAMPAIGN_SHARE = 0.75
SENDING = ("completed", "in_progress", "paused", "failed")
OTHERS_CYCLE = ("in_progress", "draft", "scheduled", "paused", "test", "failed", "queued")
TEMPLATES = (
    (
        "Event announcement",
        "Art Battle {city} is back! Grab tickets before they sell out: "
        "https://artbattle.example/{eid} Reply STOP to opt out.",
        "announcement",
    ),
    (
        "Last call",
        "Tonight's the night: Art Battle {city} starts at 7pm. See you there! "
        "Reply STOP to opt out.",
        "reminder",
    ),
    (
        "Early bird",
        "Early bird tickets for Art Battle {city} are open for 48 hours only: "
        "https://artbattle.example/{eid} Reply STOP to opt out.",
        "promotion",
    ),
)
TEMPLATE_COLUMNS = ("id", "name", "message_template", "category", "created_at", "updated_at")
CAMPAIGN_COLUMNS = (
    "id",
    "name",
    "description",
    "template_id",
    "status",
    "recipient_list",
    "total_recipients",
    "messages_sent",
    "messages_delivered",
    "messages_failed",
    "replies_received",
    "opt_outs",
    "scheduled_at",
    "started_at",
    "completed_at",
    "created_by",
    "metadata",
    "targeting_criteria",
    "total_cost_cents",
    "event_id",
    "created_at",
    "updated_at",
)


@dataclass
class Campaign:
    """One campaign while it is generated; counters fill in as messages are written."""

    id: uuid.UUID
    name: str
    status: str
    event: Event
    linked: bool
    text: str
    template: int | None
    at: datetime
    recipients: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    replies: int = 0
    opt_outs: int = 0
    cost: int = 0


def plan_campaigns(world: World) -> list[Campaign]:
    """Campaigns, mostly completed, each aimed at one city's reachable audience."""
    ctx = world.ctx
    rng = ctx.stream("sms_marketing_campaigns")
    count = ctx.spec.campaigns
    statuses = _statuses(rng, count)
    sending = [s in SENDING for s in statuses]
    budget = ctx.spec.targets["sms_outbound"] * CAMPAIGN_SHARE
    shares = stratified(rng, count)
    events = [e for e in world.events if e.era != "legacy" and e.phase != "never_ran"]
    audiences = _audiences(world)
    campaigns = []
    for n, status in enumerate(statuses):
        e = rng.choice(events)
        template = rng.randrange(len(TEMPLATES))
        text = TEMPLATES[template][1].format(city=e.city.name, eid=e.eid)
        audience = audiences[e.city.ordinal]
        quota = round(budget / max(sum(sending), 1) * (0.5 + shares[n])) if sending[n] else 0
        size = min(len(audience), quota or rng.randint(50, 400), 6300)
        recipients = rng.sample(audience, size) if audience else []
        at = _moment(ctx.as_of, e, status, rng)
        campaigns.append(
            Campaign(
                ctx.uid("sms_marketing_campaigns", str(n)),
                f"{e.city.name} {TEMPLATES[template][0]}",
                status,
                e,
                rng.random() < 0.7,
                text,
                template if rng.random() < 0.1 else None,
                at,
                recipients,
            )
        )
    return campaigns


def _statuses(rng: random.Random, count: int) -> list[str]:
    completed = round(count * 0.6)
    others = [OTHERS_CYCLE[k % len(OTHERS_CYCLE)] for k in range(count - completed)]
    statuses = ["completed"] * completed + others
    rng.shuffle(statuses)
    return statuses


def _audiences(world: World) -> list[list[int]]:
    """People with a phone who have not opted out, per home city."""
    people = world.people
    cities: list[list[int]] = [[] for _ in world.ref.cities]
    for i in range(len(people)):
        if people.phone[i] and not people.blocked[i] and people.merged_into[i] < 0:
            cities[people.city[i]].append(i)
    return cities


def _moment(as_of: datetime, e: Event, status: str, rng: random.Random) -> datetime:
    """When the campaign ran or will run: before its event, never in the future once sent."""
    if status in ("scheduled", "queued"):
        return as_of + timedelta(days=rng.uniform(1, 10))
    at = e.start - timedelta(days=rng.uniform(2, 10))
    return min(at, as_of - timedelta(hours=rng.uniform(2, 48)))


def campaign_messages(world: World, campaign: Campaign, rows: list[Row]) -> None:
    """The campaign's `sms_outbound` rows; an in-progress campaign still has pending ones."""
    if campaign.status not in SENDING:
        return
    ctx, people = world.ctx, world.people
    rng = ctx.stream(f"sms_outbound:{campaign.id}")
    sender = SENDERS[campaign.event.city.country.code]
    unsent = 0.35 if campaign.status in ("in_progress", "paused") else 0.0
    for k, person in enumerate(campaign.recipients):
        at = campaign.at + timedelta(seconds=k * 0.5 + rng.uniform(0, 2))
        status = "pending" if rng.random() < unsent else rng.choices(DELIVERY, DELIVERY_WEIGHTS)[0]
        if campaign.status == "failed" and status != "pending" and rng.random() < 0.3:
            status = "failed"
        campaign.counts[status] = campaign.counts.get(status, 0) + 1
        rows.append(
            outbound_row(
                ctx.uid("sms_outbound", f"{campaign.id}:{k}"),
                campaign.id,
                people.phone[person] or "",
                sender,
                campaign.text,
                status,
                at,
                rng,
                {"campaign": str(campaign.id)},
            )
        )
        campaign.cost += rows[-1][11] or 0


def outbound_row(
    identifier: uuid.UUID,
    campaign: uuid.UUID | None,
    to_phone: str,
    from_phone: str,
    body: str,
    status: str,
    at: datetime,
    rng: random.Random,
    metadata: dict[str, object],
) -> Row:
    """One `sms_outbound` row with its delivery timestamps."""
    parts = 1 if len(body) <= 160 else 2
    sent = None if status == "pending" else at
    failed = status in ("failed", "undelivered")
    return (
        identifier,
        f"40{identifier.hex[:30]}" if sent else None,
        campaign,
        None,
        to_phone,
        from_phone,
        body,
        len(body),
        parts,
        status,
        None if status == "pending" else status.replace("undelivered", "delivery_failed"),
        parts * rng.choice((1, 2)) if sent else None,
        rng.choice(DELIVERY_ERRORS) if failed else None,
        metadata,
        sent,
        at + timedelta(seconds=rng.uniform(1, 20)) if status == "delivered" else None,
        at + timedelta(seconds=rng.uniform(1, 60)) if failed else None,
        at,
        sent or at,
    )


def campaign_rows(world: World, campaigns: list[Campaign]) -> tuple[list[Row], list[Row]]:
    """Template rows and campaign rows, with counters equal to their messages."""
    ctx = world.ctx
    made = ctx.days_ago(400)
    templates: list[Row] = [
        (ctx.uid("sms_marketing_templates", name), name, text, category, made, made)
        for name, text, category in TEMPLATES
    ]
    creator = ctx.uid("auth.users", f"admin:{world.admins[0]}")
    rows: list[Row] = []
    for c in campaigns:
        counts, e = c.counts, c.event
        sent = sum(counts.values()) - counts.get("pending", 0)
        done = c.status in SENDING
        template_id = templates[c.template][0] if c.template is not None else None
        rows.append(
            (
                c.id,
                c.name,
                f"SMS blast for {e.eid}",
                template_id,
                c.status,
                None,
                len(c.recipients),
                sent,
                counts.get("delivered", 0),
                counts.get("failed", 0) + counts.get("undelivered", 0),
                c.replies,
                c.opt_outs,
                c.at if c.status != "draft" else None,
                c.at if done else None,
                c.at + timedelta(minutes=30) if c.status == "completed" else None,
                creator,
                {
                    "message_template": c.text,
                    "recipient_data": [],
                    "scheduled_timezone": e.city.zone_name,
                    "scheduled_local_time": "18:00",
                    "dry_run_mode": c.status == "test",
                    "blocked_count": 0,
                    "estimated_segments": 1,
                },
                {"cities": [e.city.name], "events": [e.eid]},
                c.cost,
                e.id if c.linked else None,
                c.at - timedelta(days=2),
                c.at if done else c.at - timedelta(days=1),
            )
        )
    return templates, rows
