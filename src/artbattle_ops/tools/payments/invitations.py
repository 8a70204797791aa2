"""get_payment_invitations (tools.md §5.8): invitations to set up a payout account."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, resolve_event
from artbattle_ops.tools.shared.profiles import resolve_profile

INVITATION_STATUSES: Final = ("sent", "delivered", "failed", "opened", "clicked")

FILTERS: Final = {
    "artist_profile_id": "i.artist_profile_id = %(artist_profile_id)s",
    "event_id": (
        "EXISTS (SELECT 1 FROM art a"
        " WHERE a.artist_id = i.artist_profile_id AND a.event_id = %(event_id)s)"
    ),
}

# {where} is a conjunction of fixed FILTERS; every value is bound. The payout status is the
# artist's global account, a ready one first.
INVITATIONS_SQL: Final = """
SELECT i.id, i.artist_profile_id, ap.name, i.status, i.invitation_method, i.invitation_type,
       i.recipient_email, i.recipient_phone, i.sent_by, i.sent_at, i.error_message,
       (SELECT g.status FROM artist_global_payments g
        WHERE g.artist_profile_id = i.artist_profile_id
        ORDER BY (g.status = 'ready' AND g.stripe_recipient_id IS NOT NULL) DESC,
                 g.updated_at DESC NULLS LAST, g.id
        LIMIT 1) AS payout_status,
       count(*) OVER () AS total_matches
FROM payment_setup_invitations i
JOIN artist_profiles ap ON ap.id = i.artist_profile_id
WHERE {where}
ORDER BY i.sent_at DESC NULLS LAST, i.id
LIMIT %(limit)s
"""

STATUS_COUNTS_SQL: Final = """
SELECT i.status, count(*) AS invitations
FROM payment_setup_invitations i
WHERE {where}
GROUP BY i.status
"""


def _invitation(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "invitation_id": str(row["id"]),
        "artist": {"artist_profile_id": str(row["artist_profile_id"]), "name": row["name"]},
        "payout_status": row["payout_status"] or "none",
        "status": row["status"],
        "invitation_method": row["invitation_method"],
        "invitation_type": row["invitation_type"],
        "recipient_email": row["recipient_email"],
        "recipient_phone": row["recipient_phone"],
        "sent_by": row["sent_by"],
        "sent_at": display_time(call, row["sent_at"]),
        "error_message": row["error_message"],
    }


async def _filters(call: ToolCall) -> dict[str, Any]:
    args = call.arguments
    params: dict[str, Any] = {}
    if args.get("artist_profile_id"):
        await resolve_profile(call, args["artist_profile_id"])
        params["artist_profile_id"] = args["artist_profile_id"]
    if args.get("eid"):
        params["event_id"] = (await resolve_event(call, args["eid"])).id
    return params


@read_tool("get_payment_invitations")
async def get_payment_invitations(call: ToolCall) -> dict[str, Any]:
    """Payout-setup invitations, newest first, with counts per status over every match."""
    params = await _filters(call)
    where = " AND ".join(FILTERS[name] for name in FILTERS if name in params)

    limit = int(call.arguments["limit"])
    rows = await call.db.fetch_all(INVITATIONS_SQL.format(where=where), {**params, "limit": limit})
    counts = await call.db.fetch_all(STATUS_COUNTS_SQL.format(where=where), params)

    found = {row["status"]: int(row["invitations"]) for row in counts}
    total = int(rows[0]["total_matches"]) if rows else 0
    return {
        "invitations": block([_invitation(call, row) for row in rows], total=total),
        "status_counts": {status: found.get(status, 0) for status in INVITATION_STATUSES},
    }
