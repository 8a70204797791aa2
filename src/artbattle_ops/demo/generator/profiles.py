"""Artist profile rows: entry numbers in creation order, dirty countries and contacts (§8.15)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import count

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.artists import NO_ARTIST, Artists
from artbattle_ops.demo.generator.context import Context, naive_utc
from artbattle_ops.demo.generator.people import NO_PERSON, People
from artbattle_ops.demo.generator.phones import reformat
from artbattle_ops.demo.generator.reference import Reference
from artbattle_ops.demo.generator.vocabulary import BIO_SENTENCES, EMAIL_DOMAINS

NEW_ENTRY_START = 310_000
NEW_PROFILE_DAYS = 365
PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")

PROFILE_COLUMNS = (
    "id",
    "entry_id",
    "name",
    "person_id",
    "bio",
    "abhq_bio",
    "country",
    "city",
    "city_id",
    "email",
    "phone",
    "instagram",
    "website",
    "superseded_by",
    "is_duplicate",
    "set_primary_profile_at",
    "manual_payment_override",
    "aliases",
    "pronouns",
    "followers_count",
    "votes_count",
    "created_at",
    "updated_at",
)


def assign_entry_ids(artists: Artists) -> None:
    """310000 upward for profiles of the last 12 months in creation order; lower ones before."""
    reserved = {artists.fixture[a.key]: a.entry_id for a in fx.FIXTURE_ARTISTS if a.entry_id}
    days = artists.created_days
    order = sorted(
        (i for i in range(len(artists)) if i not in reserved), key=lambda i: (-days[i], i)
    )
    old = [i for i in order if days[i] >= NEW_PROFILE_DAYS]
    new = [i for i in order if days[i] < NEW_PROFILE_DAYS]
    entry = [0] * len(artists)
    for n, i in enumerate(old):
        entry[i] = 1000 + (n * 298_999) // max(len(old), 1)
    numbers = (n for n in count(NEW_ENTRY_START) if n not in reserved.values())
    by_number = {}
    for i in new:
        entry[i] = next(numbers)
        by_number[entry[i]] = i
    for i, number in sorted(reserved.items(), key=lambda item: item[1]):
        entry[i] = number
        before, after = by_number.get(number - 1), by_number.get(number + 1)
        low = days[after] if after is not None else 1.0
        high = days[before] if before is not None else NEW_PROFILE_DAYS - 1.0
        days[i] = (low + high) / 2
        by_number[number] = i
    artists.entry_ids = entry


def profile_table(
    ctx: Context, ref: Reference, people: People, artists: Artists, votes: dict[int, int]
) -> TableData:
    """The `artist_profiles` rows; `votes` is the vote count each profile's works received."""
    rng = ctx.stream("artist_profiles:rows")
    fixture_by_index = {i: key for key, i in artists.fixture.items()}
    primaries = {artists.superseded_by[i] for i in range(len(artists))} - {NO_ARTIST}
    rows = [
        _row(
            ctx,
            ref,
            people,
            artists,
            i,
            rng,
            fixture_by_index.get(i),
            i in primaries,
            votes.get(i, 0),
        )
        for i in range(len(artists))
    ]
    return TableData("artist_profiles", PROFILE_COLUMNS, rows)


def created_at(ctx: Context, artists: Artists, i: int) -> datetime:
    """When the profile was created."""
    return ctx.as_of - timedelta(days=artists.created_days[i])


def _row(
    ctx: Context,
    ref: Reference,
    people: People,
    artists: Artists,
    i: int,
    rng: random.Random,
    fixture: str | None,
    is_primary: bool,
    votes: int,
) -> Row:
    person = artists.person[i]
    city = ref.cities[artists.city[i]]
    email, phone = _contact(people, person, rng, fixture, artists.names[i])
    if fixture:
        spec = next(a for a in fx.FIXTURE_ARTISTS if a.key == fixture)
        phone = spec.phone or phone
    created = created_at(ctx, artists, i)
    updated = created + timedelta(days=rng.uniform(0, artists.created_days[i] * 0.9))
    handle = artists.names[i].lower().replace(" ", "").replace("'", "")
    superseded = artists.superseded_by[i]
    return (
        artists.ids[i],
        artists.entry_ids[i],
        artists.names[i],
        people.ids[person] if person != NO_PERSON else None,
        _bio(rng, 1, 3) if rng.random() < 0.6 else None,
        _abhq_bio(rng) if rng.random() < 0.4 else None,
        _country(rng, city.country.code, city.country.name, fixture),
        city.name,
        city.id if rng.random() < 0.8 or fixture else None,
        email,
        phone,
        f"@{handle}_art" if rng.random() < 0.5 else None,
        f"https://{handle}.example.com" if rng.random() < 0.15 else None,
        artists.ids[superseded] if superseded != NO_ARTIST else None,
        bool(artists.is_duplicate[i]),
        naive_utc(created + timedelta(days=1)) if is_primary else None,
        False,
        [artists.names[i].split()[0]] if is_primary else [],
        rng.choice(PRONOUNS) if rng.random() < 0.3 else None,
        rng.randrange(0, 600),
        votes,
        created,
        updated,
    )


def _contact(
    people: People, person: int, rng: random.Random, fixture: str | None, name: str
) -> tuple[str | None, str | None]:
    if person == NO_PERSON:
        stem = name.lower().replace(" ", ".").replace("'", "")
        return f"studio.{stem}{rng.randint(1, 999)}@{rng.choice(EMAIL_DOMAINS)}", None
    email, phone = people.email[person], people.phone[person]
    if fixture:
        return email, phone
    roll = rng.random()
    if roll < 0.70:
        return email, phone
    if roll < 0.85 and phone:
        return email, reformat(phone, rng.randrange(3))
    return None, None


def _country(rng: random.Random, code: str, name: str, fixture: str | None) -> str | None:
    if fixture:
        return code
    roll = rng.random()
    if roll < 0.85:
        return code
    if roll < 0.89:
        return code.lower()
    if roll < 0.95:
        return name
    return None


def _bio(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(BIO_SENTENCES, rng.randint(low, high)))


def _abhq_bio(rng: random.Random) -> str:
    target = rng.randint(100, 1500)
    text = ""
    while len(text) < target:
        text = f"{text} {rng.choice(BIO_SENTENCES)}".strip()
    return text[:target].rstrip()
