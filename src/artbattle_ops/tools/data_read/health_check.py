"""run_event_health_check (tools.md §3.8): lint an event's configuration for data errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import Event, event_phase, event_time, resolve_event
from artbattle_ops.tools.timefmt import zone

SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}
USUAL_PORTION: Final = Decimal("0.5")

HEALTH_SQL: Final = """
SELECT e.enable_auction, e.auction_start_bid, e.min_bid_increment,
       (SELECT count(*) FROM rounds r WHERE r.event_id = e.id) AS round_count,
       (SELECT count(*) FROM art a WHERE a.event_id = e.id) AS art_count
FROM events e
WHERE e.id = %(event_id)s
"""

Finding = tuple[str, str, str]


def _required(event: Event) -> list[Finding]:
    found = []
    if event.city_id is None:
        found.append(("missing_city", "error", "The event has no city."))
    if event.venue_id is None:
        found.append(("missing_venue", "error", "The event has no venue."))
    if not (event.currency or "").strip():
        found.append(("missing_currency", "error", "The event has no currency."))
    if event.start is None:
        found.append(("missing_start_time", "error", "The event has no start time."))
    if event.start and event.end and event.end < event.start:
        found.append(("end_before_start", "error", "The event ends before it starts."))
    if not event.timezone_icann or zone(event.timezone_icann) is None:
        shown = event.timezone_icann or "missing"
        found.append(("missing_timezone", "warning", f"The timezone is not valid ({shown})."))
    return found


def _consistency(event: Event, row: dict[str, Any]) -> list[Finding]:
    found = []
    currency, country = (event.currency or "").strip(), event.country_currency
    if currency and country and currency.upper() != country.strip().upper():
        message = f"The currency {currency} differs from the country's currency {country}."
        found.append(("currency_mismatch_country", "warning", message))
    missing_bids = row["auction_start_bid"] is None or row["min_bid_increment"] is None
    if row["enable_auction"] is True and missing_bids:
        message = "The auction is enabled but its start bid or bid increment is not set."
        found.append(("auction_settings_incomplete", "warning", message))
    portion = event.artist_auction_portion
    if portion is not None and portion != USUAL_PORTION:
        found.append(("unusual_artist_portion", "info", f"The artist portion is {portion}."))
    return found


def _progress(phase: str, row: dict[str, Any]) -> list[Finding]:
    found = []
    if phase in ("in_progress", "past") and row["round_count"] == 0:
        found.append(("no_rounds", "warning", "The event has started but has no rounds."))
    if row["art_count"] == 0:
        severity = "warning" if phase in ("in_progress", "past") else "info"
        found.append(("no_artworks", severity, "The event has no artworks yet."))
    return found


def health_findings(event: Event, phase: str, row: dict[str, Any]) -> list[dict[str, str]]:
    """The findings of §3.8, by severity and then by rule."""
    found = _required(event) + _consistency(event, row) + _progress(phase, row)
    found.sort(key=lambda finding: (SEVERITY_ORDER[finding[1]], finding[0]))
    return [{"rule": rule, "severity": severity, "message": m} for rule, severity, m in found]


@read_tool("run_event_health_check")
async def run_event_health_check(call: ToolCall) -> dict[str, Any]:
    """The event's configuration findings; `pass` is true when none is an error."""
    event = await resolve_event(call, call.arguments["eid"])
    row = await call.db.fetch_one(HEALTH_SQL, {"event_id": event.id}) or {}

    phase = event_phase(event.start, event.end, call.now)
    findings = health_findings(event, phase, row)
    severities = [finding["severity"] for finding in findings]
    return {
        "event": {
            "eid": event.eid,
            "name": event.name,
            "phase": phase,
            "start": event_time(call, event, event.start),
        },
        "findings": block(findings),
        "pass": "error" not in severities,
        "counts": {
            "errors": severities.count("error"),
            "warnings": severities.count("warning"),
            "infos": severities.count("info"),
        },
    }
