"""get_sponsorship_summary (tools.md §6.7): prospects, purchases and money per currency."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money, totals_by_currency
from artbattle_ops.tools.shared import display_time, resolve_event

MAX_ROWS: Final = 50

# Purchases that never went through (payment_status 'failed') are not part of the funnel.
FUNNEL_SQL: Final = """
SELECT (SELECT count(*) FROM sponsorship_invites i WHERE i.event_id = %(event_id)s) AS invites,
       (SELECT count(*) FROM sponsorship_invites i
        WHERE i.event_id = %(event_id)s AND i.view_count > 0) AS viewed,
       (SELECT count(*) FROM sponsorship_purchases p
        WHERE p.event_id = %(event_id)s AND p.payment_status <> 'failed') AS purchases
"""

INVITES_SQL: Final = """
SELECT i.id, i.prospect_name, i.prospect_email, i.prospect_company, i.discount_percent,
       i.valid_until, i.max_uses, i.use_count, i.view_count, i.last_viewed_at, i.notes,
       i.created_at, count(*) OVER () AS total
FROM sponsorship_invites i
WHERE i.event_id = %(event_id)s
ORDER BY i.created_at DESC NULLS LAST, i.id DESC
LIMIT %(limit)s
"""

PURCHASES_SQL: Final = """
SELECT p.id, p.buyer_name, p.buyer_email, p.buyer_company,
       COALESCE(p.package_details -> 'main_package' ->> 'name',
                p.package_details ->> 'name') AS package_name,
       p.total_amount, p.currency, p.payment_status, p.fulfillment_status, p.created_at,
       p.paid_at, count(*) OVER () AS total
FROM sponsorship_purchases p
WHERE p.event_id = %(event_id)s
ORDER BY p.created_at DESC NULLS LAST, p.id DESC
LIMIT %(limit)s
"""

TOTALS_SQL: Final = """
SELECT p.payment_status, p.currency, sum(p.total_amount) AS amount, count(*) AS count
FROM sponsorship_purchases p
WHERE p.event_id = %(event_id)s AND p.payment_status IN ('paid', 'pending', 'refunded')
GROUP BY p.payment_status, p.currency
ORDER BY p.payment_status, p.currency
"""


@read_tool("get_sponsorship_summary")
async def get_sponsorship_summary(call: ToolCall) -> dict[str, Any]:
    """The event's sponsorship funnel, invites, purchases and money by payment status."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "limit": MAX_ROWS}
    funnel = await call.db.fetch_one(FUNNEL_SQL, params) or {}
    invites = await call.db.fetch_all(INVITES_SQL, params)
    purchases = await call.db.fetch_all(PURCHASES_SQL, params)
    totals = await call.db.fetch_all(TOTALS_SQL, params)

    return {
        "event": {"eid": event.eid, "name": event.name},
        "funnel": {name: funnel.get(name, 0) for name in ("invites", "viewed", "purchases")},
        "invites": block([invite(call, row) for row in invites], _total(invites)),
        "purchases": block([purchase(call, row) for row in purchases], _total(purchases)),
        "committed": money_by_currency(totals, "paid"),
        "pending": money_by_currency(totals, "pending"),
        "refunded": money_by_currency(totals, "refunded"),
    }


def invite(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    """One prospect's invite and its activity."""
    discount = row["discount_percent"]
    return {
        "invite_id": str(row["id"]),
        "prospect_name": row["prospect_name"],
        "prospect_email": row["prospect_email"],
        "prospect_company": row["prospect_company"],
        "discount_percent": None if discount is None else float(discount),
        "valid_until": display_time(call, row["valid_until"]),
        "uses": row["use_count"],
        "max_uses": row["max_uses"],
        "view_count": row["view_count"],
        "last_viewed_at": display_time(call, row["last_viewed_at"]),
        "notes": row["notes"],
        "created_at": display_time(call, row["created_at"]),
    }


def purchase(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    """One purchase, its amount in the purchase's own currency."""
    if row["currency"] is None:
        call.warn("currency_missing", f"Sponsorship purchase {row['id']} has no currency.")
    return {
        "purchase_id": str(row["id"]),
        "buyer_name": row["buyer_name"],
        "buyer_email": row["buyer_email"],
        "buyer_company": row["buyer_company"],
        "package_name": row["package_name"],
        "total_amount": money(row["total_amount"], row["currency"]),
        "payment_status": row["payment_status"],
        "fulfillment_status": row["fulfillment_status"],
        "created_at": display_time(call, row["created_at"]),
        "paid_at": display_time(call, row["paid_at"]),
    }


def money_by_currency(rows: Sequence[dict[str, Any]], status: str) -> dict[str, Any]:
    """totals_by_currency of the purchases in one payment status."""
    picked = [
        (row["currency"], Decimal(row["amount"]), int(row["count"]))
        for row in rows
        if row["payment_status"] == status
    ]
    return totals_by_currency(picked)


def _total(rows: Sequence[dict[str, Any]]) -> int:
    return int(rows[0]["total"]) if rows else 0
