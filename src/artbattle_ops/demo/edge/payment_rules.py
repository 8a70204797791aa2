"""The field rules of `process-artist-payment`, each failing as `<field> is invalid` (§7.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from artbattle_ops.demo.edge.body import is_blank, is_number, is_uuid
from artbattle_ops.demo.edge.refusal import refuse

MAX_AMOUNT = Decimal(10_000)
CENT = Decimal("0.01")
MAX_DESCRIPTION_CHARS = 500
DEFAULT_DESCRIPTION = "Art Battle artist payment"
KEY_CHARS = range(8, 101)


@dataclass(frozen=True)
class PaymentRequest:
    """A payment request whose fields passed their rules, with defaults applied."""

    artist_profile_id: str
    amount: Decimal
    currency: str
    event_id: str | None
    description: str
    idempotency_key: str | None


def validated_request(body: dict[str, Any], idempotency_key: str | None) -> PaymentRequest:
    """The request with defaults applied, after the header and every field rule.

    Raises:
        EdgeRefusal: 400 `<field> is invalid` for the first rule broken.
    """
    if idempotency_key is not None and len(idempotency_key) not in KEY_CHARS:
        raise refuse(400, "Idempotency-Key is invalid", "must be 8 to 100 characters")
    profile_id = _required_uuid(body.get("artist_profile_id"), "artist_profile_id")
    amount = _amount(body.get("amount"))
    currency = _currency(body.get("currency"))
    event_id = body.get("event_id")
    if event_id is not None:
        event_id = _required_uuid(event_id, "event_id")
    if body.get("payment_type") not in (None, "automated"):
        raise refuse(400, "payment_type is invalid", "only 'automated' is accepted")
    description = _description(body.get("description"))
    return PaymentRequest(profile_id, amount, currency, event_id, description, idempotency_key)


def _required_uuid(value: Any, field: str) -> str:
    if not is_uuid(value):
        raise refuse(400, f"{field} is invalid", "must be a uuid")
    return str(uuid.UUID(value))


def _amount(value: Any) -> Decimal:
    if not is_number(value):
        raise refuse(400, "amount is invalid", "must be a number")
    amount = Decimal(value)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise refuse(400, "amount is invalid", "must be greater than 0 and at most 10000")
    if amount != amount.quantize(CENT):
        raise refuse(400, "amount is invalid", "must have at most 2 decimals")
    return amount.quantize(CENT)


def _currency(value: Any) -> str:
    if value is None:
        return "USD"
    if not isinstance(value, str) or is_blank(value):
        raise refuse(400, "currency is invalid", "must be a currency code")
    return value.strip().upper()


def _description(value: Any) -> str:
    if value is None:
        return DEFAULT_DESCRIPTION
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION_CHARS:
        raise refuse(400, "description is invalid", "must be a string of at most 500 chars")
    return value
