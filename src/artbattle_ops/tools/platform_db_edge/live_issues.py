"""The issues `live_event_diagnostic` reports (tools.md §7.5): each rule is one small function."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class LiveState:
    """What the issue rules look at, gathered from the event's rows."""

    eid: str
    phase: str
    visible: bool
    now: datetime
    rounds: Sequence[dict[str, Any]]
    contestants: Sequence[dict[str, Any]]
    artworks: Sequence[dict[str, Any]]
    newest_activity: datetime | None
    newest_cache: datetime | None


def live_issues(state: LiveState) -> list[dict[str, Any]]:
    """Every issue that holds, in the order of the table in §7.5."""
    rules = (
        _round_timer_expired,
        _auction_overdue,
        _cache_lag,
        _contestant_without_art,
        _artwork_without_artist,
        _event_not_visible,
        _event_not_live,
    )
    return [issue for rule in rules if (issue := rule(state)) is not None]


def _issue(code: str, severity: str, message: str, details: list[str]) -> dict[str, Any]:
    return {"code": code, "severity": severity, "message": message, "details": details}


def _round_timer_expired(state: LiveState) -> dict[str, Any] | None:
    expired = [
        f"round {r['round_number']}"
        for r in state.rounds
        if not r["is_finished"] and r["closing_time"] and r["closing_time"] < state.now - GRACE
    ]
    if not expired:
        return None
    message = "A round that is not finished has a painting timer that ended over 2 minutes ago."
    return _issue("round_timer_expired", "warning", message, expired)


def _auction_overdue(state: LiveState) -> dict[str, Any] | None:
    overdue = [
        a["art_code"]
        for a in state.artworks
        if a["status"] == "active" and a["closing_time"] and a["closing_time"] < state.now - GRACE
    ]
    if not overdue:
        return None
    message = (
        f"{len(overdue)} active artworks passed their closing time over 2 minutes ago; "
        "the auction closing job may not be running."
    )
    return _issue("auction_overdue", "error", message, overdue)


def _cache_lag(state: LiveState) -> dict[str, Any] | None:
    if state.newest_activity is None or state.newest_cache is None:
        return None
    if state.newest_activity <= state.newest_cache + GRACE:
        return None
    lag = int((state.newest_activity - state.newest_cache).total_seconds() // 60)
    message = (
        f"The newest bid, vote or event update is {lag} minutes newer than the app's cache; "
        "the app may show stale data."
    )
    return _issue("cache_lag", "warning", message, [])


def _contestant_without_art(state: LiveState) -> dict[str, Any] | None:
    missing = [
        f"round {c['round_number']} easel {c['easel_number']}"
        for c in state.contestants
        if c["easel_number"] and c["art_code"] is None
    ]
    if not missing:
        return None
    message = f"{len(missing)} contestants on an easel have no matching artwork."
    return _issue("contestant_without_art", "warning", message, missing)


def _artwork_without_artist(state: LiveState) -> dict[str, Any] | None:
    rounds_with_contestants = {c["round_number"] for c in state.contestants}
    vacated = [
        a["art_code"]
        for a in state.artworks
        if a["artist_id"] is None and a["round"] in rounds_with_contestants
    ]
    if not vacated:
        return None
    message = f"{len(vacated)} artworks have no artist (the easel was vacated)."
    return _issue("artwork_without_artist", "info", message, vacated)


def _event_not_visible(state: LiveState) -> dict[str, Any] | None:
    if state.phase != "in_progress" or state.visible:
        return None
    message = f"{state.eid} is in progress but not visible in the app (enabled and show_in_app)."
    return _issue("event_not_visible", "error", message, [])


def _event_not_live(state: LiveState) -> dict[str, Any] | None:
    if state.phase == "in_progress":
        return None
    message = f"{state.eid} is not in progress (phase: {state.phase}); figures are as they stand."
    return _issue("event_not_live", "info", message, [])
