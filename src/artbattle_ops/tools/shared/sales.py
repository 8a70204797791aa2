"""Sale price, artist share and the owed balance (tools.md §1.6, §1.10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from artbattle_ops.tools.registry import ToolCall
from artbattle_ops.tools.shared.events import warn_once

DEFAULT_ARTIST_PORTION: Final = Decimal("0.5")
OWED_THRESHOLD: Final = Decimal("0.01")
CENT: Final = Decimal("0.01")

# Sale price and artist share (§1.6), over `art a` joined to `events e`.
SALE_PRICE_SQL: Final = (
    "CASE WHEN a.status IN ('sold', 'paid') THEN COALESCE(a.final_price, a.current_bid) END"
)
ARTIST_SHARE_SQL: Final = (
    "CASE WHEN a.status IN ('sold', 'paid') THEN COALESCE(a.final_price, a.current_bid)"
    " * COALESCE(e.artist_auction_portion, 0.5) END"
)


def sale_price(
    status: str, final_price: Decimal | None, current_bid: Decimal | None
) -> Decimal | None:
    """The sale price (§1.6): `COALESCE(final_price, current_bid)` for sold or paid works only."""
    if status not in ("sold", "paid"):
        return None
    return final_price if final_price is not None else current_bid


def artist_share(price: Decimal | None, portion: Decimal | None) -> Decimal | None:
    """Sale price × `COALESCE(artist_auction_portion, 0.5)` (§1.6); None when unsold."""
    if price is None:
        return None
    return price * (DEFAULT_ARTIST_PORTION if portion is None else portion)


@dataclass(frozen=True)
class OwedBalance:
    """One artist's balance in one currency (§1.10)."""

    artist_profile_id: str
    currency: str
    credits: Decimal
    debits: Decimal
    paid_works: int

    @property
    def balance(self) -> Decimal:
        """max(0, credits − debits), rounded half-up to cents."""
        return max(Decimal(0), self.credits - self.debits).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def is_owed(self) -> bool:
        """The artist is owed when the balance is greater than 0.01."""
        return self.balance > OWED_THRESHOLD


# Credits and debits per artist and currency (§1.10). `artist_ids` null means every artist;
# `owed_only` keeps the rows whose balance, rounded to cents, is above 0.01 (`is_owed`), so that
# the global list does not carry every artist ever paid out of the database.
OWED_BALANCES_SQL: Final = """
SELECT x.artist_profile_id, x.currency,
       SUM(x.credit) AS credits, SUM(x.debit) AS debits, SUM(x.paid_works) AS paid_works
FROM (
    SELECT a.artist_id AS artist_profile_id, e.currency,
           COALESCE(a.final_price, a.current_bid)
               * COALESCE(e.artist_auction_portion, 0.5) AS credit,
           0 AS debit, 1 AS paid_works
    FROM art a
    JOIN events e ON e.id = a.event_id
    WHERE a.status = 'paid' AND a.artist_id IS NOT NULL AND btrim(e.currency) <> ''
      AND (%(artist_ids)s::uuid[] IS NULL OR a.artist_id = ANY(%(artist_ids)s::uuid[]))
    UNION ALL
    SELECT p.artist_profile_id, p.currency, 0, p.gross_amount, 0
    FROM artist_payments p
    WHERE p.status IN ('paid', 'verified', 'processing', 'pending')
      AND (%(artist_ids)s::uuid[] IS NULL OR p.artist_profile_id = ANY(%(artist_ids)s::uuid[]))
) x
GROUP BY x.artist_profile_id, x.currency
HAVING NOT %(owed_only)s OR round(SUM(x.credit) - SUM(x.debit), 2) > 0.01
ORDER BY 1, 2
"""

OWED_MISSING_CURRENCY_SQL: Final = """
SELECT DISTINCT e.eid
FROM art a
JOIN events e ON e.id = a.event_id
WHERE a.status = 'paid' AND a.artist_id IS NOT NULL AND COALESCE(btrim(e.currency), '') = ''
  AND (%(artist_ids)s::uuid[] IS NULL OR a.artist_id = ANY(%(artist_ids)s::uuid[]))
ORDER BY e.eid
"""

OWED_CURRENCY_MISMATCH_SQL: Final = """
SELECT p.id
FROM artist_payments p
JOIN art a ON a.id = p.art_id
JOIN events e ON e.id = a.event_id
WHERE p.status IN ('paid', 'verified', 'processing', 'pending')
  AND btrim(e.currency) <> '' AND p.currency <> e.currency
  AND (%(artist_ids)s::uuid[] IS NULL OR p.artist_profile_id = ANY(%(artist_ids)s::uuid[]))
ORDER BY p.id
"""


async def fetch_owed_balances(
    call: ToolCall, artist_ids: Sequence[str] | None = None, *, owed_only: bool = False
) -> list[OwedBalance]:
    """Credits, debits and balance per artist and currency (§1.10), owed or not.

    `artist_ids` None covers every artist; `owed_only` returns only the rows where `is_owed`.
    Adds the `currency_missing` (EIDs skipped) and `currency_mismatch` (payment ids) warnings
    of §1.10.
    """
    params = {"artist_ids": None if artist_ids is None else list(artist_ids)}
    rows = await call.db.fetch_all(OWED_BALANCES_SQL, {**params, "owed_only": owed_only})

    missing = await call.db.fetch_all(OWED_MISSING_CURRENCY_SQL, params)
    if missing:
        eids = ", ".join(row["eid"] for row in missing)
        warn_once(call, "currency_missing", f"Paid works skipped, event has no currency: {eids}.")
    mismatched = await call.db.fetch_all(OWED_CURRENCY_MISMATCH_SQL, params)
    if mismatched:
        ids = ", ".join(str(row["id"]) for row in mismatched)
        warn_once(
            call,
            "currency_mismatch",
            f"Payments counted in their own currency, not the event's: {ids}.",
        )

    return [
        OwedBalance(
            artist_profile_id=str(row["artist_profile_id"]),
            currency=row["currency"],
            credits=Decimal(row["credits"]),
            debits=Decimal(row["debits"]),
            paid_works=int(row["paid_works"]),
        )
        for row in rows
    ]
