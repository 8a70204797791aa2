"""send_artist_invitation (tools.md §4.6): invite an artist to an event (admin-send-invitation)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.errors import ConflictError, NotFoundError, PreconditionFailedError
from artbattle_ops.tools.formats import lookup_hint
from artbattle_ops.tools.registry import ToolCall, WritePreview, write_tool
from artbattle_ops.tools.shared import Event, event_phase, event_time, event_zone, resolve_event
from artbattle_ops.tools.timefmt import zone

TOOL: Final = "send_artist_invitation"
FUNCTION: Final = "admin-send-invitation"
CHECK_WITH: Final = "get_artist_invitations"

# The profile, its replacement's name, and whether an email is on file (its own, else its
# person's), as the Edge Function chooses the recipient (schema.md §7.1).
PROFILE_SQL: Final = """
SELECT ap.id, ap.name, ap.entry_id, ap.superseded_by, nx.name AS replacement_name,
       COALESCE(NULLIF(btrim(ap.email), ''), NULLIF(btrim(pe.email), '')) IS NOT NULL
           AS email_on_file
FROM artist_profiles ap
LEFT JOIN people pe ON pe.id = ap.person_id
LEFT JOIN artist_profiles nx ON nx.id = ap.superseded_by
WHERE ap.id = %(profile_id)s::uuid
"""

# Every invitation of the pair, whatever its status: by profile id or by artist number.
PAIR_INVITATIONS_SQL: Final = """
SELECT i.id, i.status::text AS status, i.created_at
FROM artist_invitations i
WHERE i.event_eid = %(eid)s
  AND (i.artist_profile_id = %(profile_id)s::uuid OR i.artist_number = %(entry_id)s::text)
  AND (%(since)s::timestamptz IS NULL OR i.created_at >= %(since)s::timestamptz)
ORDER BY i.created_at DESC, i.id
"""

CONFIRMED_SQL: Final = """
SELECT c.id
FROM artist_confirmations c
WHERE c.event_eid = %(eid)s AND c.confirmation_status = 'confirmed'
  AND (c.artist_profile_id = %(profile_id)s::uuid OR c.artist_number = %(entry_id)s::text)
ORDER BY c.id
LIMIT 1
"""


def invitation_key(eid: str, entry_id: int) -> str:
    """SHA-256 of `send_artist_invitation|<EID>|<entry_id>` (§4.6): one invitation per pair."""
    return hashlib.sha256(f"{TOOL}|{eid}|{entry_id}".encode()).hexdigest()


class SendArtistInvitation:
    """Preview the invitation, then have admin-send-invitation create it and email the artist."""

    async def preview(self, call: ToolCall) -> WritePreview:
        """Pre-read and the rules of §4.6, in order.

        Raises:
            NotFoundError: no such event or profile.
            ConflictError: a superseded profile, an existing invitation, or a confirmation.
            PreconditionFailedError: no entry_id, or the event has started.
        """
        event = await resolve_event(call, call.arguments["eid"])
        profile = await _profile(call, call.arguments["artist_profile_id"])
        name = _artist_name(profile)
        _check_profile(profile, name)
        _check_event(call, event)
        await _check_pair(call, event, profile, name)
        return _preview(call, event, profile, name)

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Call admin-send-invitation; an email the function could not send is a warning."""
        target = preview.target
        body = {
            "event_eid": target["event_eid"],
            "artist_number": str(target["entry_id"]),
            "artist_profile_id": target["artist_profile_id"],
            "message_from_producer": call.arguments["message_from_producer"],
        }
        answer = await call.call_edge(FUNCTION, body, check_with=CHECK_WITH)

        invitation = answer.get("invitation") or {}
        email = answer.get("email") or {}
        email_sent = email.get("success") is True
        email_error = None if email_sent else str(email.get("error") or "unknown")
        if not email_sent:
            call.warn(
                "email_not_sent", f"The invitation stands but no email was sent: {email_error}"
            )
        return _result(
            target, invitation.get("id"), invitation.get("status"), email_sent, email_error
        )

    async def reconcile(self, call: ToolCall, since: datetime) -> dict[str, Any] | None:
        """The invitation of an attempt whose outcome was unknown: one for the pair created
        after `since`; whether its email went out is not known (null)."""
        eid = call.arguments["eid"]
        profile = await _profile(call, call.arguments["artist_profile_id"])
        rows = await call.db.fetch_all(PAIR_INVITATIONS_SQL, _pair(eid, profile, since))
        if not rows:
            return None
        target = {"event_eid": eid, "artist_profile_id": str(profile["id"])}
        target["entry_id"] = profile["entry_id"]
        return _result(target, rows[0]["id"], rows[0]["status"], None, None)


