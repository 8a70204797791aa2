"""Time objects (tools.md §1.5): every instant with its UTC, local and display forms."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo | None:
    """The IANA zone, or None when the name is not a valid zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def time_object(
    instant: datetime | None, zone_name: str, basis: str = "display"
) -> dict[str, Any] | None:
    """`{"utc", "local", "tz", "tz_abbr", "display", "tz_basis"}`, or None for no instant.

    `zone_name` must be valid; callers choose it by the rule of §1.5 (event zone, city zone,
    UTC fallback with a warning, or DISPLAY_TIMEZONE for instants that belong to no event).
    """
    if instant is None:
        return None
    tz = zone(zone_name) or ZoneInfo("UTC")
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    local = aware.astimezone(tz)
    abbr = local.tzname() or "UTC"
    hour = local.strftime("%I").lstrip("0") or "12"
    display = f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y')}, {hour}:"
    display += f"{local.strftime('%M %p')} {abbr}"
    return {
        "utc": aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "local": local.replace(microsecond=0).isoformat(),
        "tz": tz.key,
        "tz_abbr": abbr,
        "display": display,
        "tz_basis": basis,
    }
