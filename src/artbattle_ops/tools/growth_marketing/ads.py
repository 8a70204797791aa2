"""get_meta_ads_data (tools.md §6.1): cached Meta ad metrics, budget use and the last sync run."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.data_read.eventbrite import percent
from artbattle_ops.tools.growth_marketing.passthrough import as_decimal, cut_json
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import money
from artbattle_ops.tools.shared import Event, display_time, event_money, resolve_event

MAX_RAW_ITEMS: Final = 20
MAX_RAW_CHARS: Final = 300

# For each metric, the first top-level key of the cached result that is present (§6.1).
METRIC_KEYS: Final = {
    "spend": ("spend", "total_spend", "amount_spent"),
    "impressions": ("impressions", "total_impressions"),
    "reach": ("reach", "total_reach"),
    "clicks": ("clicks", "link_clicks", "total_clicks"),
    "conversions": ("conversions", "purchases"),
}

BUDGETS_SQL: Final = """
SELECT e.meta_ads_budget, e.other_ads_budget
FROM events e
WHERE e.id = %(event_id)s
"""

# ai_analysis_cache.event_id holds the EID, not the uuid (schema.md §3).
ANALYSIS_SQL: Final = """
SELECT c.result, c.created_at, c.expires_at
FROM ai_analysis_cache c
WHERE c.event_id = %(eid)s AND c.analysis_type = 'meta_ads'
"""

# One global row per daily run: sync context only, never per-event data (schema.md §3).
LAST_SYNC_SQL: Final = """
SELECT l.executed_at, l.status, l.total_events, l.successful, l.failed, l.skipped
FROM meta_ads_cache_cron_log l
ORDER BY l.executed_at DESC NULLS LAST, l.id DESC
LIMIT 1
"""


@read_tool("get_meta_ads_data")
async def get_meta_ads_data(call: ToolCall) -> dict[str, Any]:
    """The event's budgets, its cached Meta ads analysis (or null) and the last sync run."""
    event = await resolve_event(call, call.arguments["eid"])
    budgets = await call.db.fetch_one(BUDGETS_SQL, {"event_id": event.id}) or {}
    cached = await call.db.fetch_one(ANALYSIS_SQL, {"eid": event.eid})
    sync = await call.db.fetch_one(LAST_SYNC_SQL)

    header = {
        "eid": event.eid,
        "name": event.name,
        "meta_ads_budget": event_money(call, budgets.get("meta_ads_budget"), event),
        "other_ads_budget": event_money(call, budgets.get("other_ads_budget"), event),
    }
    return {
        "event": header,
        "analysis": None if cached is None else analysis(call, event, cached),
        "last_sync_run": None if sync is None else last_sync_run(call, sync),
    }


def analysis(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    """The cached analysis: age, staleness, metrics, budget use and the cut raw result."""
    result = row["result"] if isinstance(row["result"], dict) else {}
    expires_at = row["expires_at"]
    stale = expires_at is not None and call.now > expires_at
    if stale:
        call.warn("stale_data", f"The Meta ads data of {event.eid} expired; it may be out of date.")

    created_at = row["created_at"]
    age = None if created_at is None else int((call.now - created_at).total_seconds() // 60)
    return {
        "created_at": display_time(call, created_at),
        "expires_at": display_time(call, expires_at),
        "age_minutes": age,
        "stale": stale,
        "metrics": metrics(call, event, result),
        "budget_used_pct": budget_used_pct(call, event, result),
        "raw": cut_json(result, MAX_RAW_ITEMS, MAX_RAW_CHARS),
    }


def metrics(call: ToolCall, event: Event, result: dict[str, Any]) -> dict[str, Any]:
    """spend, impressions, reach, clicks, conversions, ctr_pct and cost_per_click."""
    values = {name: metric(result, keys) for name, keys in METRIC_KEYS.items()}
    currency = result.get("currency") if isinstance(result.get("currency"), str) else None
    spend, clicks = values["spend"], values["clicks"]
    if spend is not None and currency is None:
        call.warn("currency_missing", f"The Meta ads data of {event.eid} has no currency.")

    cost_per_click = spend / clicks if spend is not None and clicks else None
    return {
        "spend": money(spend, currency),
        "impressions": _count(values["impressions"]),
        "reach": _count(values["reach"]),
        "clicks": _count(clicks),
        "conversions": _count(values["conversions"]),
        "ctr_pct": percent(clicks, values["impressions"]),
        "cost_per_click": money(cost_per_click, currency),
    }


def budget_used_pct(call: ToolCall, event: Event, result: dict[str, Any]) -> float | None:
    """spend ÷ meta_ads_budget, only when both exist in the same currency."""
    spend = metric(result, METRIC_KEYS["spend"])
    budget = event.meta_ads_budget
    if spend is None or budget is None:
        return None
    currency = result.get("currency")
    if currency != event.currency:
        budget_currency = event.currency or "no currency"
        message = f"Meta reports spend in {currency}; {event.eid} budgets in {budget_currency}."
        call.warn("currency_mismatch", message)
        return None
    return percent(spend, budget)


def metric(result: dict[str, Any], keys: tuple[str, ...]) -> Decimal | None:
    """The value of the first of `keys` present in `result`."""
    for key in keys:
        if key in result:
            return as_decimal(result[key])
    return None


def last_sync_run(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    """The latest global cron run of the Meta ads cache."""
    counts = ("total_events", "successful", "failed", "skipped")
    return {
        "executed_at": display_time(call, row["executed_at"]),
        "status": row["status"],
        **{name: row[name] for name in counts},
    }


def _count(value: Decimal | None) -> int | None:
    return None if value is None else int(value)