async def _profile(call: ToolCall, profile_id: str) -> dict[str, Any]:
    """The profile row; its entry_id may be null, which `resolve_profile` does not allow."""
    row = await call.db.fetch_one(PROFILE_SQL, {"profile_id": profile_id})
    if row is None:
        raise NotFoundError(
            f"No artist profile found with artist_profile_id {profile_id}.",
            argument="artist_profile_id",
            hint=lookup_hint("artist_profile_id", "lookup_artist_profile"),
        )
    return row


def _artist_name(profile: dict[str, Any]) -> str:
    if profile["name"]:
        return str(profile["name"])
    if profile["entry_id"] is not None:
        return f"artist #{profile['entry_id']}"
    return f"artist {profile['id']}"


def _check_profile(profile: dict[str, Any], name: str) -> None:
    replacement = profile["superseded_by"]
    if replacement is not None:
        named = f" ({profile['replacement_name']})" if profile["replacement_name"] else ""
        raise ConflictError(
            f"{name}'s profile is superseded by {replacement}{named}; invite the active profile."
        )
    if profile["entry_id"] is None:
        raise PreconditionFailedError(
            f"{name} has no entry_id; invitations are keyed by artist number."
        )


def _check_event(call: ToolCall, event: Event) -> None:
    phase = event_phase(event.start, event.end, call.now)
    if phase == "in_progress":
        raise PreconditionFailedError(f"{event.eid} has already started; invite before it starts.")
    if phase == "past":
        raise PreconditionFailedError(f"{event.eid} is over; invitations are for upcoming events.")


async def _check_pair(call: ToolCall, event: Event, profile: dict[str, Any], name: str) -> None:
    rows = await call.db.fetch_all(PAIR_INVITATIONS_SQL, _pair(event.eid, profile))
    if rows:
        latest = rows[0]
        created = _short_date(event, latest["created_at"])
        raise ConflictError(
            f"{name} already has a {latest['status']} invitation to {event.eid} "
            f"(created {created})."
        )
    if await call.db.fetch_one(CONFIRMED_SQL, _pair(event.eid, profile)) is not None:
        raise ConflictError(f"{name} is already confirmed for {event.eid}.")


def _pair(eid: str, profile: dict[str, Any], since: datetime | None = None) -> dict[str, Any]:
    return {
        "eid": eid,
        "profile_id": str(profile["id"]),
        "entry_id": profile["entry_id"],
        "since": since,
    }


def _short_date(event: Event, instant: datetime | None) -> str:
    """`3 Feb` in the event's zone (§1.5)."""
    if instant is None:
        return "at an unknown date"
    local = instant.astimezone(zone(event_zone(event)[0]))
    return f"{local.day} {local:%b}"


def _preview(call: ToolCall, event: Event, profile: dict[str, Any], name: str) -> WritePreview:
    start = event_time(call, event, event.start)
    when = start["display"] if start else "no start time"
    email_on_file = bool(profile["email_on_file"])
    warnings = [] if email_on_file else [f"No email on file for {name}; no email will be sent."]
    return WritePreview(
        summary=f"Invite {name} (#{profile['entry_id']}) to {event.eid} {event.name} ({when}).",
        target={
            "artist_profile_id": str(profile["id"]),
            "entry_id": profile["entry_id"],
            "name": name,
            "event_eid": event.eid,
            "event_name": event.name,
            "event_start": start,
            "visible_in_app": event.is_visible,
        },
        before={"invitation": None, "email_on_file": email_on_file},
        after={
            "invitation": {"status": "pending"},
            "message_from_producer": call.arguments["message_from_producer"],
        },
        effects=[
            f"Calls the Edge Function {FUNCTION}: it inserts an artist_invitations row "
            "(status pending) and emails the artist (an email_logs row).",
        ],
        idempotency_key=invitation_key(event.eid, int(profile["entry_id"])),
        warnings=warnings,
    )


def _result(
    target: dict[str, Any],
    invitation_id: Any,
    status: Any,
    email_sent: bool | None,
    email_error: str | None,
) -> dict[str, Any]:
    return {
        "sent": True,
        "invitation_id": None if invitation_id is None else str(invitation_id),
        "event_eid": target["event_eid"],
        "artist_profile_id": target["artist_profile_id"],
        "artist_number": str(target["entry_id"]),
        "status": status,
        "email_sent": email_sent,
        "email_error": email_error,
    }


write_tool(TOOL, SendArtistInvitation())
