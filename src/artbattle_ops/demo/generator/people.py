"""The people pool: fixture people, artists' persons and the public, with dirty contacts (§8.15)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.phones import PhoneBook
from artbattle_ops.demo.generator.reference import City, Reference
from artbattle_ops.demo.generator.vocabulary import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES

NO_PERSON = -1


@dataclass
class People:
    """Column lists, one entry per person; an index into them is a person."""

    ids: list[uuid.UUID] = field(default_factory=list)
    city: list[int] = field(default_factory=list)
    phone: list[str | None] = field(default_factory=list)
    email: list[str | None] = field(default_factory=list)
    first: list[str | None] = field(default_factory=list)
    last: list[str | None] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)
    is_artist: bytearray = field(default_factory=bytearray)
    blocked: bytearray = field(default_factory=bytearray)
    has_auth: bytearray = field(default_factory=bytearray)
    merged_into: list[int] = field(default_factory=list)
    signup_days: list[float] = field(default_factory=list)
    fixture: dict[str, int] = field(default_factory=dict)
    public_by_city: list[list[int]] = field(default_factory=list)
    artists_by_city: list[list[int]] = field(default_factory=list)
    first_seen: list[datetime | None] = field(default_factory=list)
    last_seen: list[datetime | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def seen(self, i: int, at: datetime) -> None:
        """Record activity, so that `created_at` is the first activity."""
        first = self.first_seen[i]
        if first is None or at < first:
            self.first_seen[i] = at
        last = self.last_seen[i]
        if last is None or at > last:
            self.last_seen[i] = at


class _Contacts:
    """Unique emails and phones for one run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        reserved = {p.phone for p in fx.FIXTURE_PEOPLE if p.phone}
        reserved.add("+15145550187")
        self.phones = PhoneBook(reserved)
        self.emails = {p.email.lower() for p in fx.FIXTURE_PEOPLE if p.email}

    def email(self, first: str | None, last: str | None) -> str:
        rng = self.rng
        stem = f"{first}.{last}" if first and last else (first or rng.choice(LAST_NAMES))
        stem = stem.lower().replace("'", "")
        while True:
            candidate = f"{stem}{rng.randint(1, 9999)}@{rng.choice(EMAIL_DOMAINS)}"
            if candidate not in self.emails:
                self.emails.add(candidate)
                if rng.random() < 0.05:
                    local, domain = candidate.split("@")
                    return f"{local.title()}@{domain.capitalize()}"
                return candidate


def build_people(ctx: Context, ref: Reference, events: list[Event], artist_persons: int) -> People:
    """The whole pool: fixtures first, then `artist_persons` artists' persons, then the public."""
    rng = ctx.stream("people")
    contacts = _Contacts(rng)
    people = People()
    people.public_by_city = [[] for _ in ref.cities]
    people.artists_by_city = [[] for _ in ref.cities]
    for person in fx.FIXTURE_PEOPLE:
        people.fixture[person.key] = _add_fixture(ctx, ref, people, contacts, person)

    weights = _city_demand(ref, events)
    cities = ref.cities
    for k in range(artist_persons):
        city = rng.choices(cities, weights=weights)[0]
        i = _add_named(ctx, people, contacts, city, f"artist:{k}", rng, full_name=True)
        people.is_artist[i] = 1
        people.artists_by_city[city.ordinal].append(i)

    public = ctx.spec.people - len(people)
    homes = rng.choices(range(len(cities)), weights=weights, k=public)
    for k, home in enumerate(homes):
        i = _add_named(ctx, people, contacts, cities[home], f"public:{k}", rng, full_name=False)
        people.public_by_city[home].append(i)
    _merge_duplicates(people, rng)
    return people


def _city_demand(ref: Reference, events: list[Event]) -> list[float]:
    nights = [0.0] * len(ref.cities)
    for e in events:
        nights[e.city.ordinal] += 1.0
    total = sum(nights) or 1.0
    weight_total = sum(c.weight for c in ref.cities)
    return [
        0.9 * n / total + 0.1 * c.weight / weight_total
        for n, c in zip(nights, ref.cities, strict=False)
    ]


def _append(ctx: Context, people: People, key: str, city: City, signup_days: float) -> int:
    i = len(people.ids)
    people.ids.append(ctx.uid("people", key))
    people.city.append(city.ordinal)
    for column in (people.phone, people.email, people.first, people.last, people.name):
        column.append(None)
    people.is_artist.append(0)
    people.blocked.append(0)
    people.has_auth.append(0)
    people.merged_into.append(NO_PERSON)
    people.signup_days.append(signup_days)
    people.first_seen.append(None)
    people.last_seen.append(None)
    return i


def _add_fixture(
    ctx: Context, ref: Reference, people: People, contacts: _Contacts, p: fx.FixturePerson
) -> int:
    city = ref.city(p.city)
    i = _append(ctx, people, f"fixture:{p.key}", city, 400.0)
    people.phone[i] = p.phone or contacts.phones.take(city)
    people.email[i] = p.email
    people.first[i], people.last[i] = p.first_name, p.last_name
    people.name[i] = f"{p.first_name} {p.last_name}" if p.last_name else None
    people.has_auth[i] = 1 if p.email else 0
    if p.key == "sms_thread":
        people.blocked[i] = 1
    return i


def _add_named(
    ctx: Context,
    people: People,
    contacts: _Contacts,
    city: City,
    key: str,
    rng: random.Random,
    *,
    full_name: bool,
) -> int:
    i = _append(ctx, people, key, city, rng.uniform(1, ctx.spec.legacy_days + 200))
    first: str | None = rng.choice(FIRST_NAMES)
    last: str | None = rng.choice(LAST_NAMES)
    roll = 0.9 if full_name else rng.random()
    if roll < 0.4:
        first = last = None
        people.name[i] = (
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}"
            if (rng.random() < 0.5)
            else None
        )
    elif roll < 0.45:
        last = None
        people.name[i] = first
    else:
        people.name[i] = f"{first} {last}" if rng.random() < 0.8 else None
    people.first[i], people.last[i] = first, last
    if rng.random() < 0.95:
        people.phone[i] = contacts.phones.take(city)
    if full_name or rng.random() < 0.55:
        people.email[i] = contacts.email(first, last)
    people.has_auth[i] = 1 if rng.random() < (0.5 if full_name else 0.25) else 0
    if people.phone[i] and rng.random() < 0.02:
        people.blocked[i] = 1
    return i


def _merge_duplicates(people: People, rng: random.Random) -> None:
    """About 0.5% of the public are merged duplicates: no contact of their own, superseded."""
    for pool in people.public_by_city:
        if len(pool) < 4:
            continue
        for _ in range(round(len(pool) * 0.005)):
            dup, keep = rng.sample(pool, 2)
            if people.merged_into[keep] != NO_PERSON or people.merged_into[dup] != NO_PERSON:
                continue
            people.merged_into[dup] = keep
            people.phone[dup] = people.email[dup] = None
            people.blocked[dup] = people.has_auth[dup] = 0
            people.first[dup], people.last[dup] = people.first[keep], people.last[keep]
            people.name[dup] = people.name[keep]
            pool.remove(dup)
