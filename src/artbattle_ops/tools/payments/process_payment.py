"""process_artist_payment (tools.md §5.2): pay an artist what they are owed, through
process-artist-payment, at most once per identical request and UTC day."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from artbattle_ops.tools.errors import (
    ConflictError,
    InvalidArgumentsError,
    PreconditionFailedError,
)
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview, write_tool
from artbattle_ops.tools.results import money
from artbattle_ops.tools.shared import Event, fetch_owed_balances, resolve_event
from artbattle_ops.tools.shared.profiles import Profile, resolve_profile

TOOL: Final = "process_artist_payment"
FUNCTION: Final = "process-artist-payment"
CHECK_WITH: Final = "get_artist_payment_ledger"
CENT: Final = Decimal("0.01")
LOOK_ALIKE_WINDOW: Final = timedelta(hours=24)
READINESS_HINT: Final = (
    "Use get_artist_stripe_status to see the payout account and get_payment_invitations to see "
    "the setup invitations sent."
)

ARTIST_SQL: Final = """
SELECT ap.name,
       EXISTS (
           SELECT 1 FROM artist_global_payments g
           WHERE g.artist_profile_id = ap.id AND g.status = 'ready'
             AND g.stripe_recipient_id IS NOT NULL
       ) AS payout_ready,
       (SELECT g.status FROM artist_global_payments g
        WHERE g.artist_profile_id = ap.id
        ORDER BY (g.status = 'ready') DESC, g.updated_at DESC NULLS LAST, g.id
        LIMIT 1) AS payout_status,
       (SELECT count(*) FROM art a
        WHERE a.event_id = %(event_id)s::uuid AND a.artist_id = ap.id AND a.status = 'paid')
           AS paid_works
FROM artist_profiles ap
WHERE ap.id = %(profile_id)s::uuid
"""

# The key names the artist and the currency, so the payment carrying it is among theirs: the
# (artist_profile_id, currency) index finds it without reading every payment's metadata.
PAYMENT_BY_KEY_SQL: Final = """
SELECT p.id, p.status, p.gross_amount, p.currency
FROM artist_payments p
WHERE p.artist_profile_id = %(profile_id)s::uuid AND p.currency = %(currency)s
  AND p.metadata->>'idempotency_key' = %(key)s
ORDER BY p.created_at, p.id
LIMIT 1
"""

PAYMENT_STATUS_SQL: Final = "SELECT p.status FROM artist_payments p WHERE p.id = %(payment_id)s"

RECENT_PAYMENTS_SQL: Final = """
SELECT p.id, p.gross_amount, p.currency, p.status, p.created_at,
       p.metadata->>'idempotency_key' AS idempotency_key
FROM artist_payments p
WHERE p.artist_profile_id = %(profile_id)s::uuid AND p.created_at >= %(since)s
ORDER BY p.created_at DESC, p.id
"""


def payment_key(profile_id: str, eid: str, amount: Decimal, currency: str, day: date) -> str:
    """SHA-256 of `process_artist_payment|<artist>|<EID>|<amount, 2 dp>|<CURRENCY>|<UTC date>`."""
    text = f"{TOOL}|{profile_id}|{eid}|{cents(amount)}|{currency}|{day.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def cents(amount: Decimal | float | int) -> Decimal:
    """The amount as an exact decimal with 2 places (`75` → `75.00`)."""
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def utc_day(instant: datetime) -> date:
    """The UTC calendar date of an aware instant."""
    return instant.astimezone(UTC).date()


@dataclass(frozen=True)
class Request:
    """The normalised arguments and the key they give."""

    event: Event
    profile: Profile
    amount: Decimal
    currency: str
    description: str
    key: str


class ProcessArtistPayment:
    """Check the balance and readiness, then have process-artist-payment create the payout."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """Pre-read and the seven rules of §5.2, in order.

        Raises:
            NotFoundError: no such event or profile.
            InvalidArgumentsError: the currency is not the event's.
            ConflictError: the profile is superseded.
            PreconditionFailedError: not payout-ready, no paid work, or over the balance.
        """
        request = await _request(call)
        facts = await call.db.fetch_one(ARTIST_SQL, _ids(request)) or {}
        name = facts.get("name") or f"artist #{request.profile.entry_id}"
        existing = await call.db.fetch_one(PAYMENT_BY_KEY_SQL, _key_lookup(request))
        balance = await _balance(call, request)
        if existing is not None:
            return Unchanged(_replay(request, name, existing, balance))

        _check_rules(request, name, facts, balance)
        warnings = await _look_alikes(call, request)
        return _preview(request, name, balance, warnings)

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Call process-artist-payment, then re-read the payment's status by its id."""
        target = preview.target
        amount = cents(target["amount"]["amount"])
        body = {
            "artist_profile_id": target["artist_profile_id"],
            "amount": float(amount),
            "currency": target["amount"]["currency"],
            "event_id": target["event_id"],
            "payment_type": "automated",
            "description": target["description"],
        }
        answer = await call.call_edge(FUNCTION, body, check_with=CHECK_WITH)

        payment_id = str(answer.get("payment_id"))
        row = await call.db.fetch_one(PAYMENT_STATUS_SQL, {"payment_id": payment_id})
        status = row["status"] if row is not None else answer.get("status")
        return {
            "submitted": True,
            "replayed": answer.get("duplicate") is True,
            "payment_id": payment_id,
            "status": status,
            "artist": _artist(target),
            "event_eid": target["event_eid"],
            "amount": target["amount"],
            "balance_before": preview.before["balance_owed"],
            "balance_after_expected": preview.after["balance_owed"],
        }

    async def reconcile(self, call: ToolCall, since: datetime) -> dict[str, Any] | None:
        """The payment of an attempt whose outcome was unknown: the row carrying this call's
        key in `metadata.idempotency_key` (balances are not known afterwards: null)."""
        request = await _request(call)
        row = await call.db.fetch_one(PAYMENT_BY_KEY_SQL, _key_lookup(request))
        if row is None:
            return None
        facts = await call.db.fetch_one(ARTIST_SQL, _ids(request))
        name = (facts or {}).get("name") or f"artist #{request.profile.entry_id}"
        return _replay(request, name, row, None) | {"replayed": False}


