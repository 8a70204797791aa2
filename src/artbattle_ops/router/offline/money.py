"""Rendering the values of tool results: money objects, time objects, plain scalars."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SYMBOLS = {"CAD": "$", "USD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£"}
TIME_KEYS = frozenset({"utc", "local", "display"})


def is_money(value: object) -> bool:
    """True for a tools.md §1.6 money object `{"amount", "currency"}`."""
    return isinstance(value, Mapping) and set(value) == {"amount", "currency"}


def is_time(value: object) -> bool:
    """True for a tools.md §1.5 time object."""
    return isinstance(value, Mapping) and set(value) >= TIME_KEYS


def money_text(value: Mapping[str, Any]) -> str:
    """`$1,190.00 CAD`; an amount without a currency is shown without one."""
    amount = value.get("amount")
    if amount is None:
        return "—"
    currency = value.get("currency")
    figure = f"{SYMBOLS.get(currency or '', '')}{float(amount):,.2f}"
    return f"{figure} {currency}" if currency else figure


def scalar_text(value: Any) -> str:
    """Any result value as short text: money, time, booleans, None, numbers."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_money(value):
        return money_text(value)
    if is_time(value):
        return str(value.get("display") or value.get("local") or value.get("utc"))
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, Mapping):
        return ", ".join(f"{label(k)} {scalar_text(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(scalar_text(item) for item in value) or "—"
    return str(value)


def label(key: str) -> str:
    """A field name as a label: `balance_owed` becomes `Balance owed`."""
    text = key.replace("_pct", " %").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
