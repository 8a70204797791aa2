"""Eventbrite snapshots and orders, Meta ads cron runs and analyses (schema.md §8.10, §8.13)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.context import money, naive_utc
from artbattle_ops.demo.generator.events import AD_WINDOW_DAYS, Event
from artbattle_ops.demo.generator.sales import SalesCurve, snapshot_times
from artbattle_ops.demo.generator.world import World

CACHE_COLUMNS = (
    "id",
    "event_id",
    "eid",
    "eventbrite_id",
    "event_data",
    "ticket_classes",
    "sales_summary",
    "orders_summary",
    "total_tickets_sold",
    "gross_revenue",
    "ticket_revenue",
    "taxes_collected",
    "eventbrite_fees",
    "payment_processing_fees",
    "total_fees",
    "net_deposit",
    "total_capacity",
    "currency_code",
    "api_response_status",
    "api_response_code",
    "api_error_message",
    "data_quality_score",
    "data_quality_flags",
    "fetched_at",
    "expires_at",
    "fetch_duration_ms",
    "is_stale",
    "fetched_by",
    "fetch_reason",
    "api_version",
    "eventbrite_event_name",
    "eventbrite_start_date",
    "created_at",
)
ORDER_COLUMNS = (
    "id",
    "order_id",
    "eid",
    "eventbrite_event_id",
    "order_created",
    "order_status",
    "gross",
    "eventbrite_fee",
    "payment_fee",
    "tax",
    "currency_code",
    "attendee_count",
    "raw_order",
    "created_at",
)
CRON_COLUMNS = (
    "id",
    "executed_at",
    "status",
    "total_events",
    "successful",
    "failed",
    "skipped",
    "errors",
    "duration_ms",
    "response",
)
ANALYSIS_COLUMNS = (
    "event_id",
    "analysis_type",
    "result",
    "event_name",
    "served_count",
    "last_served_at",
    "created_at",
    "expires_at",
)
DEMO_WINDOW_DAYS = (-44, 60)
ALWAYS_CACHED = frozenset(
    {"healthy_event", "stale_eventbrite_event", "eventbrite_error_event", "ready_event"}
)
ORDER_EVENTS = (("AB4001", 45), ("AB4015", 35))
STATUSES = ("success", "partial", "fallback")
REASONS = ("scheduled", "refresh", "manual")
ANALYSIS_WINDOW_DAYS = AD_WINDOW_DAYS


def cached_events(world: World) -> list[tuple[Event, list[tuple[datetime, float]]]]:
    """Linked events and their fetch times: a date window at demo; at bench scales the most
    recent events that start by as_of + 60 d, as many as the row target needs (§8.10)."""
    ctx = world.ctx
    linked = [
        e
        for e in world.events
        if e.eventbrite_id
        and e.phase != "never_ran"
        and e.eid not in fx.DST_EIDS
        and e.day_offset <= DEMO_WINDOW_DAYS[1]
    ]
    linked.sort(key=lambda e: (e.day_offset, e.eid), reverse=True)
    if ctx.spec.is_demo:
        low, high = DEMO_WINDOW_DAYS
        # K spans 7-14 days across the window, one stratum per event taken in EID order
        # (newest first), so that the demo's row total does not swing with the seed.
        window = sorted(
            (e for e in linked if low <= e.day_offset <= high), key=lambda e: e.eid, reverse=True
        )
        rng = ctx.stream("eventbrite_api_cache:leads")
        return [
            (e, _times(world, e, 7 + 7 * (k + rng.random()) / len(window)))
            for k, e in enumerate(window)
        ]

    chosen: list[tuple[Event, list[tuple[datetime, float]]]] = []
    total, target = 0, ctx.spec.targets["eventbrite_api_cache"]
    for e in linked:
        if total >= target and e.role not in ALWAYS_CACHED:
            continue
        times = _times(world, e, ctx.stream(f"eventbrite_api_cache:lead:{e.eid}").uniform(7, 14))
        chosen.append((e, times))
        total += len(times)
    return chosen


def _times(world: World, e: Event, lead_days: float) -> list[tuple[datetime, float]]:
    rng = world.ctx.stream(f"eventbrite_api_cache:times:{e.eid}")
    return snapshot_times(world.ctx.as_of, e, lead_days, rng)


def ticketing_tables(world: World) -> list[TableData]:
    """The four ticketing and ads tables, in load order."""
    rows: list[Row] = []
    for e, times in cached_events(world):
        rows.extend(_snapshots(world, e, times, world.ctx.stream(f"eventbrite_api_cache:{e.eid}")))
    return [
        TableData("eventbrite_api_cache", CACHE_COLUMNS, rows),
        TableData("eventbrite_orders_cache", ORDER_COLUMNS, _orders(world)),
        TableData("meta_ads_cache_cron_log", CRON_COLUMNS, _cron_runs(world)),
        TableData("ai_analysis_cache", ANALYSIS_COLUMNS, _analyses(world)),
    ]


def _snapshots(
    world: World, e: Event, times: list[tuple[datetime, float]], rng: random.Random
) -> list[Row]:
    curve = SalesCurve.draw(rng, e)
    rows = []
    for n, fetch in enumerate(times):
        failed = e.role == "eventbrite_error_event" and n == len(times) - 1
        status = "error" if failed else rng.choices(STATUSES, (97, 2, 1))[0]
        rows.append(_snapshot_row(world, e, curve, fetch, n, status, rng))
    return rows


def _snapshot_row(
    world: World,
    e: Event,
    curve: SalesCurve,
    fetch: tuple[datetime, float],
    n: int,
    status: str,
    rng: random.Random,
) -> Row:
    fetched, hours_before = fetch
    classes = [] if status == "error" else curve.classes_at(hours_before)
    quantity = sum(c["quantity_sold"] for c in classes)
    gross = money(sum(Decimal(str(c["ticket_revenue"])) for c in classes))
    fees = money(gross * curve.fee_rate)
    net = gross - fees
    capacity = sum(c["quantity_total"] for c in classes) or None
    flags, score = _quality(rng, status, e.currency, capacity)
    if "NO_CAPACITY_DATA" in flags:
        capacity = None
    totals = {
        "currency": e.currency,
        "gross": f"{gross:.2f}",
        "net": f"{net:.2f}",
        "quantity": quantity,
        "fees": f"{fees:.2f}",
    }
    zone = e.timezone_icann or e.city.zone_name
    fetched_naive = naive_utc(fetched)
    error = status == "error"
    return (
        world.ctx.uid("eventbrite_api_cache", f"{e.eid}:{n}"),
        e.id,
        e.eid,
        e.eventbrite_id,
        {}
        if error
        else {
            "timezone": zone,
            "event_ids": [e.eventbrite_id],
            "data": curve.daily(fetched, hours_before),
            "totals": totals,
        },
        classes,
        {}
        if error
        else {"api_method": "sales_report", "total_tickets": quantity, "sales_report_used": True},
        None if rng.random() < 0.5 else {},
        quantity,
        gross,
        net + fees,
        Decimal(0),
        fees,
        Decimal(0),
        fees,
        net,
        capacity,
        e.currency,
        status,
        403 if error else 200,
        "NOT_AUTHORIZED" if error else None,
        score,
        flags,
        fetched_naive,
        fetched_naive + timedelta(hours=6),
        rng.randint(400, 4500),
        False,
        "fetch-eventbrite-data",
        rng.choices(REASONS, (85, 10, 5))[0],
        "v3",
        e.name,
        naive_utc(e.start),
        fetched_naive,
    )


def _quality(
    rng: random.Random, status: str, currency: str | None, capacity: int | None
) -> tuple[list[str], int]:
    """Data-quality flags and score: 40 revenue + 20 classes + 20 consistency + 10 + 10."""
    if status == "error":
        return ["NO_TICKET_CLASSES", "NO_CAPACITY_DATA"], 0
    flags, score = [], 100
    if currency is None:
        flags.append("NO_CURRENCY")
        score -= 10
    roll = rng.random()
    if roll < 0.02:
        flags.append("REVENUE_MISMATCH")
        score -= 20
    elif roll < 0.04 or capacity is None:
        flags.append("NO_CAPACITY_DATA")
        score -= 10
    return flags, score


def _orders(world: World) -> list[Row]:
    """Orders for two events; placed or Attending, about 5% Deleted."""
    rows: list[Row] = []
    for eid, count in ORDER_EVENTS:
        e = world.event(eid)
        rng = world.ctx.stream(f"eventbrite_orders_cache:{eid}")
        for n in range(count):
            created = min(e.start - timedelta(days=rng.uniform(0.2, 30)), world.ctx.as_of)
            status = "Deleted" if rng.random() < 0.05 else rng.choice(("placed", "Attending"))
            attendees = rng.choice((1, 1, 2, 2, 2, 3, 4))
            gross = money(attendees * rng.choice((25, 30, 35, 40)))
            fee = money(gross * Decimal("0.08"))
            order_id = f"{e.eventbrite_id}{n:04d}"[-12:]
            rows.append(
                (
                    world.ctx.uid("eventbrite_orders_cache", order_id),
                    order_id,
                    eid,
                    e.eventbrite_id,
                    created,
                    status,
                    gross,
                    fee,
                    money(gross * Decimal("0.03")),
                    Decimal(0),
                    e.currency,
                    attendees,
                    {"id": order_id, "status": status},
                    created,
                )
            )
    return rows


def _cron_runs(world: World) -> list[Row]:
    """One global run a day at about 07:00 UTC; about 10% complete with errors."""
    ctx = world.ctx
    rng = ctx.stream("meta_ads_cache_cron_log")
    linked = [e.eid for e in world.events if e.meta_budget and abs(e.day_offset) <= 30]
    rows: list[Row] = []
    today = ctx.as_of.replace(hour=7, minute=0, second=0, microsecond=0)
    for day in range(ctx.spec.daily_log_days, 0, -1):
        executed = today - timedelta(days=day) + timedelta(seconds=rng.uniform(0, 300))
        failed = rng.randint(1, 3) if rng.random() < 0.1 else 0
        errors = [
            {"eid": eid, "error": "Ad account access token expired"} for eid in linked[:failed]
        ] or None
        total = len(linked) or 1
        start = (executed - timedelta(days=30)).date().isoformat()
        rows.append(
            (
                ctx.uid("meta_ads_cache_cron_log", str(day)),
                executed,
                "completed_with_errors" if failed else "success",
                total,
                max(total - failed, 0),
                failed,
                0,
                errors,
                rng.randint(4000, 60000),
                {
                    "date_range": {"start": start, "end": executed.date().isoformat()},
                    "events_processed": linked,
                },
            )
        )
    return rows


def _analyses(world: World) -> list[Row]:
    """A 'meta_ads' analysis per budgeted event within 30 days of as_of; a third expired."""
    ctx = world.ctx
    rows: list[Row] = []
    for e in world.events:
        if e.meta_budget is None or abs(e.day_offset) > ANALYSIS_WINDOW_DAYS:
            continue
        rng = ctx.stream(f"ai_analysis_cache:{e.eid}")
        created = ctx.as_of - timedelta(hours=rng.uniform(0.2, 9))
        spend = money(e.meta_budget * Decimal(str(rng.uniform(0.2, 0.95))))
        impressions = rng.randint(8000, 90000)
        clicks = rng.randint(150, 2500)
        purchases = rng.randint(3, 60)
        result = {
            "currency": e.currency,
            "total_spend": float(spend),
            "impressions": impressions,
            "reach": int(impressions * rng.uniform(0.5, 0.8)),
            "clicks": clicks,
            "ctr": round(100 * clicks / impressions, 2),
            "cpc": round(float(spend) / clicks, 2),
            "purchases": purchases,
            "purchase_value": round(purchases * rng.uniform(25, 45), 2),
            "date_range": {
                "start": (created - timedelta(days=30)).date().isoformat(),
                "end": created.date().isoformat(),
            },
            "campaigns": [
                {
                    "name": f"{e.eid} tickets",
                    "status": "ACTIVE",
                    "spend": float(spend),
                    "impressions": impressions,
                    "clicks": clicks,
                    "purchases": purchases,
                }
            ],
        }
        rows.append(
            (
                e.eid,
                "meta_ads",
                result,
                e.name,
                rng.randint(0, 25),
                min(created + timedelta(minutes=rng.uniform(1, 60)), ctx.as_of),
                created,
                created + timedelta(hours=6),
            )
        )
    return rows
