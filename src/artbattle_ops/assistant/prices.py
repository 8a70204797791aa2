"""Estimated model cost of a session from the configured price table (USD per 1M tokens)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from artbattle_ops.router.model import ModelTurn

Prices = Mapping[str, tuple[float, float]]
PER_TOKENS = Decimal(1_000_000)
QUANTUM = Decimal("0.000001")  # numeric(12,6)


def price_of(prices: Prices, model: str) -> tuple[float, float] | None:
    """The prices of `model`: an exact entry, else the longest entry the id starts with
    (`gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`); None when unknown."""
    if model in prices:
        return prices[model]
    matches = [name for name in prices if model.startswith(f"{name}-")]
    return prices[max(matches, key=len)] if matches else None


def estimate_cost(prices: Prices, turns: Iterable[ModelTurn], default_model: str) -> Decimal | None:
    """Σ over model calls of tokens × that call's model price; 0 without calls; None when some
    call's model has no price (observability.md §2.1 `estimated_cost_usd`)."""
    total = Decimal(0)
    for turn in turns:
        if turn.offline:
            continue
        price = price_of(prices, turn.model or default_model)
        if price is None:
            return None
        usd_in, usd_out = (Decimal(str(p)) for p in price)
        total += (turn.prompt_tokens * usd_in + turn.completion_tokens * usd_out) / PER_TOKENS
    return total.quantize(QUANTUM)
