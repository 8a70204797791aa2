"""The storage scrubber (observability.md §6.1): secrets, cards, emails, phones, echoed values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SECRET = "[secret]"  # noqa: S105 - the replacement text, not a credential
VALUE = "[value]"
ELLIPSIS = "…"
# Shorter configured values would mangle ordinary text; the secret shapes still apply to them.
MIN_SECRET_CHARS = 8

_SECRET_SHAPES = (
    re.compile(r"(?<![A-Za-z0-9-])(?:xox[abposr]|xapp)-[A-Za-z0-9-]+"),
    re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{17,}"),
    re.compile(r"(?<![A-Za-z0-9_])(?:sk_live|sk_test|rk_live|rk_test|whsec)_[A-Za-z0-9]+"),
    re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"),
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}")
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:@/]*:)[^\s@]+(@)")
_SECRET_PAIR = re.compile(
    r"""(?ix)
    ((?<![a-z0-9])[a-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key)"?\s*[=:]\s*)
    ("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}\]]+)
    """
)

_CARD = re.compile(
    r"""(?x)
    (?<![\w.-])
    (?: \d{14,19}                                              # 13 digits unformatted: an id
      | \d{4}(?P<s>[ -])\d{4}(?P=s)\d{4}(?P=s)\d{1,4}(?:(?P=s)\d{1,3})?
      | \d{4}(?P<t>[ -])\d{6}(?P=t)\d{4,5}                      # Amex and Diners grouping
    )
    (?![\w]|[.-]\d)
    """
)
_EMAIL = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-][A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]*)"
    r"@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"
)
# Groups of digits joined by one separator; a lone digit may only open the number (country code).
_PHONE = re.compile(
    r"""(?x)
    (?<![\w.+/-])
    (?P<plus>\+\ ?)?
    \(?\d+
    (?:(?:[ .\-/]|\)\ ?|[ .\-/]?\()\d{2,})*
    (?![\w]|[.\-/]\d)
    """
)
_PHONE_SEPARATOR = re.compile(r"[ .\-/()]")
# Tokens that look numeric but are never phones (§6.1): uuids, ISO dates and times, EIDs, art
# codes, and IPv4 addresses (whose dotted groups would otherwise pass as separators).
_NOT_PHONES = re.compile(
    r"""(?x)
    [0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}
    | \d{4}-\d{2}-\d{2}(?:[T\ ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?
    | \b[A-Z]{2}\d{3,6}(?:-\d{1,2}-\d{1,3})?\b
    | \b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b
    """
)
_SHIELD_OPEN, _SHIELD_CLOSE = "\ue000", "\ue001"
_SHIELDED = re.compile(f"{_SHIELD_OPEN}([a-z]+){_SHIELD_CLOSE}")

_PG_QUOTED = (
    re.compile(
        r"""(?x)
        ((?:invalid\ input\ syntax\ for(?:\ type)?\ [^:"\n]+
          | invalid\ input\ value\ for\ enum\ [^:"\n]+
          | date/time\ field\ value\ out\ of\ range
          | malformed\ [a-z]+\ literal
          | invalid\ hexadecimal\ digit
          | invalid\ [a-z]+\ literal
          | [a-z]+\ out\ of\ range)
         :\ )"[^\n]*?"(?=\s|$|[.,;)])
        """
    ),
    re.compile(
        r"""(?x)
        (\b(?:value|time\ zone|invalid\ value|unit|Token)\ )"[^\n]*?"
        (?=\ (?:is\ out\ of\ range|not\ recognized|for\ |is\ invalid|is\ not))
        """
    ),
)
_PG_KEY = re.compile(
    r"(\b[Kk]ey \([^\n]*?\)=\()[^\n]*?"
    r"(?=\)(?: already exists| is not present| is still referenced| conflicts with|\.?(?:\n|$)))"
)
_PG_FAILING_ROW = re.compile(r"(Failing row contains \()[^\n]*(?=\))")


class Scrubber:
    """Removes secrets and masks personal data in free text before it is stored (§6.1)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        values = {s for s in secrets if s and len(s) >= MIN_SECRET_CHARS}
        ordered = sorted(values, key=lambda s: (-len(s), s))
        self._known = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __repr__(self) -> str:
        return "Scrubber(<secrets hidden>)"

    def scrub(self, text: str, max_chars: int | None = None) -> str:
        """`text` with every §6.1 step applied in order, then cut to `max_chars` with `…`."""
        text = text.replace(_SHIELD_OPEN, "\ufffd").replace(_SHIELD_CLOSE, "\ufffd")
        for step in (self._remove_known_secrets, remove_secret_shapes, mask_cards):
            text = step(text)
        text = mask_phones(mask_emails(text))
        return truncate(remove_postgres_values(text), max_chars)

    def scrub_detail(self, value: Any) -> Any:
        """A copy of a JSON-like structure with every string, keys included, scrubbed."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub(str(k)): self.scrub_detail(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_detail(item) for item in value]
        return value

    def _remove_known_secrets(self, text: str) -> str:
        return self._known.sub(SECRET, text) if self._known else text


def remove_secret_shapes(text: str) -> str:
    """Step 2: tokens, keys, JWTs, bearer tokens, URL passwords and `password=value` pairs."""
    for shape in _SECRET_SHAPES:
        text = shape.sub(SECRET, text)
    text = _BEARER.sub(rf"\1{SECRET}", text)
    text = _URL_PASSWORD.sub(rf"\1{SECRET}\2", text)
    return _SECRET_PAIR.sub(_replace_pair_value, text)


def _replace_pair_value(match: re.Match[str]) -> str:
    value = match.group(2)
    quote = value[0] if value[0] in "\"'" else ""
    return f"{match.group(1)}{quote}{SECRET}{quote}"


def mask_cards(text: str) -> str:
    """Step 3: Luhn-valid card numbers become `**** **** **** <last4>`."""
    return _CARD.sub(_mask_card, text)


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if not 13 <= len(digits) <= 19 or not is_luhn_valid(digits):
        return match.group()
    return f"**** **** **** {digits[-4:]}"


def is_luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def mask_emails(text: str) -> str:
    """Step 4: emails become `<first char>***@<domain>`."""
    return _EMAIL.sub(lambda m: f"{m.group(1)[0]}***@{m.group(2)}", text)


def mask_phones(text: str) -> str:
    """Step 5: phones become `***` plus their last 2 digits; dates, ids and codes stay intact."""
    kept: list[str] = []
    shielded = _NOT_PHONES.sub(lambda m: _shield(m.group(), kept), text)
    masked = _PHONE.sub(_mask_phone_run, shielded)
    return _SHIELDED.sub(lambda m: kept[_decode(m.group(1))], masked)


def _mask_phone_run(match: re.Match[str]) -> str:
    run = match.group()
    if is_phone(run):
        return _masked_phone(run)
    pieces = run.split(" ")
    if len(pieces) == 1:
        return run
    return " ".join(_mask_phone_pieces(pieces))


def _mask_phone_pieces(pieces: list[str]) -> list[str]:
    """Mask the longest phone starting at each space-separated piece (phones listed by spaces)."""
    out: list[str] = []
    start = 0
    while start < len(pieces):
        end = next(
            (e for e in range(len(pieces), start, -1) if is_phone(" ".join(pieces[start:e]))), 0
        )
        if not end:
            out.append(pieces[start])
            start += 1
            continue
        out.append(_masked_phone(" ".join(pieces[start:end])))
        start = end
    return out


def is_phone(candidate: str) -> bool:
    """The §6.1 phone rules: `+` and 8-15 digits, 10-15 with a separator, or exactly 10-11."""
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+"):
        return 8 <= len(digits) <= 15
    if _PHONE_SEPARATOR.search(candidate):
        return 10 <= len(digits) <= 15
    return 10 <= len(digits) <= 11


def _masked_phone(candidate: str) -> str:
    return "***" + re.sub(r"\D", "", candidate)[-2:]


def _shield(token: str, kept: list[str]) -> str:
    kept.append(token)
    return f"{_SHIELD_OPEN}{_encode(len(kept) - 1)}{_SHIELD_CLOSE}"


def _encode(index: int) -> str:
    """A letters-only index, so a shielded token never joins a digit run."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = chr(ord("a") + rest) + letters
        if not index:
            return letters


def _decode(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("a")
    return index


def remove_postgres_values(text: str) -> str:
    """Step 6: literals echoed in class 22 messages and `Key (…)=(…)` values of class 23."""
    for pattern in _PG_QUOTED:
        text = pattern.sub(rf'\1"{VALUE}"', text)
    text = _PG_KEY.sub(rf"\1{VALUE}", text)
    return _PG_FAILING_ROW.sub(rf"\1{VALUE}", text)


def truncate(text: str, max_chars: int | None) -> str:
    """`text` cut to at most `max_chars` characters, the last one being `…` when cut."""
    if max_chars is None or len(text) <= max_chars:
        return text
    if max_chars < 1:
        return ""
    return text[: max_chars - 1] + ELLIPSIS
