"""get_artist_stripe_status (tools.md §5.1): payout readiness and payout-account states."""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, resolve_event
from artbattle_ops.tools.shared.profiles import resolve_profile

MAX_ITEMS: Final = 200
PAYOUT_STATUSES: Final = ("ready", "invited", "in_review", "blocked", "rejected", "none")

# {where} is a conjunction of fixed fragments; every value is bound. The account chosen is a
# ready one first (§1.10), so readiness reads from it.
ARTISTS_SQL: Final = """
SELECT ap.id, ap.entry_id, ap.name,
       COALESCE(g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL, false) AS payout_ready,
       g.status AS g_status, g.country AS g_country, g.default_currency,
       g.stripe_recipient_id, g.updated_at AS g_updated_at,
       s.onboarding_status, s.charges_enabled, s.payouts_enabled, s.stripe_account_id,
       s.country AS s_country, s.updated_at AS s_updated_at
FROM artist_profiles ap
LEFT JOIN LATERAL (
    SELECT g.status, g.country, g.default_currency, g.stripe_recipient_id, g.updated_at
    FROM artist_global_payments g
    WHERE g.artist_profile_id = ap.id
    ORDER BY (g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL) DESC,
             g.updated_at DESC NULLS LAST, g.id
    LIMIT 1
) g ON TRUE
LEFT JOIN artist_stripe_accounts s ON s.artist_profile_id = ap.id
WHERE {where}
ORDER BY payout_ready, ap.name, ap.id
"""

BY_PROFILE: Final = "ap.id = %(artist_id)s"
BY_EVENT: Final = (
    "EXISTS (SELECT 1 FROM art a WHERE a.artist_id = ap.id AND a.event_id = %(event_id)s)"
)


def _global_account(call: ToolCall, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["g_status"] is None:
        return None
    return {
        "status": row["g_status"],
        "country": row["g_country"],
        "default_currency": row["default_currency"],
        "stripe_recipient_id": row["stripe_recipient_id"],
        "updated_at": display_time(call, row["g_updated_at"]),
    }


def _legacy_account(call: ToolCall, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["onboarding_status"] is None and row["stripe_account_id"] is None:
        return None
    return {
        "onboarding_status": row["onboarding_status"],
        "charges_enabled": row["charges_enabled"],
        "payouts_enabled": row["payouts_enabled"],
        "stripe_account_id": row["stripe_account_id"],
        "country": row["s_country"],
        "updated_at": display_time(call, row["s_updated_at"]),
    }


def _artist(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "artist_profile_id": str(row["id"]),
        "entry_id": row["entry_id"],
        "name": row["name"],
        "payout_ready": bool(row["payout_ready"]),
        "payout_status": row["g_status"] or "none",
        "global_account": _global_account(call, row),
        "legacy_connect_account": _legacy_account(call, row),
    }


async def _filters(call: ToolCall) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    artist_id = call.arguments.get("artist_profile_id")
    if artist_id:
        await resolve_profile(call, artist_id)
        clauses.append(BY_PROFILE)
        params["artist_id"] = artist_id
    eid = call.arguments.get("eid")
    if eid:
        event = await resolve_event(call, eid)
        clauses.append(BY_EVENT)
        params["event_id"] = event.id
    return clauses, params


@read_tool("get_artist_stripe_status")
async def get_artist_stripe_status(call: ToolCall) -> dict[str, Any]:
    """Payout readiness of one artist or of an event's artists; not ready first, then by name."""
    clauses, params = await _filters(call)

    rows = await call.db.fetch_all(ARTISTS_SQL.format(where=" AND ".join(clauses)), params)

    counts = Counter(row["g_status"] or "none" for row in rows)
    artists = [_artist(call, row) for row in rows[:MAX_ITEMS]]
    return {
        "artists": block(artists, total=len(rows)),
        "status_counts": {status: counts[status] for status in PAYOUT_STATUSES},
    }
