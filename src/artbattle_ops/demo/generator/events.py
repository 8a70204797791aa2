"""The event calendar: fixture and background events, their EIDs, dates and settings (§8.3)."""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.context import Context, latest_transition, local_instant
from artbattle_ops.demo.generator.reference import City, Reference

Phase = Literal["past", "live", "upcoming", "never_ran"]
EVENING = time(19, 0)
AFTERNOON = time(14, 0)
RECENT_DAYS = 455
DEMO_QUIET_DAYS = 46
AD_WINDOW_DAYS = 30
PORTIONS = (Decimal("0.50"), Decimal("0.00"), Decimal("1.00"))
US_TAXES = (
    Decimal("0"),
    Decimal("4"),
    Decimal("6"),
    Decimal("6.25"),
    Decimal("7"),
    Decimal("8"),
    Decimal("8.875"),
)
LEVELS = ("REGULAR", "CHAMPION_CITY", "CHAMPION_NATIONAL", "PRIVATE", "SPECIAL")
LEVEL_WEIGHTS = (92, 4, 1, 2, 1)


@dataclass(slots=True)
class Event:
    """One event as the later steps see it. `day_offset` is nominal: it never depends on as_of."""

    id: uuid.UUID
    eid: str
    city: City
    day_offset: int
    start: datetime
    wall: time
    phase: Phase
    era: Literal["legacy", "recent", "upcoming"]
    role: str | None
    currency: str | None
    portion: Decimal
    eventbrite_id: str | None
    enabled: bool = True
    show_in_app: bool = True
    has_city: bool = True
    venue_index: int | None = 0
    timezone_icann: str | None = None
    level: str = "REGULAR"
    name: str = ""
    capacity: int = 200
    meta_budget: Decimal | None = None
    other_budget: Decimal | None = None
    target_artists: int | None = 12
    created_at: datetime | None = None
    updated_at: datetime | None = None
    auction_close: datetime | None = None

    @property
    def end(self) -> datetime:
        """Three hours after the start."""
        return self.start + timedelta(hours=3)

    @property
    def is_finished(self) -> bool:
        """A past event that ran: it has rounds, art, votes and bids."""
        return self.phase == "past"

    @property
    def has_night(self) -> bool:
        """The event has (or is having) its painting night."""
        return self.phase in ("past", "live")

    @property
    def has_cache(self) -> bool:
        """Events from AB2900 on have endpoint cache rows: every event but the legacy ones
        (whose EIDs are below AB2900, except at bench10 where all background EIDs are 10000+)."""
        return self.era != "legacy"


def plan_events(ctx: Context, ref: Reference) -> list[Event]:
    """Every event of the scale in nominal order (day offset, eid), which never depends on
    as_of; people never attend two events less than MIN_GAP_DAYS apart, so for anyone's own
    history this order and the real (start, eid) order agree."""
    rng = ctx.stream("events")
    events = [_fixture_event(ctx, ref, f) for f in fx.FIXTURE_EVENTS]
    events += _background(ctx, ref, rng)
    for event in events:
        _settle(ctx, event, rng if event.role is None else ctx.stream(f"events:{event.eid}"))
    _assign_eventbrite(ctx, events, rng)
    _assign_ad_budgets(ctx, events, ctx.stream("events:ads"))
    events.sort(key=lambda e: (e.day_offset, e.eid))
    return events


def _fixture_event(ctx: Context, ref: Reference, f: fx.FixtureEvent) -> Event:
    city = ref.city(f.city)
    era: Literal["legacy", "recent", "upcoming"] = "recent"
    phase: Phase = "past"
    if f.day_offset > 0:
        era, phase = "upcoming", "upcoming"
    elif f.eid == fx.LEGACY_FIXTURE_EID:
        era = "legacy"
    if f.eid == fx.LIVE_EID:
        phase = "live"
    elif f.eid == fx.NEVER_RAN_EID:
        phase = "never_ran"
    currency: str | None = city.country.currency
    if f.role == "missing_currency_event":
        currency = None
    elif f.role == "currency_mismatch_event":
        currency = "USD"
    portion = {"full_portion_event": PORTIONS[2], "charity_event": PORTIONS[1]}.get(
        f.role, PORTIONS[0]
    )
    start = _fixture_start(ctx, f, city)
    return Event(
        id=ctx.uid("events", f.eid),
        eid=f.eid,
        city=city,
        day_offset=f.day_offset,
        start=start,
        wall=start.astimezone(city.zone).time(),
        phase=phase,
        era=era,
        role=f.role,
        currency=currency,
        portion=portion,
        eventbrite_id=None,
    )


def _fixture_start(ctx: Context, f: fx.FixtureEvent, city: City) -> datetime:
    if f.eid == fx.LIVE_EID:
        return ctx.as_of - timedelta(minutes=100)
    if f.eid in fx.DST_EIDS:
        transition = latest_transition(city.zone, ctx.as_of - timedelta(days=14))
        shift = -4 if f.role == "dst_before_event" else 4
        return local_instant(transition + timedelta(days=shift), EVENING, city.zone)
    return local_instant(ctx.local_day(city.zone, f.day_offset), EVENING, city.zone)


