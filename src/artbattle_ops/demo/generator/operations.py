"""Operations logs: Art Battle's Slack queue, email log and system log (schema.md §8.12)."""

from __future__ import annotations

import random
from datetime import timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.world import World

SLACK_COLUMNS = (
    "id",
    "event_id",
    "channel_id",
    "message_type",
    "payload",
    "status",
    "attempts",
    "last_attempt_at",
    "sent_at",
    "error",
    "created_at",
)
EMAIL_COLUMNS = (
    "id",
    "recipient",
    "sender",
    "subject",
    "status",
    "method",
    "error_message",
    "event_id",
    "sent_at",
    "created_at",
)
SYSTEM_COLUMNS = (
    "id",
    "service",
    "operation",
    "level",
    "message",
    "duration_ms",
    "request_data",
    "error_details",
    "created_at",
)
SLACK_TYPES = (
    "artist_application",
    "artist_confirmation",
    "artist_withdrawal",
    "auction_closed",
    "auction_winner",
    "payment_received",
)
SLACK_STATUSES = ("sent", "failed", "pending", "pending_lookup")
SLACK_WEIGHTS = (94, 3, 2, 1)
SLACK_ERRORS = ("channel_not_found", "not_in_channel", "invalid_blocks", "ratelimited")
SENDERS = ("events@artbattle.example", "payments@artbattle.example", "hello@artbattle.example")
EMAIL_ERRORS = (
    "MessageRejected: Email address is not verified",
    "Throttling: Maximum sending rate exceeded",
)
SUBJECTS = (
    "You're invited to paint at {eid}",
    "Your Art Battle receipt",
    "Payment received for your artwork",
    "Set up your payout account",
)
EMAIL_SPAN_DAYS = 100
SLACK_SPAN_DAYS = 120
OTHER_SERVICES = (
    ("eventbrite", "fetch_sales_report"),
    ("auction", "close_auctions"),
    ("artist_payments", "process_payout"),
)


def operations_tables(world: World) -> list[TableData]:
    """Slack notifications, email logs and system logs."""
    return [
        TableData("slack_notifications", SLACK_COLUMNS, _slack(world)),
        TableData("email_logs", EMAIL_COLUMNS, _emails(world)),
        TableData("system_logs", SYSTEM_COLUMNS, _system(world)),
    ]


def _slack(world: World) -> list[Row]:
    """Mostly sent; a few failed, and a few pending ones stuck for more than an hour."""
    ctx = world.ctx
    rng = ctx.stream("slack_notifications")
    events = [e for e in world.events if e.era != "legacy"]
    rows: list[Row] = []
    for n in range(ctx.spec.targets["slack_notifications"]):
        e = rng.choice(events)
        kind = rng.choice(SLACK_TYPES)
        status = rng.choices(SLACK_STATUSES, SLACK_WEIGHTS)[0]
        minutes = (
            rng.uniform(1, 30)
            if status == "pending" and n % 3
            else rng.uniform(70, SLACK_SPAN_DAYS * 1440)
        )
        created = ctx.as_of - timedelta(minutes=minutes)
        attempts = 1 if status == "sent" else rng.randint(1, 5) if status == "failed" else 0
        sent = created + timedelta(seconds=rng.uniform(1, 20)) if status == "sent" else None
        rows.append(
            (
                ctx.uid("slack_notifications", str(n)),
                e.id,
                f"C0{e.id.hex[:9].upper()}",
                kind,
                {"text": f"{kind.replace('_', ' ').capitalize()} for {e.eid}"},
                status,
                attempts,
                sent or (created + timedelta(seconds=30) if attempts else None),
                sent,
                rng.choice(SLACK_ERRORS) if status == "failed" else None,
                created,
            )
        )
    return rows


def _emails(world: World) -> list[Row]:
    """97% sent; spread so that the last 24 hours hold about 1% of rows."""
    ctx, people = world.ctx, world.people
    rng = ctx.stream("email_logs")
    addresses = [e for e in people.email if e]
    events = [e for e in world.events if e.era != "legacy"]
    rows: list[Row] = []
    for n in range(ctx.spec.targets["email_logs"]):
        sent = ctx.as_of - timedelta(days=rng.uniform(0, EMAIL_SPAN_DAYS))
        failed = rng.random() < 0.03
        e = rng.choice(events)
        subject = rng.choice(SUBJECTS).format(eid=e.eid)
        rows.append(
            (
                ctx.uid("email_logs", str(n)),
                rng.choice(addresses),
                rng.choice(SENDERS),
                subject,
                "failed" if failed else "sent",
                "aws_ses_api",
                rng.choice(EMAIL_ERRORS) if failed else None,
                e.id if rng.random() < 0.1 else None,
                sent,
                sent + timedelta(milliseconds=rng.uniform(0, 900)),
            )
        )
    return rows


def _system(world: World) -> list[Row]:
    """The daily 03:00 UTC vote-weight refresh, plus Eventbrite, auction and payout entries."""
    ctx = world.ctx
    rng = ctx.stream("system_logs")
    days = ctx.spec.daily_log_days
    people = sum(1 for phone in world.people.phone if phone)
    rows: list[Row] = []
    midnight = ctx.as_of.replace(hour=3, minute=0, second=0, microsecond=0)
    for day in range(days, 0, -1):
        at = midnight - timedelta(days=day)
        seconds = rng.uniform(0.3, 4.0)
        message = f"Vote weights refreshed successfully: {people} rows in 00:00:{seconds:09.6f}"
        rows.append(
            (
                ctx.uid("system_logs", f"refresh:{day}"),
                "vote_weights",
                "refresh_materialized_view",
                "info",
                message,
                int(seconds * 1000),
                {"rows": people, "concurrent": True},
                None,
                at,
            )
        )
    for n in range(ctx.spec.targets["system_logs"] - days):
        rows.append(_other_log(world, rng, n))
    return rows


def _other_log(world: World, rng: random.Random, n: int) -> Row:
    ctx = world.ctx
    service, operation = rng.choice(OTHER_SERVICES)
    error = rng.random() < 0.02
    at = ctx.as_of - timedelta(days=rng.uniform(0, ctx.spec.daily_log_days))
    message = f"{operation.replace('_', ' ')} {'failed' if error else 'completed'}"
    return (
        ctx.uid("system_logs", str(n)),
        service,
        operation,
        "error" if error else "info",
        message,
        rng.randint(20, 8000),
        {"batch": n % 50},
        {"error": "upstream timeout"} if error else None,
        at,
    )
