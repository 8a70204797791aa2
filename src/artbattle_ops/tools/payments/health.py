"""get_payment_status_health (tools.md §5.7): unpaid buyers, unpaid artists, problem payouts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from artbattle_ops.tools.payments.profiles import age_days
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money
from artbattle_ops.tools.shared import (
    Event,
    artist_share,
    display_time,
    event_money,
    event_time,
    resolve_event,
    sale_price,
)

MAX_ITEMS: Final = 200
STALE_AFTER: Final = timedelta(days=7)
ART_STATUSES: Final = ("inactive", "active", "closed", "sold", "cancelled", "paid")
PAYMENT_STATUSES: Final = ("pending", "processing", "paid", "verified", "failed", "cancelled")

ART_STATUS_SQL: Final = """
SELECT a.status::text AS status, count(*) AS works
FROM art a
WHERE a.event_id = %(event_id)s
GROUP BY a.status
"""

PAYMENT_STATUS_SQL: Final = """
SELECT p.status, count(*) AS payments
FROM artist_payments p
WHERE p.art_id IN (SELECT a.id FROM art a WHERE a.event_id = %(event_id)s)
GROUP BY p.status
"""

BUYER_UNPAID_SQL: Final = """
SELECT a.id, a.art_code, ap.name AS artist_name, a.final_price, a.current_bid, a.closing_time
FROM art a
LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
WHERE a.event_id = %(event_id)s AND a.status = 'sold'
ORDER BY a.round, a.easel, a.art_code, a.id
"""

# Paid works without a live payment for their art_id; whether the artist has manual payments.
ARTIST_UNPAID_SQL: Final = """
SELECT a.art_code, a.artist_id, ap.name AS artist_name, a.final_price, a.current_bid,
       EXISTS (
           SELECT 1 FROM artist_payments u
           WHERE u.artist_profile_id = a.artist_id AND u.art_id IS NULL
             AND u.status NOT IN ('cancelled', 'failed')
       ) AS has_unlinked
FROM art a
LEFT JOIN artist_profiles ap ON ap.id = a.artist_id
WHERE a.event_id = %(event_id)s AND a.status = 'paid'
  AND NOT EXISTS (
      SELECT 1 FROM artist_payments p
      WHERE p.art_id = a.id AND p.status IN ('pending', 'processing', 'paid', 'verified')
  )
ORDER BY a.round, a.easel, a.art_code, a.id
"""

PROBLEM_PAYMENTS_SQL: Final = """
SELECT p.id, a.art_code, ap.name AS artist_name, p.gross_amount, p.currency, p.status,
       p.created_at, p.error_message
FROM artist_payments p
JOIN art a ON a.id = p.art_id
LEFT JOIN artist_profiles ap ON ap.id = p.artist_profile_id
WHERE a.event_id = %(event_id)s
  AND (p.status = 'failed'
       OR (p.status IN ('pending', 'processing') AND p.created_at < %(stale_before)s))
ORDER BY p.created_at DESC NULLS LAST, p.id
"""


def _counts(rows: list[dict[str, Any]], key: str, statuses: tuple[str, ...]) -> dict[str, int]:
    found = {row["status"]: int(row[key]) for row in rows}
    return {status: found.get(status, 0) for status in statuses}


def _buyer_unpaid(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    price = sale_price("sold", row["final_price"], row["current_bid"])
    return {
        "art_id": str(row["id"]),
        "art_code": row["art_code"],
        "artist_name": row["artist_name"],
        "sale_price": event_money(call, price, event),
        "closing_time": event_time(call, event, row["closing_time"]),
        "days_since_close": age_days(call.now, row["closing_time"]),
    }


def _artist_unpaid(call: ToolCall, event: Event, row: dict[str, Any]) -> dict[str, Any]:
    price = sale_price("paid", row["final_price"], row["current_bid"])
    artist_id = row["artist_id"]
    return {
        "art_code": row["art_code"],
        "artist": {
            "artist_profile_id": None if artist_id is None else str(artist_id),
            "name": row["artist_name"],
        },
        "artist_share": event_money(call, artist_share(price, event.artist_auction_portion), event),
        "artist_has_unlinked_payments": bool(row["has_unlinked"]),
    }


def _problem(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "payment_id": str(row["id"]),
        "art_code": row["art_code"],
        "artist_name": row["artist_name"],
        "gross_amount": money(row["gross_amount"], row["currency"]),
        "status": row["status"],
        "created_at": display_time(call, row["created_at"]),
        "age_days": age_days(call.now, row["created_at"]),
        "error_message": row["error_message"],
    }


def _has_share(event: Event, row: dict[str, Any]) -> bool:
    share = artist_share(
        sale_price("paid", row["final_price"], row["current_bid"]), event.artist_auction_portion
    )
    return share is not None and share > 0


def _issues(buyers: int, artists: int, problems: list[dict[str, Any]]) -> dict[str, Any]:
    failed = sum(1 for row in problems if row["status"] == "failed")
    counts = [
        ("buyer_unpaid", buyers),
        ("artist_unpaid", artists),
        ("failed_payments", failed),
        ("stale_payments", len(problems) - failed),
    ]
    return block([{"code": code, "count": count} for code, count in counts if count])


@read_tool("get_payment_status_health")
async def get_payment_status_health(call: ToolCall) -> dict[str, Any]:
    """An event's unpaid buyers, unpaid artists and failed or stuck payouts, with a healthy flag."""
    event = await resolve_event(call, call.arguments["eid"])
    params = {"event_id": event.id, "stale_before": call.now - STALE_AFTER}

    art_counts = await call.db.fetch_all(ART_STATUS_SQL, params)
    payment_counts = await call.db.fetch_all(PAYMENT_STATUS_SQL, params)
    buyers = await call.db.fetch_all(BUYER_UNPAID_SQL, params)
    paid = await call.db.fetch_all(ARTIST_UNPAID_SQL, params)
    problems = await call.db.fetch_all(PROBLEM_PAYMENTS_SQL, params)

    artists = [row for row in paid if _has_share(event, row)]
    issues = _issues(len(buyers), len(artists), problems)
    return {
        "event": {"eid": event.eid, "name": event.name, "currency": event.currency},
        "art_status_counts": _counts(art_counts, "works", ART_STATUSES),
        "payment_status_counts": _counts(payment_counts, "payments", PAYMENT_STATUSES),
        "buyer_unpaid": block(
            [_buyer_unpaid(call, event, row) for row in buyers[:MAX_ITEMS]], total=len(buyers)
        ),
        "artist_unpaid": block(
            [_artist_unpaid(call, event, row) for row in artists[:MAX_ITEMS]], total=len(artists)
        ),
        "problem_payments": block(
            [_problem(call, row) for row in problems[:MAX_ITEMS]], total=len(problems)
        ),
        "issues": issues,
        "healthy": issues["count"] == 0,
    }