def _background(ctx: Context, ref: Reference, rng: random.Random) -> list[Event]:
    spec = ctx.spec
    legacy_floor = -spec.legacy_days
    legacy = sorted(rng.randint(legacy_floor, -RECENT_DAYS - 1) for _ in range(spec.legacy_events))
    recent = sorted(rng.randint(-RECENT_DAYS, -2) for _ in range(spec.recent_events))
    if spec.is_demo:
        # The demo's last weeks belong to the fixtures; one background event joins them.
        recent = sorted(
            [rng.randint(-40, -10)]
            + [rng.randint(-RECENT_DAYS, -DEMO_QUIET_DAYS) for _ in range(spec.recent_events - 1)]
        )
    horizon = 45 if spec.is_demo else 60
    upcoming = sorted(rng.randint(2, horizon) for _ in range(spec.upcoming_events))
    eids = _background_eids(ctx, legacy, recent, upcoming)

    weights = [city.weight for city in ref.cities]
    events = []
    groups = (("legacy", legacy), ("recent", recent), ("upcoming", upcoming))
    offsets = [(era, offset) for era, group in groups for offset in group]
    for (era, offset), eid in zip(offsets, eids, strict=True):
        city = rng.choices(ref.cities, weights=weights)[0]
        wall = EVENING if rng.random() < 0.9 else AFTERNOON
        start = local_instant(ctx.local_day(city.zone, offset), wall, city.zone)
        events.append(
            Event(
                id=ctx.uid("events", eid),
                eid=eid,
                city=city,
                day_offset=offset,
                start=start,
                wall=wall,
                phase="upcoming" if era == "upcoming" else "past",
                era=era,  # type: ignore[arg-type]
                role=None,
                currency=city.country.currency,
                portion=_portion(rng),
                eventbrite_id=None,
                venue_index=rng.randrange(len(city.venue_ids)),
            )
        )
    return events


def _background_eids(
    ctx: Context, legacy: list[int], recent: list[int], upcoming: list[int]
) -> list[str]:
    if ctx.spec.name == "bench10":
        return [f"AB{10000 + i}" for i in range(len(legacy) + len(recent) + len(upcoming))]
    fixture_legacy = next(f.day_offset for f in fx.FIXTURE_EVENTS if f.eid == "AB2750")
    older = [o for o in legacy if o < fixture_legacy]
    numbers = _spread(1000, 2749, len(older))
    numbers += _spread(2751, 2899, len(legacy) - len(older))
    numbers += _spread(2900, 4000, len(recent))
    numbers += [4021 + i for i in range(len(upcoming))]
    return [f"AB{n}" for n in numbers]


