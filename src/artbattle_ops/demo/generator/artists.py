"""The artist pool: fixture artists, background profiles, duplicates and their booking weights."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import RECENT_DAYS
from artbattle_ops.demo.generator.people import NO_PERSON, People
from artbattle_ops.demo.generator.vocabulary import FIRST_NAMES, LAST_NAMES

NO_ARTIST = -1
DUPLICATE_SHARE = 0.02
RESOLVED_SHARE = 0.01
PERSON_SHARE = 0.85


@dataclass
class Artists:
    """Column lists, one entry per artist profile; an index into them is a profile."""

    ids: list[uuid.UUID] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    person: list[int] = field(default_factory=list)
    city: list[int] = field(default_factory=list)
    created_days: list[float] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    superseded_by: list[int] = field(default_factory=list)
    is_duplicate: bytearray = field(default_factory=bytearray)
    fixture: dict[str, int] = field(default_factory=dict)
    by_city: list[list[int]] = field(default_factory=list)
    entry_ids: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def make_older(self, i: int, days: float) -> None:
        """Move a profile's creation back so that it predates activity `days` before as_of."""
        if self.created_days[i] < days:
            self.created_days[i] = days

    def is_active(self, i: int) -> bool:
        """NULL superseded_by means active."""
        return self.superseded_by[i] == NO_ARTIST


@dataclass(frozen=True)
class ArtistPlan:
    """How many background profiles of each kind one scale has."""

    primaries: int
    with_person: int
    duplicates: int
    resolved: int


def plan_artists(total: int) -> ArtistPlan:
    """Split the scale's profile count into primaries, active duplicates and resolved ones."""
    background = total - len(fx.FIXTURE_ARTISTS)
    resolved = round(background * RESOLVED_SHARE)
    duplicates = round(background * DUPLICATE_SHARE)
    primaries = background - resolved - duplicates
    return ArtistPlan(primaries, round(primaries * PERSON_SHARE), duplicates, resolved)


def build_artists(ctx: Context, people: People, plan: ArtistPlan, first_artist: int) -> Artists:
    """Profiles for the fixtures, then primaries (persons from `first_artist` on), then copies."""
    rng = ctx.stream("artist_profiles")
    artists = Artists()
    artists.by_city = [[] for _ in people.public_by_city]
    for a in fx.FIXTURE_ARTISTS:
        person = people.fixture[a.person] if a.person else NO_PERSON
        i = _append(ctx, artists, f"fixture:{a.key}", a.name, person, people.city[person], 200.0)
        artists.fixture[a.key] = i
        people.is_artist[person] = 1
    old = artists.fixture["ava_thompson_old"]
    artists.superseded_by[old] = artists.fixture["ava_thompson"]
    artists.is_duplicate[old] = 1
    artists.created_days[old] = 700.0

    old_share = 0.25 if ctx.spec.is_demo else 0.8
    demand = [len(pool) + 1 for pool in people.public_by_city]
    for k in range(plan.primaries):
        if k < plan.with_person:
            person = first_artist + k
            name = f"{people.first[person]} {people.last[person]}"
            city = people.city[person]
        else:
            person, name = NO_PERSON, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            city = rng.choices(range(len(demand)), weights=demand)[0]
        days = _created_days(ctx, rng, old_share)
        i = _append(ctx, artists, f"artist:{k}", name, person, city, days)
        artists.weight[i] = rng.paretovariate(1.6)
        artists.by_city[city].append(i)
    _add_copies(ctx, artists, plan, rng)
    return artists


def _created_days(ctx: Context, rng: random.Random, old_share: float) -> float:
    if rng.random() < old_share:
        return rng.uniform(RECENT_DAYS, ctx.spec.legacy_days + 200)
    return rng.uniform(5, RECENT_DAYS)


def _append(
    ctx: Context, artists: Artists, key: str, name: str, person: int, city: int, days: float
) -> int:
    i = len(artists.ids)
    artists.ids.append(ctx.uid("artist_profiles", key))
    artists.names.append(name)
    artists.person.append(person)
    artists.city.append(city)
    artists.created_days.append(days)
    artists.weight.append(1.0)
    artists.superseded_by.append(NO_ARTIST)
    artists.is_duplicate.append(0)
    return i


def _add_copies(ctx: Context, artists: Artists, plan: ArtistPlan, rng: random.Random) -> None:
    """Active duplicates (a second live profile) and resolved ones (superseded, is_duplicate)."""
    fixture_count = len(fx.FIXTURE_ARTISTS)
    primaries = range(fixture_count, fixture_count + plan.primaries)
    chosen = rng.sample(primaries, plan.duplicates + plan.resolved)
    for n, original in enumerate(chosen):
        resolved = n >= plan.duplicates
        suffix = (
            "" if resolved or rng.random() < 0.5 else rng.choice((" Art", " Studio", " Paints"))
        )
        key = f"{'resolved' if resolved else 'duplicate'}:{n}"
        name = artists.names[original] + suffix
        days = artists.created_days[original]
        copy_days = days + rng.uniform(30, 300) if resolved else days - rng.uniform(5, days - 1)
        i = _append(
            ctx,
            artists,
            key,
            name,
            artists.person[original],
            artists.city[original],
            max(copy_days, 2.0),
        )
        if resolved:
            artists.superseded_by[i] = original
            artists.is_duplicate[i] = 1