async def _request(call: ToolCall) -> Request:
    args = call.arguments
    event = await resolve_event(call, args["eid"])
    profile = await resolve_profile(call, args["artist_profile_id"])
    currency = args["currency"]
    if currency != event.currency:
        message = (
            f"{event.eid} is settled in {event.currency}."
            if event.currency
            else f"{event.eid} has no currency, so it cannot be paid out."
        )
        raise InvalidArgumentsError(message, argument="currency", details=[message])

    amount = cents(args["amount"])
    description = args.get("description") or f"Art Battle {event.eid} artist payment"
    key = call.idempotency_key or payment_key(
        profile.id, event.eid, amount, currency, utc_day(call.now)
    )
    return Request(event, profile, amount, currency, description, key)


def _key_lookup(request: Request) -> dict[str, Any]:
    return {"profile_id": request.profile.id, "currency": request.currency, "key": request.key}


def _ids(request: Request) -> dict[str, Any]:
    return {"event_id": request.event.id, "profile_id": request.profile.id}


async def _balance(call: ToolCall, request: Request) -> Decimal:
    """The owed balance in the payment's currency, across all events (§1.10)."""
    balances = await fetch_owed_balances(call, [request.profile.id])
    return next((b.balance for b in balances if b.currency == request.currency), Decimal(0))


def _check_rules(request: Request, name: str, facts: dict[str, Any], balance: Decimal) -> None:
    """Rules 3 to 6 of §5.2."""
    replacement = request.profile.superseded_by
    if replacement is not None:
        raise ConflictError(
            f"{name}'s profile is superseded by {replacement}; pay the active profile."
        )
    if not facts.get("payout_ready"):
        status = facts.get("payout_status") or "none"
        raise PreconditionFailedError(
            f"{name} is not payout-ready (payout account status: {status}).",
            hint=READINESS_HINT,
        )
    eid = request.event.eid
    if not facts.get("paid_works"):
        raise PreconditionFailedError(f"{name} has no paid artwork at {eid}.")
    if request.amount > balance:
        raise PreconditionFailedError(
            f"{request.amount} {request.currency} is more than the {balance} {request.currency} "
            f"owed to {name}."
        )


async def _look_alikes(call: ToolCall, request: Request) -> list[str]:
    """Rule 7: same artist, amount and currency in the last 24 h, under another key."""
    since = call.now - LOOK_ALIKE_WINDOW
    rows = await call.db.fetch_all(
        RECENT_PAYMENTS_SQL, {"profile_id": request.profile.id, "since": since}
    )
    return [
        f"possible duplicate of payment {row['id']} ({row['status']}, "
        f"{cents(row['gross_amount'])} {row['currency']})"
        for row in rows
        if row["currency"] == request.currency
        and cents(row["gross_amount"]) == request.amount
        and row["idempotency_key"] != request.key
    ]


def _preview(request: Request, name: str, balance: Decimal, warnings: list[str]) -> WritePreview:
    currency, eid = request.currency, request.event.eid
    after = balance - request.amount
    return WritePreview(
        summary=(
            f"Pay {name} (#{request.profile.entry_id}) {request.amount} {currency} for {eid}; "
            f"the balance owed in {currency} goes from {balance} to {after}."
        ),
        target={
            "artist_profile_id": request.profile.id,
            "entry_id": request.profile.entry_id,
            "name": name,
            "event_eid": eid,
            "event_id": request.event.id,
            "event_name": request.event.name,
            "amount": money(request.amount, currency),
            "description": request.description,
        },
        before={
            "balance_owed": money(balance, currency),
            "payout_ready": True,
            "existing_payment_id": None,
        },
        after={"balance_owed": money(after, currency)},
        effects=[
            f"Calls the Edge Function {FUNCTION}: it creates an artist_payments row (pending, "
            "then processing) carrying the idempotency key, and a system_logs row.",
        ],
        idempotency_key=request.key,
        warnings=warnings,
    )


def _artist(target: dict[str, Any]) -> dict[str, Any]:
    return {
        "artist_profile_id": target["artist_profile_id"],
        "name": target["name"],
        "entry_id": target["entry_id"],
    }


def _replay(
    request: Request, name: str, payment: dict[str, Any], balance: Decimal | None
) -> dict[str, Any]:
    """The result for a payment that already carries this key: nothing is sent again."""
    currency = request.currency
    return {
        "submitted": True,
        "replayed": True,
        "payment_id": str(payment["id"]),
        "status": payment["status"],
        "artist": {
            "artist_profile_id": request.profile.id,
            "name": name,
            "entry_id": request.profile.entry_id,
        },
        "event_eid": request.event.eid,
        "amount": money(payment["gross_amount"], payment["currency"]),
        "balance_before": money(balance, currency),
        "balance_after_expected": money(balance, currency),
        "idempotency_key": request.key,
    }


write_tool(TOOL, ProcessArtistPayment())
