"""The keyed `arguments_hash` over canonical JSON (observability.md §6.2)."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Mapping
from typing import Any

ARGS_LABEL = "esbmcp.args.v1"
CONFIRM_ARGS_LABEL = "esbmcp.confirm.args.v1"
CONFIRM_STATE_LABEL = "esbmcp.confirm.state.v1"
LABELS = frozenset({ARGS_LABEL, CONFIRM_ARGS_LABEL, CONFIRM_STATE_LABEL})


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys, literal non-ASCII and integral numbers as integers.

    Raises:
        ValueError: the value holds NaN or an infinity.
        TypeError: the value holds something JSON cannot express, or a non-string key.
    """
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _canonical_number(value)
    if isinstance(value, Mapping):
        return _canonical_object(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    raise TypeError(f"{type(value).__name__} has no canonical JSON form")


def _canonical_number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("NaN and infinities have no canonical JSON form")
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _canonical_object(value: Mapping[Any, Any]) -> str:
    if not all(isinstance(key, str) for key in value):
        raise TypeError("canonical JSON object keys must be strings")
    members = (
        json.dumps(key, ensure_ascii=False) + ":" + canonical_json(value[key])
        for key in sorted(value)
    )
    return "{" + ",".join(members) + "}"


def parse_arguments(arguments: Any) -> Any:
    """Arguments as the model produced them: a JSON string is parsed, unparsable gives `{}`."""
    if not isinstance(arguments, str | bytes):
        return arguments
    try:
        return json.loads(arguments, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return {}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def arguments_hash(
    key: bytes, key_id: str, tool_name: str, arguments: Any, label: str = ARGS_LABEL
) -> str:
    """`<key_id>:<hex HMAC-SHA256>` over label, tool name and the canonical arguments.

    Raises:
        ValueError: an unknown label, or arguments holding NaN or an infinity.
    """
    if label not in LABELS:
        raise ValueError(f"unknown arguments-hash label {label!r}")
    document = canonical_json(parse_arguments(arguments))
    # surrogatepass: a lone surrogate escaped in the model's JSON must hash, not raise.
    parts = (label, tool_name, document)
    message = b"\x00".join(part.encode("utf-8", "surrogatepass") for part in parts)
    return f"{key_id}:{hmac.new(key, message, hashlib.sha256).hexdigest()}"
