"""get_qr_scan_status (tools.md §4.10): QR check-ins at an event or by a person."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.formats import lookup_hint
from artbattle_ops.tools.profile_integrity.event_rows import events_by_id
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, event_time, resolve_event

PERSON_SQL: Final = "SELECT p.id FROM people p WHERE p.id = %(person_id)s::uuid"

SCAN_FILTER: Final = """
WHERE (%(event_id)s::uuid IS NULL OR s.event_id = %(event_id)s::uuid)
  AND (%(person_id)s::uuid IS NULL OR s.person_id = %(person_id)s::uuid)
  AND (NOT %(valid_only)s OR s.is_valid)
"""

# Counted over every matching scan, never limited (§4.10).
SUMMARY_SQL: Final = (
    """
SELECT count(*) AS total_scans,
       count(*) FILTER (WHERE s.is_valid) AS valid_scans,
       count(DISTINCT s.person_id) AS unique_people,
       count(DISTINCT s.person_id) FILTER (WHERE s.is_valid) AS unique_people_with_valid_scan,
       min(s.scan_timestamp) AS first_scan_at,
       max(s.scan_timestamp) AS last_scan_at,
       (array_agg(s.event_id ORDER BY s.scan_timestamp, s.id))[1] AS first_event_id,
       (array_agg(s.event_id ORDER BY s.scan_timestamp DESC, s.id))[1] AS last_event_id
FROM people_qr_scans s
"""
    + SCAN_FILTER
)

# Most code rows are deleted an hour after generation, so the code row is always LEFT JOINed.
SCANS_SQL: Final = (
    """
SELECT s.id, s.event_id, s.qr_code, s.scan_timestamp, s.is_valid,
       q.code AS found_code, q.generated_at, q.expires_at, q.is_active,
       p.id AS person_id, p.first_name, p.last_name, p.email
FROM people_qr_scans s
LEFT JOIN qr_codes q ON q.code = s.qr_code
LEFT JOIN people p ON p.id = s.person_id
"""
    + SCAN_FILTER
    + """
ORDER BY s.scan_timestamp DESC NULLS LAST, s.id
LIMIT %(limit)s
"""
)


async def _check_person(call: ToolCall, person_id: str) -> None:
    if await call.db.fetch_one(PERSON_SQL, {"person_id": person_id}) is None:
        raise NotFoundError(
            f"No person found with person_id {person_id}.",
            argument="person_id",
            hint=lookup_hint("person_id", "lookup_person"),
        )


def _time(call: ToolCall, event: Event | None, instant: datetime | None) -> dict[str, Any] | None:
    return None if event is None else event_time(call, event, instant)


def _scan(call: ToolCall, row: dict[str, Any], events: dict[str, Event]) -> dict[str, Any]:
    event = events.get(str(row["event_id"]))
    return {
        "scan_id": str(row["id"]),
        "code": row["found_code"] or row["qr_code"],
        "qr_code_found": row["found_code"] is not None,
        "is_valid": row["is_valid"],
        "scan_timestamp": _time(call, event, row["scan_timestamp"]),
        "event_eid": None if event is None else event.eid,
        "event_name": None if event is None else event.name,
        "person": {
            "person_id": None if row["person_id"] is None else str(row["person_id"]),
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "email": row["email"],
        },
        "code_generated_at": _time(call, event, row["generated_at"]),
        "code_expires_at": _time(call, event, row["expires_at"]),
        "code_is_active": row["is_active"],
    }


def _summary(call: ToolCall, row: dict[str, Any], events: dict[str, Event]) -> dict[str, Any]:
    first, last = events.get(str(row["first_event_id"])), events.get(str(row["last_event_id"]))
    return {
        "total_scans": int(row["total_scans"]),
        "valid_scans": int(row["valid_scans"]),
        "unique_people": int(row["unique_people"]),
        "unique_people_with_valid_scan": int(row["unique_people_with_valid_scan"]),
        "first_scan_at": _time(call, first, row["first_scan_at"]),
        "last_scan_at": _time(call, last, row["last_scan_at"]),
    }


@read_tool("get_qr_scan_status")
async def get_qr_scan_status(call: ToolCall) -> dict[str, Any]:
    """Scans newest first, with summary counts over every matching scan."""
    eid, person_id = call.arguments.get("eid"), call.arguments.get("person_id")
    event = None if eid is None else await resolve_event(call, eid)
    if person_id is not None:
        await _check_person(call, person_id)

    params = {
        "event_id": None if event is None else event.id,
        "person_id": person_id,
        "valid_only": bool(call.arguments["valid_only"]),
        "limit": int(call.arguments["limit"]),
    }
    summary = await call.db.fetch_one(SUMMARY_SQL, params) or {}
    rows = await call.db.fetch_all(SCANS_SQL, params)

    event_ids = [row["event_id"] for row in rows]
    events = await events_by_id(
        call, [*event_ids, summary.get("first_event_id"), summary.get("last_event_id")]
    )
    scans = [_scan(call, row, events) for row in rows]
    return {
        "summary": _summary(call, summary, events),
        "scans": block(scans, total=int(summary.get("total_scans") or 0)),
    }
