"""What exists in the data: cities, events and artist names the router can recognise.

The router never reads the database itself; it is given a `Vocabulary`. In local mode the
assistant builds one with `load_vocabulary` (a few small read-only queries at start-up); tests
build one from literals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

import psycopg

from artbattle_ops.router.offline.text import edit_distance, fold, words

CITIES_SQL = "SELECT name FROM cities WHERE name IS NOT NULL"
EVENTS_SQL = "SELECT eid, name FROM events WHERE eid IS NOT NULL"
ARTISTS_SQL = """
    SELECT DISTINCT name FROM artist_profiles
    WHERE name IS NOT NULL AND superseded_by IS NULL
"""
MAX_NAME_WORDS = 4
FUZZY_CITY_LENGTH = 6


def _by_folded(names: Iterable[str]) -> Mapping[str, str]:
    table = {" ".join(words(name)): name for name in names if words(name)}
    return MappingProxyType(table)


@dataclass(frozen=True)
class Vocabulary:
    """Known city names, events (EID to name) and active artist display names."""

    cities: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    events: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    artists: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(
        cls,
        cities: Iterable[str] = (),
        events: Mapping[str, str] | None = None,
        artists: Iterable[str] = (),
    ) -> Vocabulary:
        """A vocabulary from plain names (folded lookup tables are built here)."""
        return cls(
            cities=_by_folded(cities),
            events=MappingProxyType(dict(events or {})),
            artists=_by_folded(artists),
        )

    def find_cities(self, tokens: list[str]) -> list[tuple[int, int, str]]:
        """Cities named in folded `tokens` as (start, end, name); long words may have a typo."""
        found = _find_phrases(tokens, self.cities, min_words=1)
        if found:
            return found
        return [
            (index, index + 1, name)
            for index, token in enumerate(tokens)
            if len(token) >= FUZZY_CITY_LENGTH
            for key, name in self.cities.items()
            if " " not in key and edit_distance(token, key, 1) <= 1
        ][:1]

    def find_artists(self, tokens: list[str]) -> list[tuple[int, int, str]]:
        """Artist names (two words or more) named in folded `tokens`, as (start, end, name)."""
        return _find_phrases(tokens, self.artists, min_words=2)


def _find_phrases(
    tokens: list[str], table: Mapping[str, str], min_words: int
) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    index = 0
    while index < len(tokens):
        match = None
        for size in range(min(MAX_NAME_WORDS, len(tokens) - index), min_words - 1, -1):
            name = table.get(" ".join(tokens[index : index + size]))
            if name is not None:
                match = (index, index + size, name)
                break
        if match is None:
            index += 1
            continue
        found.append(match)
        index = match[1]
    return found


class Rows(Protocol):
    """A read-only query runner (`artbattle_ops.db.pool.Database` is one)."""

    async def fetch_all(self, query: str) -> list[dict[str, Any]]:
        """All rows of `query`, as dicts."""
        ...


async def read_vocabulary(database: Rows) -> Vocabulary:
    """The vocabulary of an Art Battle database, read through the assistant's pool.

    Raises:
        DatabaseError: the tables are missing or the database failed (callers decide).
    """
    cities = [str(row["name"]) for row in await database.fetch_all(CITIES_SQL)]
    events = {str(r["eid"]): str(r["name"] or "") for r in await database.fetch_all(EVENTS_SQL)}
    artists = [str(row["name"]) for row in await database.fetch_all(ARTISTS_SQL)]
    return Vocabulary.of(cities=cities, events=events, artists=artists)


def load_vocabulary(conn: psycopg.Connection[tuple[object, ...]]) -> Vocabulary:
    """Read the vocabulary from an Art Battle database (read-only; the local-mode helper)."""
    cities = [str(row[0]) for row in conn.execute(CITIES_SQL).fetchall()]
    events = {str(row[0]): str(row[1] or "") for row in conn.execute(EVENTS_SQL).fetchall()}
    artists = [str(row[0]) for row in conn.execute(ARTISTS_SQL).fetchall()]
    return Vocabulary.of(cities=cities, events=events, artists=artists)


def folded_tokens(text: str) -> list[str]:
    """The folded words of `text`, as the vocabulary matches them."""
    return words(fold(text))
