"""Argument formats (tools.md §1.2): EIDs, uuids, art codes, phone keys, emails, currencies, LIKE.

Each normaliser is pure: it returns the canonical value or raises `FormatError`, which names the
argument and the rule. `arguments.validate_arguments` turns those into `invalid_arguments`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

EXAMPLE_UUID = "3f2b8c1e-7d4a-4e21-9b0c-5a6d7e8f9012"

_EID = re.compile(r"AB[0-9]{3,}")
_BARE_EID_DIGITS = re.compile(r"[0-9]{3,}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ART_CODE = re.compile(r"AB[0-9]{3,}-[0-9]+-[0-9]+")
_NOT_DIGIT = re.compile(r"[^0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHITESPACE = re.compile(r"\s+")
_LIKE_SPECIAL = re.compile(r"([\\%_])")

# The tool that supplies each kind of id, when the schema has no `x-lookup-tool` (§1.2).
DEFAULT_LOOKUP_TOOLS: Final = {
    "artist_profile_id": "lookup_artist_profile",
    "person_id": "lookup_person",
    "art_id": "lookup_artwork_bids",
}

PHONE_KEY_MIN_DIGITS = 8
PHONE_KEY_MAX_DIGITS = 15

# The phone key of a stored column (§1.2), for `str.format` or `psycopg.sql.SQL(...).format` with
# `column=`: the immutable `esbmcp_phone_key` of sql/003, which the demo schema indexes on every
# phone column the tools search, so a comparison with a bound key is an index lookup. Digits are
# `[0-9]`, exactly as `phone_key` counts them. Out-of-range keys are returned as they are: callers
# that group stored values filter on `length(...) BETWEEN 8 AND 15`.
PHONE_KEY_SQL = "public.esbmcp_phone_key({column})"


class FormatError(ValueError):
    """A value that does not have its argument's format; the message is safe to show."""

    def __init__(self, argument: str, rule: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument
        self.rule = rule
        self.message = message
        self.hint = hint


def normalize_eid(value: str, argument: str = "eid") -> str:
    """`ab-4001`, `AB 4001` and ` 4001 ` all become `AB4001`."""
    text = _WHITESPACE.sub("", value.upper())
    if text.startswith(("AB-", "AB_")):
        text = "AB" + text[3:]
    if _BARE_EID_DIGITS.fullmatch(text):
        text = "AB" + text

    if not _EID.fullmatch(text):
        raise FormatError(
            argument, "eid", f"{argument} must look like AB4001 (AB followed by digits)."
        )
    return text


def lookup_hint(argument: str, lookup_tool: str | None, *, art_code: bool = False) -> str | None:
    """ "Use lookup_person to find the person_id.", or None when no tool supplies the id."""
    if lookup_tool is None:
        return None
    wanted = f"{argument} or art_code" if art_code else argument
    return f"Use {lookup_tool} to find the {wanted}."


def is_uuid(value: str) -> bool:
    """True for a canonical 8-4-4-4-12 hex uuid, in any case."""
    return _UUID.fullmatch(value.lower()) is not None


def normalize_uuid(value: str, argument: str, lookup_tool: str | None = None) -> str:
    """The lower-cased canonical uuid; braces, `urn:uuid:` and bare hex are refused."""
    text = value.strip()
    if is_uuid(text):
        return text.lower()

    hint = lookup_hint(argument, lookup_tool)
    message = f"{argument} must be a uuid such as {EXAMPLE_UUID}."
    raise FormatError(argument, "uuid", f"{message} {hint}" if hint else message, hint)


def normalize_art_ref(
    value: str, argument: str = "art_id", lookup_tool: str | None = "lookup_artwork_bids"
) -> str:
    """A lower-cased uuid, or an upper-cased art code such as `AB4001-1-3` (EID-round-easel)."""
    text = value.strip()
    if is_uuid(text):
        return text.lower()
    if _ART_CODE.fullmatch(text.upper()):
        return text.upper()

    hint = lookup_hint(argument, lookup_tool, art_code=True)
    message = f"{argument} must be a uuid or an art code such as AB4001-1-3."
    raise FormatError(argument, "art_ref", f"{message} {hint}" if hint else message, hint)


def is_art_code(value: str) -> bool:
    """True for a normalised art code (`AB4001-1-3`), false for a uuid."""
    return _ART_CODE.fullmatch(value) is not None


def phone_key(value: str, argument: str = "phone") -> str:
    """The digits that identify a phone number (§1.2); `+1 (416) 555-0199` gives `14165550199`."""
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) == 10 and not text.startswith("+"):
        digits = "1" + digits

    if not PHONE_KEY_MIN_DIGITS <= len(digits) <= PHONE_KEY_MAX_DIGITS:
        raise FormatError(
            argument,
            "phone",
            f"{argument} must contain 8 to 15 digits, "
            "ideally in international form such as +14165550123.",
        )
    return digits


