"""Values found in a question: EIDs, ids, contacts, dates, amounts, numbers, names and cities.

`extract` reads them in an order that keeps them apart (an art code is not also an EID, a date is
not a phone) by blanking each match before the next pattern runs. What is left, `residual`, is
the text the ranking sees, so "AB4002" or "Toronto" never sways the choice of tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from artbattle_ops.router.offline.dates import find_dates, find_hours_back
from artbattle_ops.router.offline.vocabulary import Vocabulary, folded_tokens

UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
ART_CODE = re.compile(r"\bab[-_ ]?(\d{3,})-(\d{1,2})-(\d{1,2})\b", re.IGNORECASE)
EID = re.compile(r"\bab[-_ ]?(\d{3,})\b", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d ().\-]{6,}\d(?![\w])")
AMOUNT = re.compile(
    r"(?P<sym>[$€£])?\s?(?P<num>\d{1,7}(?:\.\d{1,2})?)\s?(?P<code>[A-Za-z]{3})?\b(?!-)"
)
CURRENCY_WORD = re.compile(r"\b[A-Za-z]{3}\b")
SLACK_USER = re.compile(r"\b[UW][A-Z0-9]{6,}\b")
ROUND = re.compile(r"\bround\s*(\d{1,2})\b|\b(\d)(?:st|nd|rd|th)\s+round\b", re.IGNORECASE)
ENTRY_ID = re.compile(
    r"\b(?:artist|entry|number|no\.?|#)\s*(?:number|no\.?|#)?\s*(\d{4,7})\b", re.I
)
QUOTED = re.compile(r"[\"“]([^\"”]{2,})[\"”]|(?<![A-Za-z])'([^']{3,})'(?![A-Za-z])")
NEXT = re.compile(r"\b(next|upcoming|coming)\b", re.IGNORECASE)
LAST = re.compile(
    r"\b(last|latest|most recent|previous|recent)\b(?!\s+(night|month|week|year|day|hours?|\d))",
    re.IGNORECASE,
)
CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)+")
POSSESSIVE = re.compile(r"['’]s$")
CURRENCIES = frozenset(
    [
        "USD",
        "CAD",
        "EUR",
        "GBP",
        "AUD",
        "NZD",
        "THB",
        "JPY",
        "MXN",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "SGD",
        "HKD",
        "INR",
        "BRL",
        "ZAR",
        "CNY",
        "KRW",
    ]
)
SYMBOLS = {"€": "EUR", "£": "GBP"}
NOT_NAMES = frozenset(
    [
        "art",
        "battle",
        "eventbrite",
        "stripe",
        "slack",
        "meta",
        "sms",
        "rls",
        "qr",
        "hq",
        "facebook",
        "instagram",
        "zelle",
        "paypal",
        "interac",
        "swift",
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "which",
        "is",
        "are",
        "did",
        "does",
        "do",
        "can",
        "show",
        "find",
        "any",
        "the",
        "give",
        "list",
        "check",
        "send",
        "pay",
        "remind",
        "invite",
        "update",
        "set",
        "change",
        "fix",
        "clear",
        "rename",
        "tell",
    ]
)

EventPick = Literal["next", "last"]


@dataclass(frozen=True)
class Amount:
    """A number with its currency when one was written next to it."""

    value: Decimal
    currency: str | None


@dataclass(frozen=True)
class Entities:
    """Everything `extract` recognised in one question."""

    residual: str
    eids: tuple[str, ...] = ()
    art_codes: tuple[str, ...] = ()
    uuids: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    amounts: tuple[Amount, ...] = ()
    currencies: tuple[str, ...] = ()
    entry_ids: tuple[int, ...] = ()
    rounds: tuple[int, ...] = ()
    hours_back: int | None = None
    cities: tuple[str, ...] = ()
    artists: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    quoted: tuple[str, ...] = ()
    slack_users: tuple[str, ...] = ()
    event_pick: EventPick | None = None
    tokens: tuple[str, ...] = field(default=())

    @property
    def names_an_event(self) -> bool:
        """True when the question points at an event some way (EID, city, date or next/last)."""
        return bool(self.eids or self.cities or self.dates or self.event_pick)


class _Text:
    """The question with matched spans blanked out as extraction proceeds."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        matches = list(pattern.finditer(self.text))
        self.blank([match.span() for match in matches])
        return matches

    def blank(self, spans: list[tuple[int, int]]) -> None:
        for start, end in spans:
            self.text = self.text[:start] + " " * (end - start) + self.text[end:]


def normalise_eid(digits: str) -> str:
    """`4001` as the EID `AB4001`."""
    return f"AB{digits}"


