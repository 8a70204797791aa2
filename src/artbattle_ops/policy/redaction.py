"""Personal-data masks and the redaction policy (DESIGN.md §7, tools.md §1.7). Pure functions.

One mask per category of tools.md §1.7:

| Category | Mask | Example |
|---|---|---|
| email | first character of the local part, domain kept | `j***@example.com` |
| phone | `***` and the last 2 digits | `***42` |
| private_name | initials | `J. D.` |
| financial_id | `…` and the last 4 characters | `…1234` |
| free_text | `mask_text`: emails, phones and card numbers inside the text | `call ***42` |
| staff_identity | first character | `U***` |

A category the policy does not know is masked whole (`***`, rule `mask_unknown_category`), so a
manifest mistake hides data rather than leaking it.

Sinks: `model` and `slack` show raw values to the exempt roles (`REDACTION_EXEMPT_ROLES`) and masked
ones to everyone else; `logs` and `audit` are always masked, whatever the role. Only declared
fields are touched, so dates, ids and amounts beside them are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

CATEGORIES: Final = frozenset(
    {"email", "phone", "private_name", "financial_id", "free_text", "staff_identity"}
)
SINKS: Final = frozenset({"model", "slack", "logs", "audit"})
ALWAYS_MASKED_SINKS: Final = frozenset({"logs", "audit"})
UNKNOWN_CATEGORY_RULE: Final = "mask_unknown_category"


@dataclass(frozen=True)
class Redaction:
    """Redacted data and the names of the masks that changed something, sorted."""

    data: Any
    rules_applied: list[str]


# -- Masks ----------------------------------------------------------------------------------------


def mask_email(value: str) -> str:
    """`jane.doe@example.com` → `j***@example.com`; anything without a domain → `***`."""
    local, at, domain = value.strip().rpartition("@")
    if not at or not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    """`+1 416 555 0142` → `***42`; fewer than 4 digits → `***`."""
    digits = _digits(value)
    return f"***{digits[-2:]}" if len(digits) >= 4 else "***"


def mask_card(value: str) -> str:
    """`4242 4242 4242 4242` → `**** **** **** 4242`."""
    digits = _digits(value)
    return f"**** **** **** {digits[-4:]}" if len(digits) >= 8 else "**** **** **** ****"


def mask_private_name(value: str) -> str:
    """`Jane Doe` → `J. D.`: the initial of each word."""
    return " ".join(f"{word[0].upper()}." for word in value.split())


def mask_financial_id(value: str) -> str:
    """`acct_1NqXyZ9876` → `…9876`; 4 characters or fewer → `…`."""
    text = value.strip()
    return f"…{text[-4:]}" if len(text) > 4 else "…"


def mask_staff_identity(value: str) -> str:
    """`U012ABCDEF` → `U***`."""
    text = value.strip()
    return f"{text[:1]}***" if text else ""


# -- Text -----------------------------------------------------------------------------------------

# Scanned left to right, one alternative at a time: emails first (they are unambiguous), then
# spans kept intact (uuids, ISO dates and times, event and art codes), then cards, then phones.
# Numbers glued to letters, dots, slashes, colons or hyphens are never cards or phones, so
# amounts, versions, URLs and long ids stay intact.
_EDGE_BEFORE = r"(?<![\w.+/:@-])"
_EDGE_AFTER = r"(?![\w@-]|[.,]\d)"
_TEXT_PATTERN: Final = re.compile(
    rf"""
    (?P<email>[A-Za-z0-9._%+-]{{1,64}}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}})
    | (?P<keep>
        [0-9A-Fa-f]{{8}}(?:-[0-9A-Fa-f]{{4}}){{3}}-[0-9A-Fa-f]{{12}}
        | \d{{4}}-\d{{2}}-\d{{2}}(?:[T\ ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?
          (?:Z|[+-]\d{{2}}:?\d{{2}})?
        | \b[A-Za-z]{{1,5}}\d+(?:-\d+)*\b
    )
    | {_EDGE_BEFORE}(?P<card>
        \d{{4}}(?:[\ -]\d{{4}}){{2}}[\ -]\d{{1,7}}
        | \d{{4}}[\ -]\d{{6}}[\ -]\d{{5}}
        | \d{{13,19}}
    ){_EDGE_AFTER}
    | {_EDGE_BEFORE}(?P<phone>
        \+\d{{1,3}}(?:[\ .-]?\(?\d{{1,4}}\)?){{2,6}}
        | (?:1[\ .-]?)?\(\d{{3}}\)[\ .-]?\d{{3}}[\ .-]\d{{4}}
        | (?:1[\ .-])?\d{{3}}[\ .-]\d{{3}}[\ .-]\d{{4}}
    ){_EDGE_AFTER}
    """,
    re.VERBOSE,
)
# Contiguous digits are a card only with a network's prefix and length and a valid check digit:
# without separators, any other run of digits is an id.
_CARD_NETWORKS: Final = (
    (re.compile(r"4"), (13, 16, 19)),
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), (16,)),
    (re.compile(r"3[47]"), (15,)),
    (re.compile(r"6(?:011|5)"), (16, 19)),
)
_MIN_PHONE_DIGITS: Final = 8


def mask_text(text: str) -> tuple[str, list[str]]:
    """Mask emails, phone numbers and card numbers inside free text.

    Returns the masked text and the rules applied (`mask_card`, `mask_email`, `mask_phone`),
    sorted. Dates, uuids, event ids (AB4001), art codes (AB4001-1-3), amounts and ids of 12 or more
    digits are left as they are.
    """
    applied: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        kind, found = match.lastgroup, match.group()
        masked = _mask_found(kind, found)
        if masked != found:
            applied.add(f"mask_{kind}")
        return masked

    return _TEXT_PATTERN.sub(replace, text), sorted(applied)


def _mask_found(kind: str | None, found: str) -> str:
    if kind == "email":
        return mask_email(found)
    if kind == "card" and (not found.isdigit() or is_card_number(found)):
        return mask_card(found)
    if kind == "phone" and len(_digits(found)) >= _MIN_PHONE_DIGITS:
        return mask_phone(found)
    return found


def is_card_number(digits: str) -> bool:
    """A network prefix and length, and a valid Luhn check digit."""
    network_ok = any(
        prefix.match(digits) and len(digits) in lengths for prefix, lengths in _CARD_NETWORKS
    )
    return network_ok and _luhn_ok(digits)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(char for char in value if char.isdigit())


# -- Policy ---------------------------------------------------------------------------------------

_MASKS: Final[Mapping[str, Callable[[str], str]]] = {
    "email": mask_email,
    "phone": mask_phone,
    "private_name": mask_private_name,
    "financial_id": mask_financial_id,
    "staff_identity": mask_staff_identity,
}


def redact(
    data: Any,
    pii_fields: Mapping[str, str],
    role: str,
    sink: str,
    exempt_roles: frozenset[str],
) -> Redaction:
    """Mask the declared personal fields of `data` for `role` reading through `sink`.

    `pii_fields` maps a dot-separated path to a category; `*` stands for each element of a list
    (`people.items.*.email`). A key met on a list applies to each element as well, so a path
    that forgets its `*` still masks. Missing paths and None values are skipped. `data` itself
    is never modified.

    Raises:
        ValueError: `sink` is not one of model, slack, logs, audit.
    """
    if sink not in SINKS:
        raise ValueError(f"unknown redaction sink {sink!r}")
    if sink not in ALWAYS_MASKED_SINKS and role in exempt_roles:
        return Redaction(data, [])

    applied: set[str] = set()
    for path, category in pii_fields.items():
        data = _map_path(data, path.split("."), _LeafMasker(category, applied))
    return Redaction(data, sorted(applied))


class _LeafMasker:
    """Masks the value found at a path (each element of a list or object value) and records
    the rules it applied."""

    def __init__(self, category: str, applied: set[str]) -> None:
        self.category = category
        self.applied = applied

    def __call__(self, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, list | tuple):
            return [self(item) for item in value]
        if isinstance(value, Mapping):
            return {key: self(item) for key, item in value.items()}
        return self._mask(value if isinstance(value, str) else str(value))

    def _mask(self, text: str) -> str:
        if not text:
            return text
        if self.category == "free_text":
            masked, rules = mask_text(text)
            self.applied.update(rules)
            return masked
        mask = _MASKS.get(self.category)
        if mask is None:
            self.applied.add(UNKNOWN_CATEGORY_RULE)
            return "***"
        self.applied.add(f"mask_{self.category}")
        return mask(text)


def _map_path(node: Any, parts: list[str], leaf: Callable[[Any], Any]) -> Any:
    """A copy of `node` with `leaf` applied at `parts`; untouched branches are shared."""
    if node is None:
        return None
    if not parts:
        return leaf(node)
    head, rest = parts[0], parts[1:]
    if isinstance(node, list):
        inner = rest if head == "*" else parts
        return [_map_path(item, inner, leaf) for item in node]
    if isinstance(node, Mapping) and head in node:
        return {**node, head: _map_path(node[head], rest, leaf)}
    return node
