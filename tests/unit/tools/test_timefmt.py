"""Time objects (tools.md §1.5) against the standard library's own formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.tools.timefmt import time_object

ZONES = ["America/Toronto", "Australia/Sydney", "Asia/Kolkata", "Europe/London", "UTC"]


def test_an_instant_has_its_utc_local_and_display_forms() -> None:
    instant = datetime(2026, 11, 27, 0, 5, 9, 123456, tzinfo=UTC)

    assert time_object(instant, "America/Toronto", "event") == {
        "utc": "2026-11-27T00:05:09Z",
        "local": "2026-11-26T19:05:09-05:00",
        "tz": "America/Toronto",
        "tz_abbr": "EST",
        "display": "Thu 26 Nov 2026, 7:05 PM EST",
        "tz_basis": "event",
    }


def test_noon_and_midnight_read_12_pm_and_12_am() -> None:
    noon = time_object(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "UTC")
    midnight = time_object(datetime(2026, 7, 1, 0, 0, tzinfo=UTC), "UTC")

    assert noon is not None
    assert midnight is not None
    assert (noon["display"], midnight["display"]) == (
        "Wed 1 Jul 2026, 12:00 PM UTC",
        "Wed 1 Jul 2026, 12:00 AM UTC",
    )


@settings(max_examples=200, deadline=None)
@given(
    seconds=st.integers(min_value=0, max_value=60 * 365 * 86400),
    zone_name=st.sampled_from(ZONES),
)
def test_the_forms_agree_with_strftime_in_the_c_locale(seconds: int, zone_name: str) -> None:
    instant = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)

    got = time_object(instant, zone_name)

    assert got is not None
    local = datetime.fromisoformat(got["local"])
    expected_display = (
        f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y')}, "
        f"{local.strftime('%I').lstrip('0') or '12'}:{local.strftime('%M %p')} {got['tz_abbr']}"
    )
    assert got["display"] == expected_display
    assert got["utc"] == instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert local == instant
