"""The result envelope of tools.md §1.3: success, failure, list blocks and the size cap."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

TRIM_WARNING = {
    "code": "result_trimmed",
    "message": "The result was too large and was shortened; narrow the request to see everything.",
}
# Blocks that are never trimmed, whatever their size (tools.md §1.3).
UNTRIMMABLE = frozenset({"totals_by_currency"})


def success(
    tool: str, data: dict[str, Any], warnings: list[dict[str, str]], meta: dict[str, Any]
) -> dict[str, Any]:
    """`{"ok": true, "tool", "data", "warnings", "meta"}`."""
    return {"ok": True, "tool": tool, "data": data, "warnings": warnings, "meta": meta}


def failure(
    tool: str, error: dict[str, Any], reference_id: str | None, **extra: Any
) -> dict[str, Any]:
    """`{"ok": false, "tool", "error": {..., "reference_id"}}`; `extra` joins the error object."""
    body = {
        "code": error.get("code", "internal_error"),
        "message": error.get("message", "Internal error"),
        "argument": error.get("argument"),
        "hint": error.get("hint"),
        "details": error.get("details", []),
        "reference_id": reference_id,
    }
    return {"ok": False, "tool": tool, "error": body | extra}


def meta(
    request_id: str, execution_id: str | None, started: datetime, duration_ms: int
) -> dict[str, Any]:
    """The envelope's `meta` block."""
    return {
        "request_id": request_id,
        "execution_id": execution_id,
        "generated_at": started.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "duration_ms": duration_ms,
    }


def is_block(value: Any) -> bool:
    """Whether `value` is a list block `{"items", "count", "total", "truncated"}`."""
    return isinstance(value, dict) and isinstance(value.get("items"), list) and "total" in value


def row_count(data: dict[str, Any]) -> int:
    """Sum of `count` over the list blocks at the top level of `data` (observability §2.2)."""
    return sum(int(v.get("count", 0)) for v in data.values() if is_block(v))


def encoded_size(value: Any) -> int:
    """UTF-8 size of the compact JSON serialisation."""
    return len(dumps(value).encode("utf-8"))


def dumps(value: Any) -> str:
    """The one JSON serialisation the gateway sends."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def trim_to_size(data: dict[str, Any], max_bytes: int) -> tuple[dict[str, Any], bool, int]:
    """Drop items from the end of the longest blocks until `data` fits.

    Returns (data, trimmed, the encoded size of data). `count` and `truncated` follow the
    items; `total` keeps the true number of matches.
    """
    size = encoded_size(data)
    if size <= max_bytes:
        return data, False, size
    blocks = _blocks(data)
    while size > max_bytes:
        candidates = [b for b in blocks if b["items"]]
        if not candidates:
            break
        longest = max(candidates, key=lambda b: encoded_size(b["items"]))
        drop = max(1, len(longest["items"]) // 4)
        del longest["items"][-drop:]
        longest["count"] = len(longest["items"])
        longest["truncated"] = longest["total"] > longest["count"]
        size = encoded_size(data)
    return data, True, size


def success_size(body: dict[str, Any], data_size: int) -> int:
    """The encoded size of a success envelope whose `data` encodes to `data_size` bytes,
    without encoding `data` again (`null` stands in for it)."""
    return encoded_size({**body, "data": None}) - len("null") + data_size


def _blocks(value: Any, name: str | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if is_block(value) and name not in UNTRIMMABLE:
        found.append(value)
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_blocks(child, key))
    elif isinstance(value, list):
        for child in value:
            found.extend(_blocks(child, name))
    return found
