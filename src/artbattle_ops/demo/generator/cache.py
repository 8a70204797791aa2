"""Endpoint cache versions and the events' own `updated_at`, which the cache must not trail."""

from __future__ import annotations

from datetime import datetime, timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.outcomes import Nights

GLOBAL_PATH = "/live/events"


def settle_updates(ctx: Context, events: list[Event], nights: Nights) -> TableData:
    """Set each event's `updated_at` and write its cache rows (§8.4); AB4006 lags by design."""
    rng = ctx.stream("endpoint_cache_versions")
    codes: dict[str, list[str]] = {}
    for art in nights.art:
        codes.setdefault(events[art.event].eid, []).append(art.code)

    rows: list[Row] = []
    for e in events:
        stamp = _settle_event(ctx, e, nights, rng.uniform(1, 6), rng.uniform(1, 72))
        if not e.has_cache:
            continue
        for suffix in ("", "/media", "/artists"):
            rows.append((f"/live/event/{e.eid}{suffix}", stamp, e.eid))
        for code in codes.get(e.eid, ()):
            rows.append((f"/live/event/{code}/bids", nights.touched[code], e.eid))
    newest = max(row[1] for row in rows)
    rows.append((GLOBAL_PATH, newest, None))
    return TableData(
        "endpoint_cache_versions", ("endpoint_path", "last_updated", "event_eid"), rows
    )


def _settle_event(
    ctx: Context, e: Event, nights: Nights, hours_after: float, hours_before: float
) -> datetime:
    """Give the event its `updated_at`; return the instant its cache rows carry."""
    assert e.created_at is not None
    if e.has_night:
        last = nights.event_last[e.eid]
        if e.phase == "live":
            e.updated_at = e.start - timedelta(hours=hours_after / 2)
        else:
            e.updated_at = min(e.end + timedelta(hours=hours_after), last)
        return last
    if e.eid == fx.HIDDEN_EID:
        cache = ctx.as_of - timedelta(hours=3)
        e.updated_at = cache + timedelta(hours=1)
        return cache
    if e.phase == "never_ran":
        e.updated_at = max(e.created_at, e.start - timedelta(days=2))
    else:
        e.updated_at = max(e.created_at, ctx.as_of - timedelta(hours=hours_before))
    return e.updated_at
