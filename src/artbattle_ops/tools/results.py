"""Building blocks of tool results (tools.md §1.3, §1.6): list blocks, money, warnings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def block(items: Sequence[Any], total: int | None = None) -> dict[str, Any]:
    """A list block: `total` is the true number of matches (from a count or window query)."""
    count = len(items)
    true_total = count if total is None else max(total, count)
    return {
        "items": list(items),
        "count": count,
        "total": true_total,
        "truncated": true_total > count,
    }


def money(amount: Decimal | float | int | None, currency: str | None) -> dict[str, Any] | None:
    """`{"amount", "currency"}`, rounded half-up to cents; None for no amount."""
    if amount is None:
        return None
    return {"amount": float(_cents(amount)), "currency": currency}


def totals_by_currency(rows: Sequence[tuple[str | None, Decimal, int]]) -> dict[str, Any]:
    """`totals_by_currency` from (currency, amount, count) rows: never added across currencies."""
    ordered = sorted(rows, key=lambda row: (row[0] is None, row[0] or ""))
    items = [
        {"currency": currency, "amount": float(_cents(amount)), "count": count}
        for currency, amount, count in ordered
    ]
    return block(items)


def _cents(amount: Decimal | float | int) -> Decimal:
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
