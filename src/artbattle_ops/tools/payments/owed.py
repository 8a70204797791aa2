"""get_artists_owed (tools.md §5.6): who is still owed money, per currency (§1.10)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money, totals_by_currency
from artbattle_ops.tools.shared import OwedBalance, fetch_owed_balances, resolve_event
from artbattle_ops.tools.shared.profiles import resolve_profile

SUMMARY_AFTER_ARTISTS: Final = 25
SUMMARY_ROWS: Final = 20
MAX_ROWS: Final = 200

# Artists with a paid work at the event, and what the event contributed to their credits.
EVENT_CREDITS_SQL: Final = """
SELECT a.artist_id, SUM(COALESCE(a.final_price, a.current_bid)
                        * COALESCE(e.artist_auction_portion, 0.5)) AS credit
FROM art a
JOIN events e ON e.id = a.event_id
WHERE a.event_id = %(event_id)s AND a.status = 'paid' AND a.artist_id IS NOT NULL
GROUP BY a.artist_id
"""

# The names that order the owed rows (every owed artist, so this stays light).
ARTIST_NAMES_SQL: Final = """
SELECT ap.id, ap.name, ap.entry_id
FROM artist_profiles ap
WHERE ap.id = ANY(%(artist_ids)s::uuid[])
"""

# For the artists of the rows shown: readiness, and per currency the share of sold works whose
# buyer has not paid.
SHOWN_FACTS_SQL: Final = """
SELECT ap.id,
       EXISTS (
           SELECT 1 FROM artist_global_payments g
           WHERE g.artist_profile_id = ap.id AND g.status = 'ready'
             AND g.stripe_recipient_id IS NOT NULL
       ) AS payout_ready,
       COALESCE((
           SELECT jsonb_object_agg(s.currency, s.amount)
           FROM (
               SELECT e.currency, SUM(COALESCE(a.final_price, a.current_bid)
                                      * COALESCE(e.artist_auction_portion, 0.5))::text AS amount
               FROM art a
               JOIN events e ON e.id = a.event_id
               WHERE a.artist_id = ap.id AND a.status = 'sold' AND btrim(e.currency) <> ''
               GROUP BY e.currency
           ) s
       ), '{}'::jsonb) AS awaiting
FROM artist_profiles ap
WHERE ap.id = ANY(%(artist_ids)s::uuid[])
"""

RATES_SQL: Final = "SELECT r.currency_code, r.rate_to_usd FROM exchange_rates r"


@dataclass(frozen=True)
class Scope:
    """Which balances the call covers."""

    artist_ids: list[str] | None
    currency: str | None
    event_credits: dict[str, Decimal] | None

    def covers(self, currency: str) -> bool:
        """Whether a balance in `currency` is in scope."""
        return self.currency is None or currency == self.currency


async def _scope(call: ToolCall) -> Scope:
    args = call.arguments
    artist_id, eid = args.get("artist_profile_id"), args.get("eid")
    currency = args.get("currency")
    if artist_id:
        await resolve_profile(call, artist_id)
    if not eid:
        return Scope([artist_id] if artist_id else None, currency, None)

    event = await resolve_event(call, eid)
    rows = await call.db.fetch_all(EVENT_CREDITS_SQL, {"event_id": event.id})
    credits = {str(row["artist_id"]): Decimal(row["credit"]) for row in rows}
    if artist_id:
        credits = {key: value for key, value in credits.items() if key == artist_id}
    if currency and currency != event.currency:
        return Scope([], currency, {})
    return Scope(sorted(credits), event.currency or "", credits)


def _usd_key(balance: OwedBalance, rates: dict[str, Decimal]) -> tuple[bool, Decimal]:
    rate = Decimal(1) if balance.currency == "USD" else rates.get(balance.currency)
    if rate is None:
        return True, Decimal(0)
    return False, -(balance.balance * rate)


async def _ordered(
    call: ToolCall, owed: list[OwedBalance], facts: dict[str, dict[str, Any]]
) -> list[OwedBalance]:
    rows = await call.db.fetch_all(RATES_SQL)
    rates = {row["currency_code"]: Decimal(row["rate_to_usd"]) for row in rows}
    return sorted(
        owed,
        key=lambda b: (
            *_usd_key(b, rates),
            facts[b.artist_profile_id]["name"] or "",
            b.artist_profile_id,
            b.currency,
        ),
    )


async def _facts(call: ToolCall, query: str, artist_ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = await call.db.fetch_all(query, {"artist_ids": artist_ids}) if artist_ids else []
    return {str(row["id"]): row for row in rows}


def _row(
    balance: OwedBalance, name: dict[str, Any], fact: dict[str, Any], scope: Scope
) -> dict[str, Any]:
    currency = balance.currency
    awaiting = Decimal(fact["awaiting"].get(currency, "0"))
    event_credit = None
    if scope.event_credits is not None:
        event_credit = money(scope.event_credits.get(balance.artist_profile_id), currency)
    return {
        "artist": {
            "artist_profile_id": balance.artist_profile_id,
            "name": name["name"],
            "entry_id": name["entry_id"],
        },
        "currency": currency,
        "credits": money(balance.credits, currency),
        "debits": money(balance.debits, currency),
        "balance_owed": money(balance.balance, currency),
        "event_credit": event_credit,
        "awaiting_buyer_payment": money(awaiting, currency),
        "paid_works": balance.paid_works,
        "payout_ready": bool(fact["payout_ready"]),
    }


def _totals(owed: list[OwedBalance]) -> dict[str, Any]:
    sums: dict[str, tuple[Decimal, int]] = defaultdict(lambda: (Decimal(0), 0))
    for balance in owed:
        amount, artists = sums[balance.currency]
        sums[balance.currency] = (amount + balance.balance, artists + 1)
    return totals_by_currency([(c, a, n) for c, (a, n) in sums.items()])


@read_tool("get_artists_owed")
async def get_artists_owed(call: ToolCall) -> dict[str, Any]:
    """Owed balances per artist and currency; above 25 owed artists, the top 20 and totals."""
    scope = await _scope(call)
    balances = (
        []
        if scope.artist_ids == []
        else await fetch_owed_balances(call, scope.artist_ids, owed_only=True)
    )
    owed = [b for b in balances if b.is_owed and scope.covers(b.currency)]

    ids = sorted({b.artist_profile_id for b in owed})
    names = await _facts(call, ARTIST_NAMES_SQL, ids)
    ordered = await _ordered(call, owed, names)

    summary_mode = len(ids) > SUMMARY_AFTER_ARTISTS
    shown = ordered[:SUMMARY_ROWS] if summary_mode else ordered[:MAX_ROWS]
    facts = await _facts(call, SHOWN_FACTS_SQL, sorted({b.artist_profile_id for b in shown}))
    rows = [_row(b, names[b.artist_profile_id], facts[b.artist_profile_id], scope) for b in shown]
    return {
        "summary_mode": summary_mode,
        "artists": block(rows, total=len(ordered)),
        "totals_by_currency": _totals(owed),
    }
