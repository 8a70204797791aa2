"""What a function receives: the verified caller, the parsed body and the headers it acts on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from artbattle_ops.demo.edge.auth import Caller


@dataclass(frozen=True)
class EdgeCall:
    """One authenticated call to a function."""

    caller: Caller
    body: dict[str, Any]
    idempotency_key: str | None = None
    auto_complete_payouts: bool = False


# A function runs inside the call's transaction and returns its 200 body, or raises EdgeRefusal.
Handler = Callable[[psycopg.AsyncConnection[Any], EdgeCall], Awaitable[dict[str, Any]]]


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """A database row with uuids, instants and decimals turned into JSON values."""
    return {key: json_value(value) for key, value in row.items()}


def json_value(value: Any) -> Any:
    """One database value as JSON: uuid and instants as strings, decimals as numbers."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
