"""Time objects (tools.md §1.5): every instant with its UTC, local and display forms."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# English names whatever the process locale (strftime's %a and %b follow it), and no strftime:
# a result may hold hundreds of instants.
DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    display = (
        f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}, "
        f"{hour}:{local.minute:02d} {half} {abbr}"
    )
    utc = aware.astimezone(UTC)
    return {
        "utc": f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z",
        "local": local.replace(microsecond=0).isoformat(),
        "tz": tz.key,
        "tz_abbr": abbr,
        "display": display,
        "tz_basis": basis,
    }
