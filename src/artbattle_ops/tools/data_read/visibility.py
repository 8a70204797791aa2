"""debug_event_visibility (tools.md §3.6): why an event is or is not visible in the public app."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import (
    Event,
    display_time,
    event_phase,
    event_time,
    resolve_event,
)
from artbattle_ops.tools.timefmt import zone

MAX_CACHE_ROWS: Final = 20
SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}

# Cache rows are matched on the EID string, never on endpoint_path (schema.md §3).
CACHE_SQL: Final = """
SELECT endpoint_path, last_updated, count(*) OVER () AS total_rows
FROM endpoint_cache_versions
WHERE event_eid = %(eid)s
ORDER BY last_updated DESC, endpoint_path
LIMIT %(limit)s
"""


def _flag(value: bool | None) -> str:
    return "null" if value is None else str(value).lower()


def _flag_issues(event: Event) -> list[tuple[str, str, str]]:
    issues = []
    if event.enabled is not True:
        issues.append(
            (
                "not_enabled",
                "error",
                f"The event is not enabled (enabled is {_flag(event.enabled)}).",
            )
        )
    if event.show_in_app is not True:
        state = _flag(event.show_in_app)
        issues.append(
            (
                "hidden_from_app",
                "error",
                f"The event is hidden from the app (show_in_app is {state}).",
            )
        )
    if event.start is None:
        issues.append(("missing_start", "error", "The event has no start time."))
    return issues


def _data_issues(event: Event, phase: str, newest: datetime | None) -> list[tuple[str, str, str]]:
    issues = []
    if phase == "past":
        issues.append(("event_past", "info", "The event is over."))
    if event.city_id is None:
        issues.append(("missing_city", "warning", "The event has no city."))
    if event.venue_id is None:
        issues.append(("missing_venue", "warning", "The event has no venue."))
    if not event.timezone_icann or zone(event.timezone_icann) is None:
        issues.append(("missing_timezone", "warning", "The event has no valid timezone."))
    if newest is None:
        issues.append(("no_cache_versions", "warning", "The app cache has no rows for this EID."))
    elif event.updated_at is not None and event.updated_at > newest:
        message = (
            "The event changed after the app cache was last updated; the app may show old data."
        )
        issues.append(("cache_older_than_event", "warning", message))
    return issues


def visibility_issues(event: Event, phase: str, newest: datetime | None) -> list[dict[str, str]]:
    """The issues of §3.6, errors first, then warnings, then infos, each in table order."""
    found = _flag_issues(event) + _data_issues(event, phase, newest)
    found.sort(key=lambda issue: SEVERITY_ORDER[issue[1]])
    return [{"code": code, "severity": severity, "message": m} for code, severity, m in found]


def _cache_row(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    age = call.now - row["last_updated"]
    return {
        "endpoint_path": row["endpoint_path"],
        "last_updated": display_time(call, row["last_updated"]),
        "age_minutes": int(age.total_seconds() // 60),
    }


@read_tool("debug_event_visibility")
async def debug_event_visibility(call: ToolCall) -> dict[str, Any]:
    """The event's visibility flags, the issues that explain them, and its app cache rows."""
    event = await resolve_event(call, call.arguments["eid"])
    rows = await call.db.fetch_all(CACHE_SQL, {"eid": event.eid, "limit": MAX_CACHE_ROWS})

    phase = event_phase(event.start, event.end, call.now)
    newest = rows[0]["last_updated"] if rows else None
    total = int(rows[0]["total_rows"]) if rows else 0
    return {
        "event": {
            "eid": event.eid,
            "name": event.name,
            "phase": phase,
            "start": event_time(call, event, event.start),
            "end": event_time(call, event, event.end),
            "enabled": event.enabled,
            "show_in_app": event.show_in_app,
        },
        "visible_in_app": event.is_visible,
        "issues": block(visibility_issues(event, phase, newest)),
        "cache_versions": block([_cache_row(call, row) for row in rows], total=total),
    }
