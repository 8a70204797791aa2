"""The artist pipeline: invitations, confirmations and applications per event (schema.md §8.8)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.vocabulary import PRODUCER_MESSAGES
from artbattle_ops.demo.generator.world import World

INVITATION_COLUMNS = (
    "id",
    "artist_number",
    "event_eid",
    "artist_profile_id",
    "status",
    "status_old",
    "message_from_producer",
    "accepted_at",
    "entry_date",
    "metadata",
    "created_at",
    "updated_at",
)
CONFIRMATION_COLUMNS = (
    "id",
    "artist_profile_id",
    "event_eid",
    "artist_number",
    "confirmation_status",
    "entry_date",
    "legal_name",
    "message_to_organizers",
    "public_message",
    "payment_method",
    "payment_details",
    "legal_agreements",
    "social_usernames",
    "metadata",
    "created_at",
)
APPLICATION_COLUMNS = (
    "id",
    "artist_profile_id",
    "event_id",
    "event_eid",
    "artist_number",
    "application_status",
    "applied_at",
    "message_to_producer",
    "notes",
    "metadata",
    "updated_at",
)
LEGACY_STATUS = {
    "accepted": "confirmed",
    "declined": "declined",
    "expired": "invited",
    "withdrawn": "withdrawn",
    "pending": "invited",
}
UNBACKFILLED_DAYS = 270
LEAD_DAYS = 100
APPLICATION_STATUSES = ("accepted", "rejected", "pending", "withdrawn")
APPLICATION_WEIGHTS = (45, 25, 25, 5)


class _Invite:
    __slots__ = ("artist", "confirmed", "status")

    def __init__(self, artist: int, status: str, confirmed: bool) -> None:
        self.artist = artist
        self.status = status
        self.confirmed = confirmed


def pipeline_tables(world: World) -> list[TableData]:
    """Invitations (plus three for the missing event AB9999), confirmations and applications."""
    invitations: list[Row] = []
    confirmations: list[Row] = []
    applications: list[Row] = []
    for e in world.events:
        rng = world.ctx.stream(f"artist_invitations:{e.eid}")
        invites = _invites(world, e, rng)
        _invitation_rows(world, e, invites, rng, invitations, confirmations)
        _applications(world, e, world.ctx.stream(f"artist_applications:{e.eid}"), applications)
    _orphans(world, invitations)
    return [
        TableData("artist_invitations", INVITATION_COLUMNS, invitations),
        TableData("artist_confirmations", CONFIRMATION_COLUMNS, confirmations),
        TableData("artist_applications", APPLICATION_COLUMNS, applications),
    ]


def _candidates(world: World, e: Event, taken: set[int], needed: int) -> list[int]:
    """Artists created well before anything was sent to them: the city's, then touring ones."""
    days, artists = world.artists.created_days, world.artists
    age = -e.day_offset if e.eid not in fx.DST_EIDS else 300
    pool = [
        i for i in artists.by_city[e.city.ordinal] if days[i] >= age + LEAD_DAYS and i not in taken
    ]
    if len(pool) >= needed:
        return pool
    local = set(pool)
    touring = [
        i
        for city in artists.by_city
        for i in city
        if days[i] >= age + LEAD_DAYS and i not in taken and i not in local
    ]
    return pool + touring


def _invites(world: World, e: Event, rng: random.Random) -> list[_Invite]:
    lineup = world.lineups[e.eid]
    if e.has_night:
        invites = [_Invite(a, "accepted", True) for a in lineup.painters]
        invites += [_Invite(a, "accepted", rng.random() < 0.75) for a in lineup.alternates]
        extra_accepted = max(0, round(rng.gauss(7, 1.5)) - len(lineup.alternates))
        counts = {
            "accepted": extra_accepted,
            "declined": rng.randint(1, 5),
            "expired": rng.randint(0, 4),
            "withdrawn": rng.randint(0, 2),
        }
    else:
        booked = lineup.booked[:12] if e.role == "ready_event" else lineup.booked
        invites = [
            _Invite(a, "accepted", n < 12 or rng.random() < 0.75) for n, a in enumerate(booked)
        ]
        pending = 2 if e.role == "ready_event" else rng.randint(5, 9)
        counts = {
            "pending": pending,
            "declined": rng.randint(1, 4),
            "expired": rng.randint(0, 1),
            "withdrawn": rng.randint(0, 1),
        }
    taken = {invite.artist for invite in invites}
    pool = _candidates(world, e, taken, 2 * sum(counts.values()))
    for status, n in counts.items():
        for artist in rng.sample(pool, min(n, len(pool))):
            pool.remove(artist)
            invites.append(_Invite(artist, status, status == "accepted" and rng.random() < 0.75))
    return invites


