"""get_artist_payment_ledger (tools.md §5.5): payments to an artist or for an event's works."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money, totals_by_currency
from artbattle_ops.tools.shared import display_time, resolve_event
from artbattle_ops.tools.shared.profiles import resolve_profile

STATUS_GROUPS: Final = {
    "paid": "settled",
    "verified": "settled",
    "pending": "in_flight",
    "processing": "in_flight",
    "failed": "failed",
    "cancelled": "cancelled",
}
GROUPS: Final = ("settled", "in_flight", "failed", "cancelled")

FILTERS: Final = {
    "artist_profile_id": "p.artist_profile_id = %(artist_profile_id)s",
    "event_id": "p.art_id IN (SELECT ea.id FROM art ea WHERE ea.event_id = %(event_id)s)",
    "status": "p.status = %(status)s",
    "currency": "p.currency = %(currency)s",
}

# {where} is a conjunction of fixed FILTERS; every value is bound.
PAYMENTS_SQL: Final = """
SELECT p.id, p.artist_profile_id, ap.name, a.art_code, e.eid, p.gross_amount, p.net_amount,
       p.currency, p.status, p.payment_type, p.payment_method, p.reason_category,
       p.description, p.stripe_transfer_id, p.error_message, p.created_at, p.paid_at,
       count(*) OVER () AS total_matches
FROM artist_payments p
JOIN artist_profiles ap ON ap.id = p.artist_profile_id
LEFT JOIN art a ON a.id = p.art_id
LEFT JOIN events e ON e.id = a.event_id
WHERE {where}
ORDER BY p.created_at DESC NULLS LAST, p.id
LIMIT %(limit)s
"""

TOTALS_SQL: Final = """
SELECT p.status, p.currency, SUM(p.gross_amount) AS amount, count(*) AS payments
FROM artist_payments p
WHERE {where}
GROUP BY p.status, p.currency
"""

# Payments without an artwork to any artist with a work at the event.
UNLINKED_SQL: Final = """
SELECT count(*) AS payments
FROM artist_payments p
WHERE p.art_id IS NULL
  AND p.artist_profile_id IN (SELECT ea.artist_id FROM art ea WHERE ea.event_id = %(event_id)s)
"""


def _payment(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "payment_id": str(row["id"]),
        "artist": {"artist_profile_id": str(row["artist_profile_id"]), "name": row["name"]},
        "art_code": row["art_code"],
        "event_eid": row["eid"],
        "gross_amount": money(row["gross_amount"], row["currency"]),
        "net_amount": money(row["net_amount"], row["currency"]),
        "status": row["status"],
        "payment_type": row["payment_type"],
        "payment_method": row["payment_method"],
        "reason_category": row["reason_category"],
        "description": row["description"],
        "stripe_transfer_id": row["stripe_transfer_id"],
        "error_message": row["error_message"],
        "created_at": display_time(call, row["created_at"]),
        "paid_at": display_time(call, row["paid_at"]),
    }


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    grouped: dict[str, dict[str, tuple[Decimal, int]]] = defaultdict(dict)
    for row in rows:
        group = grouped[STATUS_GROUPS[row["status"]]]
        amount, count = group.get(row["currency"], (Decimal(0), 0))
        group[row["currency"]] = (amount + Decimal(row["amount"]), count + int(row["payments"]))
    return {
        name: totals_by_currency([(c, a, n) for c, (a, n) in grouped[name].items()])
        for name in GROUPS
    }


async def _unlinked_note(call: ToolCall, event_id: str | None) -> str | None:
    if event_id is None:
        return None
    row = await call.db.fetch_one(UNLINKED_SQL, {"event_id": event_id})
    if row is None or not row["payments"]:
        return None
    return (
        f"This event's artists have {row['payments']} payments without an artwork; they cannot "
        "be tied to an event and are not listed. Use artist_profile_id to see them."
    )


async def _filters(call: ToolCall) -> dict[str, Any]:
    args = call.arguments
    params = {name: args[name] for name in ("status", "currency") if args.get(name)}
    if args.get("artist_profile_id"):
        await resolve_profile(call, args["artist_profile_id"])
        params["artist_profile_id"] = args["artist_profile_id"]
    if args.get("eid"):
        params["event_id"] = (await resolve_event(call, args["eid"])).id
    return params


@read_tool("get_artist_payment_ledger")
async def get_artist_payment_ledger(call: ToolCall) -> dict[str, Any]:
    """Payments newest first, with totals per status group and currency."""
    params = await _filters(call)
    where = " AND ".join(FILTERS[name] for name in FILTERS if name in params)

    limit = int(call.arguments["limit"])
    rows = await call.db.fetch_all(PAYMENTS_SQL.format(where=where), {**params, "limit": limit})
    totals = await call.db.fetch_all(TOTALS_SQL.format(where=where), params)

    total = int(rows[0]["total_matches"]) if rows else 0
    return {
        "payments": block([_payment(call, row) for row in rows], total=total),
        "totals": _totals(totals),
        "unlinked_payments_note": await _unlinked_note(call, params.get("event_id")),
    }
