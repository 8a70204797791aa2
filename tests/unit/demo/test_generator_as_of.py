"""Moving as_of keeps ids, codes, names, amounts and counts, and moves event dates (§8.1)."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.conftest import AS_OF, SHIFTED_AS_OF
from tests.unit.demo.tables import events_by_eid, records

DST_EIDS = {"AB4018", "AB4019", "AB4020"}
# Timestamp-like or time-derived values that may move with as_of.
MOVING = {
    "timezone_offset",
    "door_time",
    "showtime",
    "paint_time",
    "metadata",
    "event_data",
    "response",
    "result",
    "request_data",
    "payload",
    "message",
    "recipient_list",
}


def _stable_values(dataset: Dataset, table: str) -> dict[Any, tuple[Any, ...]]:
    data = dataset.tables[table]
    keep = [k for k, c in enumerate(data.columns) if c not in MOVING]
    return {
        row[0]: tuple(row[k] for k in keep if not isinstance(row[k], (datetime, date, time)))
        for row in data.rows
    }


def test_shifting_as_of_keeps_every_row_count(demo: Dataset, shifted: Dataset) -> None:
    assert shifted.row_counts() == demo.row_counts()


@pytest.mark.parametrize(
    "table",
    [
        "events",
        "art",
        "votes",
        "bids",
        "people",
        "artist_profiles",
        "artist_payments",
        "eventbrite_api_cache",
        "sms_outbound",
        "sponsorship_purchases",
        "artist_invitations",
    ],
)
def test_shifting_as_of_keeps_ids_codes_names_and_amounts(
    demo: Dataset, shifted: Dataset, table: str
) -> None:
    assert _stable_values(shifted, table) == _stable_values(demo, table)


def _local(event: dict[str, Any]) -> datetime:
    zone = ZoneInfo(event["timezone_icann"] or "America/Toronto")
    start: datetime = event["event_start_datetime"]
    return start.astimezone(zone)


def _movable(dataset: Dataset) -> list[dict[str, Any]]:
    return [e for e in records(dataset, "events") if e["eid"] not in DST_EIDS | {"AB4003"}]


def test_event_local_dates_move_with_the_local_date_of_as_of(
    demo: Dataset, shifted: Dataset
) -> None:
    after = events_by_eid(shifted)
    for event in _movable(demo):
        zone = _local(event).tzinfo
        days = (SHIFTED_AS_OF.astimezone(zone).date() - AS_OF.astimezone(zone).date()).days
        moved = _local(after[event["eid"]]).date() - _local(event).date()

        assert moved == timedelta(days=days), event["eid"]


def test_event_local_wall_times_stay_put(demo: Dataset, shifted: Dataset) -> None:
    after = events_by_eid(shifted)

    moved = [e["eid"] for e in _movable(demo) if _local(after[e["eid"]]).time() != _local(e).time()]

    assert moved == []


@pytest.mark.parametrize("which", ["demo", "shifted"])
def test_live_event_started_100_minutes_before_as_of(
    demo: Dataset, shifted: Dataset, which: str
) -> None:
    dataset = demo if which == "demo" else shifted

    live = events_by_eid(dataset)["AB4003"]

    assert live["event_start_datetime"] == dataset.as_of - timedelta(minutes=100)


def _latest_change(zone: ZoneInfo, before: datetime) -> date:
    """The first local day on the new side of the latest offset change before `before`."""
    day = before.astimezone(zone).date()
    while True:
        noon = datetime.combine(day, time(12), tzinfo=zone)
        earlier = datetime.combine(day - timedelta(days=1), time(12), tzinfo=zone)
        if noon.utcoffset() != earlier.utcoffset():
            return day
        day -= timedelta(days=1)


@pytest.mark.parametrize("which", ["demo", "shifted"])
@pytest.mark.parametrize(
    ("eid", "zone", "days"),
    [
        ("AB4018", "America/Toronto", -4),
        ("AB4019", "America/Toronto", 4),
        ("AB4020", "Australia/Melbourne", 4),
    ],
)
def test_dst_fixtures_sit_four_days_from_the_latest_transition_14_days_back(
    demo: Dataset, shifted: Dataset, which: str, eid: str, zone: str, days: int
) -> None:
    dataset = demo if which == "demo" else shifted
    tz = ZoneInfo(zone)
    transition = _latest_change(tz, dataset.as_of - timedelta(days=14))

    start = events_by_eid(dataset)[eid]["event_start_datetime"].astimezone(tz)

    assert (start.date(), start.time()) == (transition + timedelta(days=days), time(19))


@pytest.mark.parametrize("which", ["demo", "shifted"])
def test_toronto_dst_fixtures_are_an_hour_apart_in_utc_time_of_day(
    demo: Dataset, shifted: Dataset, which: str
) -> None:
    events = events_by_eid(demo if which == "demo" else shifted)
    before = events["AB4018"]["event_start_datetime"]
    after = events["AB4019"]["event_start_datetime"]

    gap = datetime.combine(date.min, after.time()) - datetime.combine(date.min, before.time())

    assert abs(gap) in (timedelta(hours=1), timedelta(hours=23))