def _spread(low: int, high: int, count: int) -> list[int]:
    if count > high - low + 1:
        raise ValueError(f"{count} events do not fit in AB{low}-AB{high}")
    return [low + (i * (high - low + 1)) // max(count, 1) for i in range(count)]


def _portion(rng: random.Random) -> Decimal:
    return rng.choices(PORTIONS, weights=(95, 3, 2))[0]


def _settle(ctx: Context, e: Event, rng: random.Random) -> None:
    """Fill the settings that follow from the event's place, era and role."""
    e.level = "REGULAR" if e.role else rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
    e.name = _name(e, rng)
    e.timezone_icann = e.city.zone_name
    if e.role == "legacy_event" or (e.era == "legacy" and rng.random() < 0.1):
        e.timezone_icann = None
    e.capacity = 200 if rng.random() < 0.9 else rng.randrange(120, 351, 10)
    e.target_artists = 12 if (e.role == "ready_event" or rng.random() < 0.7) else None
    if e.era != "legacy" and rng.random() < 0.5:
        e.meta_budget = Decimal(rng.randrange(200, 1501, 50))
    if rng.random() < 0.15:
        e.other_budget = Decimal(rng.randrange(100, 801, 50))
    if e.role == "hidden_event":
        e.show_in_app = False
    if e.role in ("draft_event", "never_ran_event"):
        e.enabled = e.show_in_app = False
    if e.role == "missing_venue_event":
        e.venue_index = None
    if e.role == "missing_city_event":
        e.has_city = False
    lead = timedelta(days=rng.randint(30, 120))
    e.created_at = min(e.start - lead, ctx.as_of - timedelta(days=1, hours=rng.randint(0, 48)))


def _name(e: Event, rng: random.Random) -> str:
    if e.level == "CHAMPION_CITY":
        return f"Art Battle {e.city.name} City Championship"
    if e.level == "CHAMPION_NATIONAL":
        return "Art Battle National Championship"
    if rng.random() < 0.64:
        return f"{e.eid} – {e.city.name}"
    return f"Art Battle {e.city.name}"


def _assign_eventbrite(ctx: Context, events: list[Event], rng: random.Random) -> None:
    """Link about 75% of recent and 40% of legacy events; fix the upcoming-without count."""
    upcoming_bg = [e for e in events if e.era == "upcoming" and e.role is None]
    unlinked_upcoming = set(
        e.eid for e in rng.sample(upcoming_bg, ctx.spec.upcoming_without_eventbrite)
    )
    for e in events:
        if e.eid in fx.NO_EVENTBRITE_EIDS or e.eid in unlinked_upcoming:
            continue
        share = 0.4 if e.era == "legacy" else 0.75
        recent_demo = ctx.spec.is_demo and e.day_offset > -DEMO_QUIET_DAYS
        if e.role or e.era == "upcoming" or recent_demo or rng.random() < share:
            e.eventbrite_id = _eventbrite_id(ctx, e.eid)

    oldest = sorted(
        (e for e in events if e.era == "legacy" and e.role is None), key=lambda e: e.day_offset
    )[:2]
    if len(oldest) == 2:
        shared = _eventbrite_id(ctx, oldest[0].eid)
        oldest[0].eventbrite_id = oldest[1].eventbrite_id = shared


def _assign_ad_budgets(ctx: Context, events: list[Event], rng: random.Random) -> None:
    """Pin how many events near as_of carry a Meta budget: each gets a cached ads analysis."""
    near = sorted((e for e in events if abs(e.day_offset) <= AD_WINDOW_DAYS), key=lambda e: e.eid)
    wanted = ctx.spec.targets["ai_analysis_cache"]
    chosen = set(rng.sample(range(len(near)), min(wanted, len(near))))
    for k, e in enumerate(near):
        if k not in chosen:
            e.meta_budget = None
        elif e.meta_budget is None:
            e.meta_budget = Decimal(rng.randrange(200, 1501, 50))


def _eventbrite_id(ctx: Context, eid: str) -> str:
    digest = hashlib.sha256(f"{ctx.seed}:eventbrite:{eid}".encode()).digest()
    return str(10**12 + int.from_bytes(digest[:8], "big") % (9 * 10**12))


EVENT_COLUMNS = (
    "id",
    "eid",
    "name",
    "description",
    "venue",
    "venue_id",
    "city_id",
    "country_id",
    "event_start_datetime",
    "event_end_datetime",
    "timezone_icann",
    "timezone_id",
    "timezone_offset",
    "enabled",
    "show_in_app",
    "current_round",
    "expected_number_of_rounds",
    "currency",
    "capacity",
    "eventbrite_id",
    "event_level",
    "meta_ads_budget",
    "other_ads_budget",
    "artist_auction_portion",
    "enable_auction",
    "auction_start_bid",
    "min_bid_increment",
    "tax",
    "auction_close_starts_at",
    "auction_close_round_delay",
    "stripe_account_region",
    "ticket_link",
    "slack_channel",
    "door_time",
    "showtime",
    "paint_time",
    "applications_open",
    "target_artists_booked",
    "winner_prize",
    "winner_prize_currency",
    "advances_to_event_eid",
    "created_at",
    "updated_at",
)


def event_table(ctx: Context, events: list[Event]) -> TableData:
    """The `events` rows; run after the night steps have set `updated_at`."""
    rng = ctx.stream("events:rows")
    return TableData("events", EVENT_COLUMNS, [_event_row(e, rng) for e in events])


def _event_row(e: Event, rng: random.Random) -> Row:
    city = e.city
    local_start = e.start.astimezone(city.zone)
    offset = local_start.strftime("%z")
    venue_id = venue_name = None
    if e.venue_index is not None:
        venue_id, venue_name = city.venue_ids[e.venue_index], city.venue_names[e.venue_index]
    country = city.country
    tax = {"CA": Decimal(13), "US": rng.choice(US_TAXES)}.get(country.code, Decimal(0))
    wall = local_start.time().replace(second=0, microsecond=0)
    door = (local_start - timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    paint = (local_start + timedelta(minutes=30)).time().replace(second=0, microsecond=0)
    champion = e.level.startswith("CHAMPION")
    slug = city.name.lower().replace(" ", "-").replace("é", "e").replace("è", "e")
    return (
        e.id,
        e.eid,
        e.name,
        f"Live painting competition in {city.name}.",
        venue_name,
        venue_id,
        city.id if e.has_city else None,
        country.id,
        e.start,
        e.end,
        e.timezone_icann,
        city.zone_id,
        f"{offset[:3]}:{offset[3:]}",
        e.enabled,
        e.show_in_app,
        {"past": 3, "live": 2}.get(e.phase, 0),
        3,
        e.currency,
        e.capacity,
        e.eventbrite_id,
        e.level,
        e.meta_budget,
        e.other_budget,
        e.portion,
        True,
        Decimal(50),
        Decimal(5),
        tax,
        e.auction_close,
        5 if rng.random() < 0.6 else None,
        "canada" if country.code == "CA" else "international",
        f"https://www.eventbrite.example/e/{e.eventbrite_id}" if e.eventbrite_id else None,
        f"#ab-{slug}",
        door,
        wall,
        paint,
        e.phase == "upcoming" and e.day_offset > 14,
        e.target_artists,
        Decimal(500) if champion else None,
        e.currency if champion else None,
        None,
        e.created_at,
        e.updated_at,
    )
