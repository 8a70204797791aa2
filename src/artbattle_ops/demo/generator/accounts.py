"""Rows for people, the auth.users stub and staff admins; `created_at` is the first activity."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.artists import NO_ARTIST, Artists
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.people import NO_PERSON, People
from artbattle_ops.demo.generator.profiles import created_at as profile_created
from artbattle_ops.demo.generator.reference import Reference

PEOPLE_COLUMNS = (
    "id",
    "email",
    "phone",
    "phone_number",
    "auth_phone",
    "name",
    "first_name",
    "last_name",
    "nickname",
    "hash",
    "type",
    "auth_user_id",
    "is_artist",
    "superseded_by",
    "verified",
    "message_blocked",
    "created_at",
    "updated_at",
)
# The assistant's admin account; the edge emulator mints its user token (schema.md §7.0).
OPS_ASSISTANT_EMAIL = "ops-assistant@artbattle.example"
ADMIN_LEVELS = ("super", "super", "producer", "producer", "producer", "photo", "voting", "producer")


def person_created(ctx: Context, people: People, artists: Artists) -> list[datetime]:
    """Each person's first activity: a vote, bid or scan, their profile, or else sign-up."""
    created = [
        first if first is not None else ctx.as_of - timedelta(days=people.signup_days[i])
        for i, first in enumerate(people.first_seen)
    ]
    for i, person in enumerate(artists.person):
        if person != NO_PERSON and artists.superseded_by[i] == NO_ARTIST:
            created[person] = min(created[person], profile_created(ctx, artists, i))
    return created


def people_tables(
    ctx: Context, people: People, created: list[datetime]
) -> tuple[TableData, TableData]:
    """`auth.users` and `people`, in load order."""
    rng = ctx.stream("people:rows")
    auth_rows: list[Row] = []
    rows: list[Row] = []
    for i in range(len(people)):
        auth_id = None
        if people.has_auth[i]:
            auth_id = ctx.uid("auth.users", f"person:{i}")
            auth_rows.append((auth_id, people.email[i], people.phone[i], created[i]))
        rows.append(_person_row(people, i, auth_id, created[i], rng))
    return (
        TableData("auth.users", ("id", "email", "phone", "created_at"), auth_rows),
        TableData("people", PEOPLE_COLUMNS, rows),
    )


def _person_row(
    people: People, i: int, auth_id: object, created: datetime, rng: random.Random
) -> Row:
    phone = people.phone[i]
    merged = people.merged_into[i]
    last = people.last_seen[i]
    updated = max(created, last) if last else created
    return (
        people.ids[i],
        people.email[i],
        phone,
        phone if phone and rng.random() < 0.03 else None,
        phone if auth_id and phone and rng.random() < 0.6 else None,
        people.name[i],
        people.first[i],
        people.last[i],
        people.first[i] if people.first[i] and rng.random() < 0.02 else None,
        people.ids[i].hex[:20],
        "artist" if people.is_artist[i] else "guest",
        auth_id,
        bool(people.is_artist[i]),
        people.ids[merged] if merged != NO_PERSON else None,
        bool(auth_id),
        people.blocked[i],
        created,
        updated,
    )


def admin_emails(ref: Reference, count: int) -> list[str]:
    """Staff addresses: a few fixed roles, then one producer per city.

    The third is the assistant's own account (an active producer), which the edge emulator
    authorises (schema.md §7.0).
    """
    fixed = ["ops@artbattle.example", "finance@artbattle.example", OPS_ASSISTANT_EMAIL]
    cities = [
        c.name.lower().replace(" ", "").replace("é", "e").replace(".", "") for c in ref.cities
    ]
    return (fixed + [f"producer.{city}@artbattle.example" for city in cities])[:count]


def admin_tables(ctx: Context, emails: list[str]) -> tuple[list[Row], TableData]:
    """Auth rows for the admins and the `abhq_admin_users` table."""
    auth_rows: list[Row] = []
    rows: list[Row] = []
    since = ctx.days_ago(900)
    for n, email in enumerate(emails):
        user_id = ctx.uid("auth.users", f"admin:{email}")
        auth_rows.append((user_id, email, None, since))
        level = ADMIN_LEVELS[n % len(ADMIN_LEVELS)]
        rows.append(
            (
                ctx.uid("abhq_admin_users", email),
                user_id,
                email,
                level,
                n != len(emails) - 1,
                since,
                since,
            )
        )
    columns = ("id", "user_id", "email", "level", "active", "created_at", "updated_at")
    return auth_rows, TableData("abhq_admin_users", columns, rows)
