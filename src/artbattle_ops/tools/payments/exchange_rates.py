"""get_exchange_rates (tools.md §5.3): the one tool that converts between currencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.errors import InvalidArgumentsError, NotFoundError
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block, money
from artbattle_ops.tools.shared import display_time, warn_once

DEFAULT_BASE: Final = "USD"
STALE_AFTER: Final = timedelta(hours=48)
RATE_PLACES: Final = Decimal("0.000001")
STATEMENT_PLACES: Final = Decimal("0.0001")

RATES_SQL: Final = """
SELECT r.currency_code, r.rate_to_usd, r.last_updated
FROM exchange_rates r
ORDER BY r.currency_code
"""


@dataclass(frozen=True)
class Rate:
    """One stored rate: how many USD one unit of `currency` is worth."""

    currency: str
    rate_to_usd: Decimal
    last_updated: datetime | None


def _rounded(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _statement(base: str, rate: Decimal, target: str) -> str:
    return f"1 {base} = {_rounded(rate, STATEMENT_PLACES)} {target}"


def _is_stale(call: ToolCall, last_updated: datetime | None) -> bool:
    return last_updated is not None and call.now - last_updated > STALE_AFTER


async def _rates(call: ToolCall) -> dict[str, Rate]:
    rows = await call.db.fetch_all(RATES_SQL)
    rates = {
        row["currency_code"]: Rate(
            row["currency_code"], Decimal(row["rate_to_usd"]), row["last_updated"]
        )
        for row in rows
    }
    rates.setdefault(DEFAULT_BASE, Rate(DEFAULT_BASE, Decimal(1), None))
    return rates


def _check_combination(base: str | None, target: str | None, amount: Any) -> None:
    if target and not base:
        message = "Give base_currency too, or neither."
        raise InvalidArgumentsError(message, argument="target_currency", details=[message])
    if amount is not None and not (base and target):
        message = "amount needs both base_currency and target_currency."
        raise InvalidArgumentsError(message, argument="amount", details=[message])


def _known(rates: dict[str, Rate], code: str, argument: str) -> Rate:
    if code in rates:
        return rates[code]
    raise NotFoundError(
        f"No exchange rate found for {argument} {code}.",
        argument=argument,
        hint="Use one of the available currency codes in details.",
        details=sorted(rates),
    )


def _warn_stale(call: ToolCall, codes: list[str]) -> None:
    if codes:
        warn_once(call, "stale_data", f"Rates older than 48 h: {', '.join(codes)}.")


def _pair(call: ToolCall, base: Rate, target: Rate, amount: Any) -> dict[str, Any]:
    rate = base.rate_to_usd / target.rate_to_usd
    stamps = [stamp for stamp in (base.last_updated, target.last_updated) if stamp is not None]
    last_updated = min(stamps) if stamps else None
    stale = _is_stale(call, last_updated)
    _warn_stale(call, [r.currency for r in (base, target) if _is_stale(call, r.last_updated)])
    converted = None if amount is None else money(Decimal(str(amount)) * rate, target.currency)
    return {
        "base": base.currency,
        "target": target.currency,
        "rate": float(_rounded(rate, RATE_PLACES)),
        "inverse_rate": float(_rounded(1 / rate, RATE_PLACES)),
        "statement": _statement(base.currency, rate, target.currency),
        "converted": converted,
        "last_updated": display_time(call, last_updated),
        "stale": stale,
    }


def _listing(call: ToolCall, base: Rate, rates: dict[str, Rate]) -> dict[str, Any]:
    others = [rates[code] for code in sorted(rates) if code != base.currency]
    items = [
        {
            "currency": other.currency,
            "rate": float(_rounded(base.rate_to_usd / other.rate_to_usd, RATE_PLACES)),
            "statement": _statement(
                base.currency, base.rate_to_usd / other.rate_to_usd, other.currency
            ),
            "rate_to_usd": float(other.rate_to_usd),
            "last_updated": display_time(call, other.last_updated),
        }
        for other in others
    ]
    stale = [r.currency for r in [base, *others] if _is_stale(call, r.last_updated)]
    _warn_stale(call, sorted(stale))
    return {"base": base.currency, "rates": block(items)}


@read_tool("get_exchange_rates")
async def get_exchange_rates(call: ToolCall) -> dict[str, Any]:
    """A pair's rate (and a converted amount), or every rate against a base (default USD)."""
    base_code = call.arguments.get("base_currency")
    target_code = call.arguments.get("target_currency")
    amount = call.arguments.get("amount")
    _check_combination(base_code, target_code, amount)

    rates = await _rates(call)
    base = _known(rates, base_code or DEFAULT_BASE, "base_currency")
    if not target_code:
        return _listing(call, base, rates)
    target = _known(rates, target_code, "target_currency")
    return _pair(call, base, target, amount)
