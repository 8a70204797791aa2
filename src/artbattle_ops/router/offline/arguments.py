"""Arguments for one tool from a question's entities, following the tool's JSON Schema.

`fill` returns what it could set, what must come from an earlier lookup (an EID from
lookup_event, an artist_profile_id from lookup_artist_profile, a person_id from lookup_person),
and what is missing. It never invents a value: an argument it cannot read stays unset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from artbattle_ops.router.offline.entities import Entities
from artbattle_ops.router.offline.text import fold
from artbattle_ops.tools.manifest import ToolSpec

Source = Literal["event", "artist", "person"]

COUNTRIES = {
    "canada": "CA", "united states": "US", "usa": "US", "america": "US", "uk": "GB",
    "united kingdom": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "australia": "AU",
    "new zealand": "NZ", "thailand": "TH", "netherlands": "NL", "holland": "NL", "france": "FR",
    "germany": "DE", "mexico": "MX", "spain": "ES", "italy": "IT", "ireland": "IE", "japan": "JP",
    "india": "IN", "brazil": "BR", "portugal": "PT", "sweden": "SE",
}  # fmt: skip
RENAME_TO = re.compile(r"\bto\s+[\"“']?([^\"”']+?)[\"”']?\s*[.!?]?\s*$", re.IGNORECASE)
BIO_TO = re.compile(r"\bbio\s+(?:to|as)\s*:?\s*(.+?)\s*$", re.IGNORECASE | re.DOTALL)
TABLE = re.compile(
    r"\b([a-z_][a-z0-9_]*_[a-z0-9_]+)\b|\b(?:the\s+)?([a-z]+)\s+table\b|\btable\s+([a-z_]+)\b"
)
COUNTRY_CODE = re.compile(r"\bto\s+([A-Z]{2})\b")
PERSON_WORDS = ("person", "voter", "attendee", "people", "buyer", "bidder")
BOOLEAN_TRIGGERS = {
    "only_missing": ("no eventbrite", "without", "missing", "not linked", "unlinked"),
    "unresolved_only": ("unresolved", "still open", "not resolved"),
    "include_expired": ("expired", "ended", "past offers"),
    "valid_only": ("valid scans", "only valid"),
}
ENUM_PHRASES = {
    "group_by": {"per artist": "artist", "by artist": "artist", "each artist": "artist",
                 "per round": "round", "by round": "round", "each round": "round"},
    "audience_filter": {"voter": "event_voters", "bidder": "event_bidders",
                        "city audience": "city_audience", "whole city": "city_audience",
                        "everyone with a phone": "all_with_phone",
                        "all with phone": "all_with_phone"},
    "match_on": {"phone": "phone", "email": "email", "same name": "name"},
}  # fmt: skip
STATUS_PHRASES = {"failed": "error", "errored": "error", "rate limited": "rate_limited"}


@dataclass
class Filled:
    """Arguments read from the question, those an earlier lookup must supply, and the gaps."""

    arguments: dict[str, Any] = field(default_factory=dict)
    bindings: dict[str, Source] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        """True when the argument is set or will be bound."""
        return name in self.arguments or name in self.bindings


def fill(spec: ToolSpec, entities: Entities, question: str, tool_names: frozenset[str]) -> Filled:
    """Fill `spec`'s arguments from `entities`; the question's text supplies enums and free text."""
    filled = Filled()
    properties: Mapping[str, Mapping[str, Any]] = spec.parameters.get("properties", {})
    folded = fold(question)
    for name, schema in properties.items():
        value = _value(spec, name, schema, entities, question, folded, tool_names)
        if value is not None:
            filled.arguments[name] = value
        source = None if value is not None else _source(spec, name, schema, entities, folded)
        if source is not None:
            filled.bindings[name] = source
    for name in spec.parameters.get("required", ()):
        if not filled.has(name):
            filled.missing.append(name)
    for group in spec.requires_one_of:
        if not any(filled.has(name) for name in group):
            filled.missing.append(group[0])
    return filled


def _value(
    spec: ToolSpec,
    name: str,
    schema: Mapping[str, Any],
    entities: Entities,
    question: str,
    folded: str,
    tool_names: frozenset[str],
) -> Any:
    kind = schema.get("format")
    reader = SPECIAL.get(name)
    if reader is not None:
        return reader(spec, entities, question, folded)
    if kind == "eid":
        if entities.eids:
            return entities.eids[0]
        return entities.art_codes[0].rsplit("-", 2)[0] if entities.art_codes else None
    if kind == "art_ref":
        return entities.art_codes[0] if entities.art_codes else None
    if kind == "uuid":
        return _uuid(spec, name, entities, folded)
    if kind == "phone":
        return entities.phones[0] if entities.phones else None
    if kind == "email":
        return entities.emails[0] if entities.emails else None
    if kind == "date":
        return entities.dates[0].isoformat() if entities.dates else None
    if "enum" in schema:
        return _enum(name, schema["enum"], folded, tool_names)
    if schema.get("type") == "boolean":
        return True if any(p in folded for p in BOOLEAN_TRIGGERS.get(name, ())) else None
    if name == "hours_back" and entities.hours_back is not None:
        return min(entities.hours_back, int(schema.get("maximum", entities.hours_back)))
    return None


def _uuid(spec: ToolSpec, name: str, entities: Entities, folded: str) -> str | None:
    if not entities.uuids:
        return None
    wants_person = any(word in folded for word in PERSON_WORDS)
    properties = spec.parameters.get("properties", {})
    if name == "person_id" and ("artist_profile_id" in properties and not wants_person):
        return None
    if name == "artist_profile_id" and "person_id" in properties and wants_person:
        return None
    return entities.uuids[0]


def _source(
    spec: ToolSpec, name: str, schema: Mapping[str, Any], entities: Entities, folded: str
) -> Source | None:
    if schema.get("format") == "eid":
        return "event" if _needs_event(spec, name, entities) else None
    if name == "artist_profile_id" and (entities.artists or entities.entry_ids or entities.names):
        return "artist"
    if name == "person_id" and (entities.names or entities.emails or entities.phones):
        return (
            "person"
            if any(word in folded for word in PERSON_WORDS) or not entities.artists
            else None
        )
    return None


def _needs_event(spec: ToolSpec, name: str, entities: Entities) -> bool:
    wanted = name in spec.parameters.get("required", ()) or any(
        name in group for group in spec.requires_one_of
    )
    if wanted:
        return bool(entities.cities or entities.dates or entities.event_pick)
    takes_city = "city" in spec.parameters.get("properties", {})
    return bool(entities.cities or entities.dates) and not takes_city


def _enum(name: str, values: list[str], folded: str, tool_names: frozenset[str]) -> str | None:
    if name == "tool_name":
        return next((tool for tool in tool_names if tool in folded), None)
    for phrase, value in ENUM_PHRASES.get(name, {}).items():
        if phrase in folded and value in values:
            return value
    if name == "status" and "error" in values:
        found = next((v for p, v in STATUS_PHRASES.items() if p in folded), None)
        if found:
            return found
    if name in ("search_by", "group_by", "audience_filter", "match_on"):
        return None
    return next((v for v in values if re.search(rf"\b{v.replace('_', ' ')}\b", folded)), None)


def _query(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    if spec.name == "lookup_artist_profile":
        if entities.uuids:
            return entities.uuids[0]
        if entities.entry_ids:
            return str(entities.entry_ids[0])
    for values in (entities.emails, entities.phones, entities.artists, entities.names):
        if values:
            return values[0]
    return None


def _search_by(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    if spec.name != "lookup_artist_profile":
        return None
    if entities.uuids:
        return "person_id" if any(word in folded for word in PERSON_WORDS) else "id"
    return "entry_id" if entities.entry_ids and not entities.artists else None


def _city(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    return entities.cities[0] if entities.cities and not entities.eids else None


def _amount(spec: ToolSpec, entities: Entities, question: str, folded: str) -> float | None:
    return float(entities.amounts[0].value) if entities.amounts else None


def _currency(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    if entities.amounts and entities.amounts[0].currency:
        return entities.amounts[0].currency
    return entities.currencies[0] if entities.currencies else None


def _base(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    return entities.currencies[0] if entities.currencies else None


def _target(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    return entities.currencies[1] if len(entities.currencies) > 1 else None


def _round(spec: ToolSpec, entities: Entities, question: str, folded: str) -> int | None:
    return entities.rounds[0] if entities.rounds else None


def _user(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    return entities.slack_users[0] if entities.slack_users else None


def _new_name(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    if entities.quoted:
        return entities.quoted[-1].strip()
    match = RENAME_TO.search(question)
    return match.group(1).strip() if match else None


def _new_bio(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    if re.search(r"\b(clear|remove|delete|empty)\b", folded):
        return ""
    if entities.quoted:
        return entities.quoted[-1].strip()
    match = BIO_TO.search(question)
    return match.group(1).strip() if match else None


def _country(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    code = COUNTRY_CODE.search(question)
    if code:
        return code.group(1)
    return next((iso for word, iso in COUNTRIES.items() if re.search(rf"\b{word}\b", folded)), None)


def _message(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    return entities.quoted[-1].strip() if entities.quoted else None


def _table(spec: ToolSpec, entities: Entities, question: str, folded: str) -> str | None:
    match = TABLE.search(folded)
    if not match:
        return None
    return next(group for group in match.groups() if group)


SPECIAL = {
    "query": _query,
    "search_by": _search_by,
    "city": _city,
    "amount": _amount,
    "currency": _currency,
    "base_currency": _base,
    "target_currency": _target,
    "round": _round,
    "user_id": _user,
    "new_name": _new_name,
    "new_bio": _new_bio,
    "new_country": _country,
    "message_from_producer": _message,
    "table_name": _table,
}
