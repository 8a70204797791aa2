"""Request bodies: JSON parsing with exact decimals, and the shape checks the functions share."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any


class InvalidJsonError(ValueError):
    """The body is not a JSON object."""


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw`; numbers with a fraction become `Decimal`.

    Raises:
        InvalidJsonError: the body is empty, unparsable, NaN/Infinity, or not an object.
    """
    try:
        value = json.loads(raw, parse_float=Decimal, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, InvalidJsonError) as exc:
        raise InvalidJsonError("body is not valid JSON") from exc
    if not isinstance(value, dict):
        raise InvalidJsonError("body is not a JSON object")
    return value


def _refuse_constant(name: str) -> Any:
    raise InvalidJsonError(f"{name} is not JSON")


def is_uuid(value: Any) -> bool:
    """Whether `value` is a string holding a UUID."""
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def is_blank(value: Any) -> bool:
    """Absent, null, or a string that is empty after trimming."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: Any) -> bool:
    """A JSON number (not a boolean)."""
    return isinstance(value, int | Decimal) and not isinstance(value, bool)