def normalise_phone(raw: str) -> str | None:
    """The tools.md §1.2 phone key written as +<digits>, or None outside 8 to 15 digits."""
    plus = raw.strip().startswith(("+", "00"))
    digits = re.sub(r"\D", "", raw)
    digits = digits[2:] if raw.strip().startswith("00") else digits
    if len(digits) == 10 and not plus:
        digits = "1" + digits
    return f"+{digits}" if 8 <= len(digits) <= 15 else None


def extract(question: str, vocabulary: Vocabulary, today: date) -> Entities:
    """Find every value the tools' arguments may need in `question`."""
    text = _Text(question)
    quoted = tuple(m.group(1) or m.group(2) for m in text.take(QUOTED))
    uuids = _unique(m.group(0).lower() for m in text.take(UUID))
    emails = _unique(m.group(0).lower() for m in text.take(EMAIL))
    art_codes = _unique(f"AB{m[1]}-{m[2]}-{m[3]}" for m in text.take(ART_CODE))
    eids = _unique(normalise_eid(m.group(1)) for m in text.take(EID))
    slack_users = _unique(m.group(0) for m in text.take(SLACK_USER))
    hours_back = find_hours_back(text.text)
    spans = find_dates(text.text, today)
    text.blank([(start, end) for _, start, end in spans])
    dates = tuple(dict.fromkeys(day for day, _, _ in spans))
    rounds = tuple(int(m.group(1) or m.group(2)) for m in text.take(ROUND))
    entry_ids = tuple(int(m.group(1)) for m in ENTRY_ID.finditer(text.text))
    phones = _phones(text, entry_ids)
    amounts, currencies = _amounts(text)
    tokens = folded_tokens(text.text)
    city_spans = vocabulary.find_cities(tokens)
    artist_spans = vocabulary.find_artists(tokens)
    cities = _unique(name for _, _, name in city_spans)
    artists = _unique(name for _, _, name in artist_spans)
    return Entities(
        residual=_residual(tokens, [*city_spans, *artist_spans]),
        eids=eids,
        art_codes=art_codes,
        uuids=uuids,
        emails=emails,
        phones=phones,
        dates=dates,
        amounts=amounts,
        currencies=currencies,
        entry_ids=entry_ids,
        rounds=rounds,
        hours_back=hours_back,
        cities=cities,
        artists=artists,
        names=_names(question, cities, artists),
        quoted=quoted,
        slack_users=slack_users,
        event_pick=_event_pick(question),
        tokens=tuple(tokens),
    )


def _unique(values: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))  # type: ignore[call-overload]


def _phones(text: _Text, entry_ids: tuple[int, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for match in PHONE.finditer(text.text):
        raw = match.group(0)
        if raw.strip().isdigit() and int(raw) in entry_ids:
            continue
        phone = normalise_phone(raw)
        if phone is not None and len(re.sub(r"\D", "", raw)) >= 8:
            found.append(phone)
    if found:
        text.take(PHONE)
    return _unique(found)


def _amounts(text: _Text) -> tuple[tuple[Amount, ...], tuple[str, ...]]:
    currencies = [
        m.group(0).upper()
        for m in CURRENCY_WORD.finditer(text.text)
        if m.group(0).upper() in CURRENCIES
    ]
    amounts: list[Amount] = []
    for match in AMOUNT.finditer(text.text):
        code = (match.group("code") or "").upper()
        code_ok = code in CURRENCIES
        symbol = match.group("sym")
        if not (code_ok or symbol):
            continue
        currency = code if code_ok else SYMBOLS.get(symbol or "")
        amounts.append(Amount(Decimal(match.group("num")), currency))
    return tuple(amounts), tuple(dict.fromkeys(currencies))


def _names(question: str, cities: tuple[str, ...], artists: tuple[str, ...]) -> tuple[str, ...]:
    known = {" ".join(folded_tokens(name)) for name in (*cities, *artists)}
    found: list[str] = []
    for match in CAPITALISED_RUN.finditer(question):
        parts = [POSSESSIVE.sub("", part) for part in match.group(0).split()]
        while parts and parts[0].lower() in NOT_NAMES:
            parts = parts[1:]
        name = " ".join(parts)
        if len(parts) >= 2 and " ".join(folded_tokens(name)) not in known:
            found.append(name)
    return tuple(dict.fromkeys(found))


def _residual(tokens: list[str], spans: list[tuple[int, int, str]]) -> str:
    drop = {index for start, end, _ in spans for index in range(start, end)}
    return " ".join(token for index, token in enumerate(tokens) if index not in drop)


def _event_pick(question: str) -> EventPick | None:
    if NEXT.search(question):
        return "next"
    if LAST.search(question):
        return "last"
    return None
