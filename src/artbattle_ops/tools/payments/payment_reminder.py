"""send_payment_reminder (tools.md §5.9): text the winning buyer of a sold, unpaid artwork,
through admin-send-payment-reminder, at most once per artwork and UTC day."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.errors import ConflictError, PreconditionFailedError
from artbattle_ops.tools.formats import FormatError, phone_key
from artbattle_ops.tools.registry import ToolCall, WritePreview, write_tool
from artbattle_ops.tools.shared import Event, event_money, event_time, resolve_event, sale_price
from artbattle_ops.tools.shared.art_reference import resolve_art_reference

TOOL: Final = "send_payment_reminder"
FUNCTION: Final = "admin-send-payment-reminder"
CHECK_WITH: Final = "get_notification_status"

ART_SQL: Final = """
SELECT a.id, a.art_code, a.status::text AS status, a.current_bid, a.final_price, a.winner_id,
       a.closing_time, e.tax,
       COALESCE(NULLIF(btrim(w.name), ''), NULLIF(concat_ws(' ', w.first_name, w.last_name), ''))
           AS bidder_name,
       NULLIF(btrim(w.phone), '') AS bidder_phone
FROM art a
JOIN events e ON e.id = a.event_id
LEFT JOIN people w ON w.id = a.winner_id
WHERE a.id = %(art_id)s::uuid
"""

# The last reminder the assistant sent for this artwork, from the write ledger (§5.9).
LAST_REMINDER_SQL: Final = """
SELECT max(w.completed_at) AS sent_at
FROM esbmcp_write_operations w
WHERE w.tool_name = %(tool)s AND w.status = 'succeeded' AND w.result->>'art_id' = %(art_id)s
"""

SMS_SENT_AT_SQL: Final = "SELECT s.sent_at FROM sms_outbound s WHERE s.id = %(sms_id)s::uuid"

NOT_SOLD_REASONS: Final = {
    "active": "is not sold: the auction is still open",
    "closed": "is not sold: no bids were placed",
    "cancelled": "is cancelled: there is nothing to collect",
    "inactive": "is inactive: there is nothing to collect",
}


def reminder_key(art_id: str, day: date) -> str:
    """SHA-256 of `send_payment_reminder|<art uuid>|<UTC date>`: one reminder per work and day."""
    return hashlib.sha256(f"{TOOL}|{art_id}|{day.isoformat()}".encode()).hexdigest()


class SendPaymentReminder:
    """Preview the reminder, then have admin-send-payment-reminder text the buyer.

    There is no `reconcile`: a sent SMS cannot be verified in the database, so an unknown
    outcome stays unknown and is not retried that day (§5.9).
    """

    async def preview(self, call: ToolCall) -> WritePreview:
        """Pre-read and the six rules of §5.9, in order.

        Raises:
            NotFoundError: no artwork has this id or code.
            PreconditionFailedError: paid, not sold, no winner, or a winner without a phone.
            ConflictError: the artwork's buyer was already reminded today.
        """
        reference = await resolve_art_reference(call, call.arguments["art_id"])
        event = await resolve_event(call, reference.eid)
        art = await call.db.fetch_one(ART_SQL, {"art_id": reference.id}) or {}
        _check_art(art)

        last = await call.db.fetch_one(LAST_REMINDER_SQL, {"tool": TOOL, "art_id": reference.id})
        last_sent = (last or {}).get("sent_at")
        if last_sent is not None and _utc_day(last_sent) == _utc_day(call.now):
            sent = event_time(call, event, last_sent) or {}
            raise ConflictError(
                f"The buyer of {art['art_code']} was already reminded today, at "
                f"{sent.get('display')}; one reminder per artwork per UTC day."
            )
        return _preview(call, event, art, last_sent)

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Call admin-send-payment-reminder with the art uuid; `sent_at` from its SMS row."""
        art_id = preview.target["art_id"]
        body: dict[str, Any] = {"art_id": art_id}
        if call.arguments.get("admin_note"):
            body["admin_note"] = call.arguments["admin_note"]
        answer = await call.call_edge(FUNCTION, body, check_with=CHECK_WITH)

        details = answer.get("details") or {}
        event = await resolve_event(call, preview.target["event_eid"])
        sent_at = await _sent_at(call, details.get("sms_response") or {})
        return {
            "sent": True,
            "art_id": str(details.get("art_id") or art_id),
            "art_code": details.get("art_code") or preview.target["art_code"],
            "event_eid": details.get("event_eid") or event.eid,
            "bidder_name": details.get("bidder_name"),
            "bidder_phone": details.get("bidder_phone"),
            "message_sent": details.get("message_sent"),
            "sent_at": event_time(call, event, sent_at),
        }


def _utc_day(instant: datetime) -> date:
    return instant.astimezone(UTC).date()


def _check_art(art: dict[str, Any]) -> None:
    """Rules 2 to 5 of §5.9."""
    code, status = art["art_code"], art["status"]
    if status == "paid":
        raise PreconditionFailedError(f"{code} is already paid.")
    if status != "sold":
        reason = NOT_SOLD_REASONS.get(status, f"is {status}: it is not sold")
        raise PreconditionFailedError(f"{code} {reason}.")
    if art["winner_id"] is None:
        raise PreconditionFailedError(f"{code} has no winning bidder to remind.")
    if art["bidder_phone"] is None:
        raise PreconditionFailedError(
            f"The winner of {code} has no phone number; the reminder goes by SMS."
        )


def _shown_phone(phone: str) -> str:
    """The phone as `+<phone key>` (§1.2), or as stored when it has no valid key."""
    try:
        return f"+{phone_key(phone)}"
    except FormatError:
        return phone


async def _sent_at(call: ToolCall, sms: dict[str, Any]) -> datetime:
    """`sent_at` of the SMS the function logged, or the time of its answer."""
    row = None
    if sms.get("id"):
        row = await call.db.fetch_one(SMS_SENT_AT_SQL, {"sms_id": str(sms["id"])})
    if row is None or row["sent_at"] is None:
        return datetime.now(UTC)
    sent_at: datetime = row["sent_at"]
    return sent_at


def _preview(
    call: ToolCall, event: Event, art: dict[str, Any], last_sent: datetime | None
) -> WritePreview:
    price = sale_price(art["status"], art["final_price"], art["current_bid"])
    tax = Decimal(art["tax"] or 0)
    total = None if price is None else price * (1 + tax / 100)
    code, phone = art["art_code"], _shown_phone(art["bidder_phone"])
    note = call.arguments.get("admin_note")
    return WritePreview(
        summary=f"Text the winning buyer of {code} ({event.eid}) a reminder to pay.",
        target={
            "art_id": str(art["id"]),
            "art_code": code,
            "event_eid": event.eid,
            "event_name": event.name,
            "sale_price": event_money(call, price, event),
            "total_with_tax": event_money(call, total, event),
            "bidder_name": art["bidder_name"],
            "bidder_phone": phone,
        },
        before={
            "status": art["status"],
            "winner_id": str(art["winner_id"]),
            "bidder_phone": phone,
            "sale_price": event_money(call, price, event),
            "last_reminder_at": event_time(call, event, last_sent),
        },
        after={"reminder": "sms", "admin_note": note},
        effects=[
            f"Calls the Edge Function {FUNCTION}: it texts the winner (an sms_outbound row) and "
            "logs the reminder (a payment_reminders row).",
        ],
        idempotency_key=call.idempotency_key or reminder_key(str(art["id"]), _utc_day(call.now)),
    )


write_tool(TOOL, SendPaymentReminder())
