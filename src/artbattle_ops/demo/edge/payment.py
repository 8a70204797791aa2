"""`process-artist-payment`: pay one artist a given amount (schema.md §7.2)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from artbattle_ops.demo.edge.auth import admin_level_by_email
from artbattle_ops.demo.edge.call import EdgeCall, json_value
from artbattle_ops.demo.edge.payment_rules import PaymentRequest, validated_request
from artbattle_ops.demo.edge.refusal import refuse
from artbattle_ops.demo.edge.store import fetch_one, fetch_row

PAYING_LEVELS = frozenset({"super", "producer"})

FIND_CURRENCY = "SELECT 1 FROM public.exchange_rates WHERE currency_code = %s"
FIND_PROFILE = "SELECT id, name, entry_id FROM public.artist_profiles WHERE id = %s"
FIND_EVENT = "SELECT id, eid, currency FROM public.events WHERE id = %s"

# Identical requests with one key are serialised, so only the first inserts.
LOCK_KEY = "SELECT pg_advisory_xact_lock(hashtextextended('process-artist-payment:' || %s, 0))"

FIND_BY_KEY = """
SELECT id, artist_profile_id, art_id, gross_amount, currency, status
FROM public.artist_payments
WHERE metadata->>'idempotency_key' = %s
ORDER BY created_at, id
LIMIT 1
"""

FIND_PAYOUT_ACCOUNTS = """
SELECT status, stripe_recipient_id IS NOT NULL AS has_recipient
FROM public.artist_global_payments
WHERE artist_profile_id = %s
ORDER BY (status = 'ready' AND stripe_recipient_id IS NOT NULL) DESC, updated_at DESC, id
LIMIT 1
"""

FIND_REPRESENTATIVE_ART = """
SELECT id FROM public.art
WHERE artist_id = %s AND event_id = %s AND status = 'paid'
ORDER BY closing_time DESC NULLS LAST, art_code
LIMIT 1
"""

INSERT_PAYMENT = """
INSERT INTO public.artist_payments
    (artist_profile_id, art_id, gross_amount, net_amount, platform_fee, stripe_fee, currency,
     status, payment_type, payment_method, description, created_by, metadata)
VALUES (%s, %s, %s, %s, 0, 0, %s, 'pending', 'automated', 'stripe', %s,
        'process-artist-payment', %s)
RETURNING id
"""

MARK_PROCESSING = "UPDATE public.artist_payments SET status = 'processing' WHERE id = %s"

MARK_PAID = """
UPDATE public.artist_payments
SET status = 'paid', paid_at = now(), stripe_transfer_id = %s
WHERE id = %s
"""

INSERT_LOG = """
INSERT INTO public.system_logs (service, operation, level, request_data)
VALUES ('artist_payments', 'process_artist_payment', 'info', %s)
"""


@dataclass(frozen=True)
class Target:
    """The rows a payment refers to."""

    profile: dict[str, Any]
    event: dict[str, Any] | None


async def process_payment(conn: psycopg.AsyncConnection[Any], call: EdgeCall) -> dict[str, Any]:
    """Validate, replay a duplicate, check the payout account and art, then insert the payment.

    Raises:
        EdgeRefusal: the caller may not pay, or a rule of §7.2 fails.
    """
    if not call.caller.is_service and (
        await admin_level_by_email(conn, call.caller) not in PAYING_LEVELS
    ):
        raise refuse(403, "Admin access required")
    request = validated_request(call.body, call.idempotency_key)
    target = await _load_target(conn, request)

    if request.idempotency_key is not None:
        duplicate = await _find_duplicate(conn, request)
        if duplicate is not None:
            return _response(duplicate, request, target, duplicate=True)

    await _check_payout_account(conn, request.artist_profile_id)
    art_id = await _representative_art(conn, request, target)
    payment = await _insert_payment(conn, call, request, target, art_id)
    return _response(payment, request, target, duplicate=False)


async def _load_target(conn: psycopg.AsyncConnection[Any], request: PaymentRequest) -> Target:
    """The currency, the profile and the event must exist; the event's currency must match."""
    if await fetch_one(conn, FIND_CURRENCY, (request.currency,)) is None:
        raise refuse(400, "currency is invalid", "unknown currency")
    profile = await fetch_one(conn, FIND_PROFILE, (request.artist_profile_id,))
    if profile is None:
        raise refuse(404, "Artist profile not found")
    if request.event_id is None:
        return Target(profile, None)

    event = await fetch_one(conn, FIND_EVENT, (request.event_id,))
    if event is None:
        raise refuse(404, "Event not found")
    if (event["currency"] or "").upper() != request.currency:
        details = {"event_currency": event["currency"]}
        raise refuse(400, "Currency does not match event currency", details)
    return Target(profile, event)


