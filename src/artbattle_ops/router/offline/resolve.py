"""What a lookup's result means for the next step: one EID or id, or a question to ask back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from artbattle_ops.router.offline.arguments import Source
from artbattle_ops.router.offline.entities import Entities
from artbattle_ops.router.offline.text import fold

WHICH_EVENT = "Which event do you mean? Give its EID, e.g. AB4001, or a city and date."
NO_EVENT = "I found no event for that. Give its EID, e.g. AB4001, or another city or date."
WHICH_ARTIST = "Several artist profiles match; which one do you mean? Give the artist number."
NO_ARTIST = "I found no artist profile with that name or number."
WHICH_PERSON = "Several people match; which one do you mean? Give an email or phone number."
NO_PERSON = "I found nobody matching that."


@dataclass(frozen=True)
class Resolution:
    """The id a lookup settled on, or the question to ask when it settled on none."""

    value: str | None
    question: str | None = None


def resolve(source: Source, envelope: Mapping[str, Any], entities: Entities) -> Resolution:
    """Pick the one event, artist or person a lookup's envelope points at, if it is unambiguous."""
    if not envelope.get("ok"):
        return Resolution(None)
    data = envelope.get("data") or {}
    if source == "event":
        return _event(data, entities)
    if source == "artist":
        return _one(
            _items(data, "profiles"), "artist_profile_id", entities, WHICH_ARTIST, NO_ARTIST
        )
    return _one(_items(data, "people"), "person_id", entities, WHICH_PERSON, NO_PERSON)


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return list((data.get(key) or {}).get("items") or [])


def _event(data: Mapping[str, Any], entities: Entities) -> Resolution:
    if isinstance(data.get("event"), Mapping):
        return Resolution(str(data["event"]["eid"]))
    upcoming = _items(data, "upcoming")
    past = _items(data, "recent_past")
    if entities.event_pick == "next" and upcoming:
        return Resolution(str(upcoming[0]["eid"]))
    if entities.event_pick == "last" and past:
        return Resolution(str(past[0]["eid"]))
    events = upcoming + past
    if len(events) == 1:
        return Resolution(str(events[0]["eid"]))
    return Resolution(None, WHICH_EVENT if events else NO_EVENT)


def _one(
    items: list[Mapping[str, Any]], key: str, entities: Entities, several: str, none: str
) -> Resolution:
    active = [item for item in items if item.get("is_active", True)]
    if len(active) == 1:
        return Resolution(str(active[0][key]))
    wanted = {fold(name) for name in (*entities.artists, *entities.names)}
    exact = [item for item in active if fold(str(item.get("name") or "")) in wanted]
    if len(exact) == 1:
        return Resolution(str(exact[0][key]))
    return Resolution(None, several if active else none)