def _invitation_rows(
    world: World,
    e: Event,
    invites: list[_Invite],
    rng: random.Random,
    invitations: list[Row],
    confirmations: list[Row],
) -> None:
    ctx, artists = world.ctx, world.artists
    old = -e.day_offset > UNBACKFILLED_DAYS
    for invite in invites:
        a = invite.artist
        number = str(artists.entry_ids[a])
        sent = min(e.start - timedelta(days=rng.uniform(14, 60)), ctx.as_of - timedelta(hours=2))
        accepted = None
        if invite.status == "accepted":
            accepted = min(sent + timedelta(days=rng.uniform(0.2, 5)), ctx.as_of)
        unbackfilled = old and rng.random() < 0.4
        admin = rng.choice(world.admins)
        invitations.append(
            (
                ctx.uid("artist_invitations", f"{e.eid}:{number}"),
                number,
                e.eid,
                None if unbackfilled else artists.ids[a],
                invite.status,
                LEGACY_STATUS[invite.status] if unbackfilled else None,
                " ".join(rng.sample(PRODUCER_MESSAGES, rng.randint(1, 3))),
                accepted,
                sent,
                {"sent_by": admin, "sent_at": sent.isoformat()},
                sent,
                accepted or sent,
            )
        )
        if accepted is not None:
            confirmations.append(
                _confirmation(world, e, a, number, invite.confirmed, accepted, rng)
            )


def _confirmation(
    world: World,
    e: Event,
    artist: int,
    number: str,
    confirmed: bool,
    at: datetime,
    rng: random.Random,
) -> Row:
    name = world.artists.names[artist]
    handle = "@" + name.lower().replace(" ", "").replace("'", "") + "_art"
    return (
        world.ctx.uid("artist_confirmations", f"{e.eid}:{number}"),
        world.artists.ids[artist],
        e.eid,
        number,
        "confirmed" if confirmed else "withdrawn",
        at,
        name,
        "Looking forward to it!" if rng.random() < 0.3 else None,
        f"Painting live in {e.city.name}." if rng.random() < 0.4 else None,
        rng.choice(("stripe", "paypal", "e-transfer")),
        {"account_holder": name, "reference": f"demo-{number}"},
        {"terms": True, "photo_release": True},
        {"instagram": handle},
        {},
        at,
    )


def _applications(world: World, e: Event, rng: random.Random, rows: list[Row]) -> None:
    ctx, artists = world.ctx, world.artists
    wanted = rng.randint(17, 29)
    pool = _candidates(world, e, set(), 2 * wanted)
    for a in rng.sample(pool, min(len(pool), wanted)):
        number = str(artists.entry_ids[a])
        applied = min(e.start - timedelta(days=rng.uniform(20, 90)), ctx.as_of - timedelta(hours=3))
        status = rng.choices(APPLICATION_STATUSES, APPLICATION_WEIGHTS)[0]
        updated = min(applied + timedelta(days=rng.uniform(0, 10)), ctx.as_of)
        rows.append(
            (
                ctx.uid("artist_applications", f"{e.eid}:{number}"),
                artists.ids[a],
                e.id,
                e.eid,
                number,
                status,
                applied,
                "I would love to paint at this event." if rng.random() < 0.5 else None,
                None,
                {"source": rng.choice(("app", "web"))},
                updated,
            )
        )


def _orphans(world: World, rows: list[Row]) -> None:
    """Exactly three invitations point at AB9999, an event that does not exist."""
    rng = world.ctx.stream("artist_invitations:orphans")
    artists = world.artists
    for n, status in enumerate(("pending", "expired", "declined")):
        a = artists.by_city[0][n]
        number = str(artists.entry_ids[a])
        sent = world.ctx.as_of - timedelta(days=20 + 10 * n)
        rows.append(
            (
                world.ctx.uid("artist_invitations", f"{fx.ORPHAN_INVITATION_EID}:{number}"),
                number,
                fx.ORPHAN_INVITATION_EID,
                artists.ids[a],
                status,
                None,
                rng.choice(PRODUCER_MESSAGES),
                None,
                sent,
                {"sent_by": world.admins[0], "sent_at": sent.isoformat()},
                sent,
                sent,
            )
        )