def normalize_email(value: str, argument: str = "email", *, allow_fragment: bool = False) -> str:
    """Trimmed and lower-cased; a value without `@` is a fragment, where the tool allows one."""
    text = value.strip().lower()
    if _EMAIL.fullmatch(text) or (allow_fragment and text and "@" not in text):
        return text

    wanted = "an email address such as name@example.com"
    if allow_fragment:
        raise FormatError(argument, "email", f"{argument} must be {wanted}, or a part of one.")
    raise FormatError(argument, "email", f"{argument} must be {wanted}.")


def normalize_currency(value: str, argument: str = "currency") -> str:
    """A three-letter ISO 4217 code, upper-cased: ` cad ` becomes `CAD`."""
    text = value.strip().upper()
    if _CURRENCY.fullmatch(text):
        return text
    raise FormatError(
        argument, "currency", f"{argument} must be a three-letter currency code such as CAD."
    )


def normalize_date(value: str, argument: str = "date") -> str:
    """A calendar date written `YYYY-MM-DD`, such as `2026-03-28`."""
    text = value.strip()
    if _DATE.fullmatch(text) and _is_calendar_date(text):
        return text
    raise FormatError(
        argument, "date", f"{argument} must be a date written YYYY-MM-DD, such as 2026-03-28."
    )


def _is_calendar_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def escape_like(text: str) -> str:
    """`text` as a literal inside a LIKE pattern (backslash is the default escape character)."""
    return _LIKE_SPECIAL.sub(r"\\\1", text)


def name_words(query: str) -> list[str]:
    """The distinct words of a query, escaped for `LIKE '%' || esbmcp_fold(word) || '%'`."""
    return [escape_like(word) for word in dict.fromkeys(query.split())]


def normalize_format(value: str, argument: str, schema: Mapping[str, Any]) -> str:
    """`value` in the canonical form of the argument schema's `format`; other formats pass as is.

    `search` text is kept literal here: it is escaped with `escape_like` where it meets LIKE.
    """
    normalizer = _NORMALIZERS.get(str(schema.get("format")))
    return value if normalizer is None else normalizer(value, argument, schema)


def _lookup_tool(argument: str, schema: Mapping[str, Any]) -> str | None:
    tool = schema.get("x-lookup-tool", DEFAULT_LOOKUP_TOOLS.get(argument))
    return tool if isinstance(tool, str) else None


_NORMALIZERS: Final[dict[str, Callable[[str, str, Mapping[str, Any]], str]]] = {
    "eid": lambda value, argument, schema: normalize_eid(value, argument),
    "uuid": lambda value, argument, schema: normalize_uuid(
        value, argument, _lookup_tool(argument, schema)
    ),
    "art_ref": lambda value, argument, schema: normalize_art_ref(
        value, argument, _lookup_tool(argument, schema)
    ),
    "phone": lambda value, argument, schema: phone_key(value, argument),
    "email": lambda value, argument, schema: normalize_email(
        value, argument, allow_fragment=schema.get("x-allow-fragment") is True
    ),
    "currency": lambda value, argument, schema: normalize_currency(value, argument),
    "date": lambda value, argument, schema: normalize_date(value, argument),
}
