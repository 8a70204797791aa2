"""Fictional, unique E.164 phone numbers: `+1 <area> 555 <4 digits>` in North America."""

from __future__ import annotations

from artbattle_ops.demo.generator.reference import City
from artbattle_ops.demo.generator.vocabulary import PHONE_BLOCKS

# Area codes no catalogue city uses, for cities whose own blocks run out (bench10 only).
_OVERFLOW_AREAS = tuple(f"{n}" for n in range(221, 300) if n % 10 not in (0, 1))


class PhoneBook:
    """Hands out phone numbers that never repeat and never hit a reserved (fixture) number."""

    def __init__(self, reserved: set[str]) -> None:
        self._reserved = set(reserved)
        self._used_areas: dict[str, int] = {}
        self._country_next: dict[str, int] = {}
        self._overflow = 0

    def take(self, city: City) -> str:
        """A new number in the city's dialling block."""
        while True:
            number = self._next(city)
            if number not in self._reserved:
                self._reserved.add(number)
                return number

    def _next(self, city: City) -> str:
        code = city.country.code
        if code in ("CA", "US"):
            return self._north_american(city.area_codes)
        prefix, digits = PHONE_BLOCKS[code]
        k = self._country_next.get(code, 0)
        self._country_next[code] = k + 1
        size = 10**digits
        return f"{prefix}{(k * 7919 + 1234) % size:0{digits}d}"

    def _north_american(self, areas: tuple[str, ...]) -> str:
        for area in areas:
            k = self._used_areas.get(area, 0)
            if k < 10_000:
                self._used_areas[area] = k + 1
                return f"+1{area}555{(k * 7919 + 1234) % 10_000:04d}"
        while True:
            area = _OVERFLOW_AREAS[self._overflow % len(_OVERFLOW_AREAS)]
            k = self._used_areas.get(area, 0)
            if k < 10_000:
                self._used_areas[area] = k + 1
                return f"+1{area}555{(k * 7919 + 1234) % 10_000:04d}"
            self._overflow += 1


def reformat(phone: str, style: int) -> str:
    """A North American E.164 number written as people type it: three styles of formatting."""
    if not phone.startswith("+1") or len(phone) != 12:
        return phone[:3] + " " + phone[3:]
    area, exchange, line = phone[2:5], phone[5:8], phone[8:]
    return (
        f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}",
        f"+1 {area} {exchange} {line}",
    )[style % 3]