async def _find_duplicate(
    conn: psycopg.AsyncConnection[Any], request: PaymentRequest
) -> dict[str, Any] | None:
    """The earlier payment with this key, or None; 409 when its parameters differ."""
    await conn.execute(LOCK_KEY, (request.idempotency_key,))
    row = await fetch_one(conn, FIND_BY_KEY, (request.idempotency_key,))
    if row is None:
        return None
    same = (
        str(row["artist_profile_id"]) == request.artist_profile_id
        and row["gross_amount"] == request.amount
        and row["currency"] == request.currency
    )
    if not same:
        raise refuse(409, "Idempotency key reused with different parameters")
    return row


async def _check_payout_account(conn: psycopg.AsyncConnection[Any], profile_id: str) -> None:
    account = await fetch_one(conn, FIND_PAYOUT_ACCOUNTS, (profile_id,))
    if account is not None and account["status"] == "ready" and account["has_recipient"]:
        return
    status = "none" if account is None else str(account["status"] or "none")
    raise refuse(400, "Artist has no ready payout account", {"status": status})


async def _representative_art(
    conn: psycopg.AsyncConnection[Any], request: PaymentRequest, target: Target
) -> Any:
    """The artist's latest-closing paid art at the event; None without an event."""
    if target.event is None:
        return None
    params = (request.artist_profile_id, target.event["id"])
    art = await fetch_one(conn, FIND_REPRESENTATIVE_ART, params)
    if art is None:
        raise refuse(400, "No paid artwork for this artist at this event")
    return art["id"]


async def _insert_payment(
    conn: psycopg.AsyncConnection[Any],
    call: EdgeCall,
    request: PaymentRequest,
    target: Target,
    art_id: Any,
) -> dict[str, Any]:
    """Insert as pending, move to processing (and to paid when auto-completing), log it."""
    metadata = _metadata(call, request, target)
    params = (
        request.artist_profile_id,
        art_id,
        request.amount,
        request.amount,
        request.currency,
        request.description,
        Jsonb(metadata),
    )
    payment_id = (await fetch_row(conn, INSERT_PAYMENT, params))["id"]
    await conn.execute(MARK_PROCESSING, (payment_id,))
    status = "processing"
    if call.auto_complete_payouts:
        await conn.execute(MARK_PAID, (transfer_id(str(payment_id)), payment_id))
        status = "paid"

    log = {"payment_id": str(payment_id), "amount": json_value(request.amount)}
    await conn.execute(INSERT_LOG, (Jsonb(log | {"currency": request.currency}),))
    return {"id": payment_id, "art_id": art_id, "status": status}


def _metadata(call: EdgeCall, request: PaymentRequest, target: Target) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "event_id": request.event_id,
        "eid": None if target.event is None else target.event["eid"],
        "requested_by": "service_role" if call.caller.is_service else call.caller.email,
        "emulated": True,
    }
    if request.idempotency_key is not None:
        metadata["idempotency_key"] = request.idempotency_key
    return metadata


def transfer_id(payment_id: str) -> str:
    """The emulated Stripe transfer id: `tr_emu_` and 16 hex digits derived from the payment id."""
    return "tr_emu_" + hashlib.sha256(payment_id.encode()).hexdigest()[:16]


def _response(
    payment: dict[str, Any], request: PaymentRequest, target: Target, *, duplicate: bool
) -> dict[str, Any]:
    return {
        "success": True,
        "payment_id": str(payment["id"]),
        "artist_profile_id": request.artist_profile_id,
        "art_id": None if payment["art_id"] is None else str(payment["art_id"]),
        "amount": json_value(Decimal(request.amount)),
        "currency": request.currency,
        "status": payment["status"],
        "duplicate": duplicate,
        "message": f"Payment queued for {_artist_name(target.profile)}",
    }


def _artist_name(profile: dict[str, Any]) -> str:
    return str(profile["name"] or f"artist #{profile['entry_id']}")
