"""get_manual_payment_requests (tools.md §5.4): artists' requests for a manual payout."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.payments.profiles import age_days
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money, totals_by_currency
from artbattle_ops.tools.shared import display_time, resolve_event, warn_once
from artbattle_ops.tools.shared.profiles import resolve_profile

NOTES_CUT_CHARS: Final = 300
REQUEST_STATUSES: Final = ("pending", "in_review", "approved", "paid", "rejected")

FILTERS: Final = {
    "eid": "r.events_referenced @> ARRAY[%(eid)s]::text[]",
    "artist_profile_id": "r.artist_profile_id = %(artist_profile_id)s",
    "status": "r.status = %(status)s",
}

# {where} is a conjunction of fixed FILTERS; every value is bound. `payment_details` is only
# tested for content, never selected.
REQUESTS_SQL: Final = """
SELECT r.id, r.artist_profile_id, ap.name, ap.entry_id, r.requested_amount,
       r.preferred_currency, r.payment_method, r.status, r.admin_notes, r.events_referenced,
       r.created_at, r.processed_at,
       COALESCE(btrim(r.payment_details) <> '', false) AS has_payment_details,
       count(*) OVER () AS total_matches
FROM artist_manual_payment_requests r
JOIN artist_profiles ap ON ap.id = r.artist_profile_id
WHERE {where}
ORDER BY r.created_at DESC NULLS LAST, r.id
LIMIT %(limit)s
"""

STATUS_COUNTS_SQL: Final = """
SELECT r.status, count(*) AS requests
FROM artist_manual_payment_requests r
WHERE {where}
GROUP BY r.status
"""

# Open requests (pending, in_review, approved) per currency, over every match.
OPEN_TOTALS_SQL: Final = """
SELECT r.preferred_currency AS currency, SUM(r.requested_amount) AS amount, count(*) AS requests
FROM artist_manual_payment_requests r
WHERE {where} AND r.status IN ('pending', 'in_review', 'approved')
  AND r.requested_amount IS NOT NULL
GROUP BY r.preferred_currency
"""


def _notes(text: str | None) -> str | None:
    if text is None or len(text) <= NOTES_CUT_CHARS:
        return text
    return text[:NOTES_CUT_CHARS] + "…"


def _request(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    if row["requested_amount"] is not None and not row["preferred_currency"]:
        warn_once(call, "currency_missing", "Some requests have no preferred currency.")
    return {
        "request_id": str(row["id"]),
        "artist": {
            "artist_profile_id": str(row["artist_profile_id"]),
            "name": row["name"],
            "entry_id": row["entry_id"],
        },
        "requested_amount": money(row["requested_amount"], row["preferred_currency"]),
        "payment_method": row["payment_method"],
        "has_payment_details": bool(row["has_payment_details"]),
        "status": row["status"],
        "events_referenced": list(row["events_referenced"] or []),
        "admin_notes": _notes(row["admin_notes"]),
        "created_at": display_time(call, row["created_at"]),
        "processed_at": display_time(call, row["processed_at"]),
        "age_days": age_days(call.now, row["created_at"]),
    }


async def _filters(call: ToolCall) -> tuple[str, dict[str, Any]]:
    args = call.arguments
    if args.get("eid"):
        await resolve_event(call, args["eid"])
    if args.get("artist_profile_id"):
        await resolve_profile(call, args["artist_profile_id"])
    given = [name for name in FILTERS if args.get(name)]
    where = " AND ".join(FILTERS[name] for name in given) or "TRUE"
    return where, {name: args[name] for name in given}


@read_tool("get_manual_payment_requests")
async def get_manual_payment_requests(call: ToolCall) -> dict[str, Any]:
    """Manual payment requests, newest first, with counts per status and open totals."""
    where, params = await _filters(call)

    limit = int(call.arguments["limit"])
    rows = await call.db.fetch_all(REQUESTS_SQL.format(where=where), {**params, "limit": limit})
    counts = await call.db.fetch_all(STATUS_COUNTS_SQL.format(where=where), params)
    totals = await call.db.fetch_all(OPEN_TOTALS_SQL.format(where=where), params)

    by_status = {row["status"]: int(row["requests"]) for row in counts}
    total = int(rows[0]["total_matches"]) if rows else 0
    return {
        "requests": block([_request(call, row) for row in rows], total=total),
        "status_counts": {status: by_status.get(status, 0) for status in REQUEST_STATUSES},
        "totals_by_currency": totals_by_currency(
            [(row["currency"], Decimal(row["amount"]), int(row["requests"])) for row in totals]
        ),
    }
