"""JSON passed through to the model (`raw`, `targeting_criteria`), cut to size (tools.md §1.3)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Final

ELLIPSIS: Final = "…"


def cut_json(value: Any, max_items: int, max_chars: int | None = None) -> Any:
    """`value` with every array cut to `max_items` and, given `max_chars`, every string cut too."""
    if isinstance(value, dict):
        return {key: cut_json(item, max_items, max_chars) for key, item in value.items()}
    if isinstance(value, list):
        return [cut_json(item, max_items, max_chars) for item in value[:max_items]]
    if isinstance(value, str) and max_chars is not None:
        return cut_text(value, max_chars)
    return value


def cut_text(text: str | None, max_chars: int) -> str | None:
    """Free text cut to `max_chars` characters, marked with `…` when cut."""
    if text is None or len(text) <= max_chars:
        return text
    return text[: max_chars - 1] + ELLIPSIS


def as_decimal(value: Any) -> Decimal | None:
    """A JSON number (or numeric string) as an exact decimal; None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
