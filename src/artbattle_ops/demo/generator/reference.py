"""Reference data: countries, time zones, cities, venues and exchange rates (schema.md §8.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from artbattle_ops.demo.dataset import Row, TableData
from artbattle_ops.demo.generator.context import Context, zone_of
from artbattle_ops.demo.generator.vocabulary import (
    CITIES,
    STREETS,
    VENUE_PREFIXES,
    VENUE_WORDS,
    ZONE_NAMES,
)

COUNTRIES = (
    ("CA", "Canada", "CAD", "$"),
    ("US", "United States", "USD", "$"),
    ("AU", "Australia", "AUD", "$"),
    ("NZ", "New Zealand", "NZD", "$"),
    ("NL", "Netherlands", "EUR", "€"),
    ("GB", "United Kingdom", "GBP", "£"),
    ("TH", "Thailand", "THB", "฿"),
    ("JP", "Japan", "JPY", "¥"),
    ("CN", "China", "CNY", "¥"),
)

RATES = (
    ("USD", "1.000000"),
    ("CAD", "0.735000"),
    ("AUD", "0.655000"),
    ("NZD", "0.600000"),
    ("EUR", "1.080000"),
    ("GBP", "1.265000"),
    ("THB", "0.028500"),
    ("JPY", "0.006700"),
    ("CNY", "0.138000"),
)
STALE_RATE = "JPY"


class Country(NamedTuple):
    """A country and its currency."""

    id: uuid.UUID
    code: str
    name: str
    currency: str
    symbol: str


class City(NamedTuple):
    """A generated city with everything events and people need from it."""

    ordinal: int
    id: uuid.UUID
    name: str
    country: Country
    zone_name: str
    zone: ZoneInfo
    zone_id: uuid.UUID
    weight: float
    area_codes: tuple[str, ...]
    venue_ids: tuple[uuid.UUID, ...]
    venue_names: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """Countries and cities, for the steps that place events and people."""

    countries: dict[str, Country]
    cities: tuple[City, ...]

    def city(self, name: str) -> City:
        """The city with this display name."""
        for city in self.cities:
            if city.name == name:
                return city
        raise KeyError(name)


def build_reference(ctx: Context) -> tuple[Reference, list[TableData]]:
    """Generate the reference tables and the lookup the later steps use."""
    created = ctx.days_ago(ctx.spec.legacy_days + 400)
    countries = {
        code: Country(ctx.uid("countries", code), code, name, currency, symbol)
        for code, name, currency, symbol in COUNTRIES
    }
    specs = CITIES[: ctx.spec.cities]
    zone_ids = {spec.zone: ctx.uid("timezones", spec.zone) for spec in specs}
    venue_rows, venues_by_city = _venues(ctx, [spec.name for spec in specs], created)

    cities = tuple(
        City(
            ordinal=i,
            id=ctx.uid("cities", spec.name),
            name=spec.name,
            country=countries[spec.country],
            zone_name=spec.zone,
            zone=zone_of(spec.zone),
            zone_id=zone_ids[spec.zone],
            weight=spec.weight,
            area_codes=spec.area_codes,
            venue_ids=tuple(v[0] for v in venues_by_city[spec.name]),
            venue_names=tuple(v[1] for v in venues_by_city[spec.name]),
        )
        for i, spec in enumerate(specs)
    )
    tables = [
        TableData(
            "countries",
            ("id", "name", "code", "currency_code", "currency_symbol", "created_at"),
            [(c.id, c.name, c.code, c.currency, c.symbol, created) for c in countries.values()],
        ),
        TableData(
            "timezones",
            ("id", "name", "timezone_offset", "icann"),
            [(zid, *ZONE_NAMES[name], name) for name, zid in zone_ids.items()],
        ),
        TableData(
            "cities",
            ("id", "name", "country_id", "state_province", "timezone_id", "created_at"),
            [
                (c.id, c.name, c.country.id, spec.state, c.zone_id, created)
                for c, spec in zip(cities, specs, strict=True)
            ],
        ),
        TableData(
            "venues",
            (
                "id",
                "name",
                "address",
                "notes",
                "city_id",
                "default_capacity",
                "created_at",
                "updated_at",
            ),
            venue_rows,
        ),
        _exchange_rates(ctx),
    ]
    return Reference(countries, cities), tables


def _venues(
    ctx: Context, city_names: list[str], created: datetime
) -> tuple[list[Row], dict[str, list[tuple[uuid.UUID, str, Row]]]]:
    rng = ctx.stream("venues")
    weights = [spec.weight for spec in CITIES[: len(city_names)]]
    extra = ctx.spec.venues - len(city_names)
    counts = [1] * len(city_names)
    for i in rng.choices(range(len(city_names)), weights=weights, k=extra):
        counts[i] += 1

    rows: list[Row] = []
    by_city: dict[str, list[tuple[uuid.UUID, str, Row]]] = {}
    city_ids = {name: ctx.uid("cities", name) for name in city_names}
    for name, count in zip(city_names, counts, strict=True):
        by_city[name] = []
        for k in range(count):
            vid = ctx.uid("venues", f"{name}:{k}")
            vname = f"{rng.choice(VENUE_PREFIXES)} {rng.choice(VENUE_WORDS)}"
            address = f"{rng.randint(10, 990)} {rng.choice(STREETS)}, {name}"
            capacity = 200 if rng.random() < 0.7 else rng.choice((120, 150, 250, 300, 350))
            notes = "Load-in through the rear door." if rng.random() < 0.3 else None
            row = (vid, vname, address, notes, city_ids[name], capacity, created, created)
            rows.append(row)
            by_city[name].append((vid, vname, row))
    return rows, by_city


def _exchange_rates(ctx: Context) -> TableData:
    fresh = ctx.as_of - timedelta(hours=5)
    stale = ctx.as_of - timedelta(days=9)
    rows: list[Row] = [
        (
            code,
            Decimal(rate),
            stale if code == STALE_RATE else fresh,
            "base" if code == "USD" else "exchangerate-api.io",
        )
        for code, rate in RATES
    ]
    return TableData(
        "exchange_rates", ("currency_code", "rate_to_usd", "last_updated", "source"), rows
    )
