"""Dates and time windows in a question, read in the display time zone's calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
RELATIVE = re.compile(
    r"\b(last night|yesterday|tonight|today|this evening|tomorrow)\b", re.IGNORECASE
)
RELATIVE_DAYS = {
    "last night": -1,
    "yesterday": -1,
    "tonight": 0,
    "today": 0,
    "this evening": 0,
    "tomorrow": 1,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = re.compile(
    r"\b(last|next|this|on)?\s*(" + "|".join(WEEKDAYS) + r")\b(?:'s)?", re.IGNORECASE
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
MONTH_DAY = re.compile(
    rf"\b{MONTH_NAME}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_NAME}",
    re.IGNORECASE,
)
HOURS = re.compile(r"\b(?:last|past)\s+(\d{1,3})\s*(hours?|hrs?|h|days?)\b", re.IGNORECASE)
WINDOWS = (
    (re.compile(r"\b(this|past|last) week\b", re.IGNORECASE), 168),
    (re.compile(r"\b(this|past|last) month\b", re.IGNORECASE), 720),
    (re.compile(r"\b(today|last day|past day|yesterday|last 24)\b", re.IGNORECASE), 24),
)

Span = tuple[date, int, int]


def find_dates(text: str, today: date) -> list[Span]:
    """Calendar dates named in `text` (ISO, relative words, weekdays, month and day), with spans."""
    found: list[Span] = []
    for match in ISO_DATE.finditer(text):
        try:
            found.append((date(*map(int, match.groups())), *match.span()))
        except ValueError:
            continue
    for match in RELATIVE.finditer(text):
        offset = RELATIVE_DAYS[match.group(1).lower()]
        found.append((today + timedelta(days=offset), *match.span()))
    found.extend(_weekdays(text, today))
    found.extend(_month_days(text, today))
    return sorted(found, key=lambda span: span[1])


def _weekdays(text: str, today: date) -> list[Span]:
    found: list[Span] = []
    for match in WEEKDAY.finditer(text):
        target = WEEKDAYS.index(match.group(2).lower())
        ahead = (target - today.weekday()) % 7
        behind = (today.weekday() - target) % 7 or 7
        qualifier = (match.group(1) or "").lower()
        if qualifier == "next" or (qualifier == "this" and ahead):
            day = today + timedelta(days=ahead or 7)
        else:
            day = today - timedelta(days=behind)
        found.append((day, *match.span()))
    return found


def _month_days(text: str, today: date) -> list[Span]:
    found: list[Span] = []
    for match in MONTH_DAY.finditer(text):
        month_word = match.group(1) or match.group(4)
        day_number = int(match.group(2) or match.group(3))
        month = MONTHS.index(month_word.lower()[:3]) + 1
        candidates = [
            _date_or_none(year, month, day_number)
            for year in (today.year - 1, today.year, today.year + 1)
        ]
        real = [day for day in candidates if day is not None]
        if real:
            found.append((min(real, key=lambda day: abs((day - today).days)), *match.span()))
    return found


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_hours_back(text: str) -> int | None:
    """A look-back window in hours ("last 48 hours", "past 3 days", "this week", "today")."""
    match = HOURS.search(text)
    if match:
        count = int(match.group(1))
        return count * 24 if match.group(2).lower().startswith("d") else count
    for pattern, hours in WINDOWS:
        if pattern.search(text):
            return hours
    return None
