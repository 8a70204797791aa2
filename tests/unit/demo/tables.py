"""Row access for the generator tests: tables as dicts, events by EID."""

from typing import Any

from artbattle_ops.demo.dataset import Dataset


def records(dataset: Dataset, table: str) -> list[dict[str, Any]]:
    """Every row of a table as a column -> value dict."""
    data = dataset.tables[table]
    return [dict(zip(data.columns, row, strict=True)) for row in data.rows]


def events_by_eid(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """Event rows keyed by EID."""
    return {e["eid"]: e for e in records(dataset, "events")}


def works_of(dataset: Dataset, eid: str) -> list[dict[str, Any]]:
    """The art rows of one event, by art code."""
    event_id = events_by_eid(dataset)[eid]["id"]
    works = [a for a in records(dataset, "art") if a["event_id"] == event_id]
    return sorted(works, key=lambda a: a["art_code"])


def profiles_named(dataset: Dataset, name: str) -> list[dict[str, Any]]:
    """Artist profiles with exactly this display name."""
    return [p for p in records(dataset, "artist_profiles") if p["name"] == name]
