"""`arguments_preview` and `argument_keys`: the only argument data ever stored (§6.3)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from artbattle_ops.observability.hashing import parse_arguments
from artbattle_ops.observability.scrubber import Scrubber

# The one allow-list, shared by executions, errors and the Slack side. Any other key (query,
# phone, email, name, ids, amounts, ...) appears only in `arguments_keys`.
PREVIEW_KEYS = frozenset(
    {
        "eid",
        "round",
        "group_by",
        "search_by",
        "status",
        "audience_filter",
        "hours_back",
        "limit",
        "table_name",
        "tool_name",
        "currency",
        "base_currency",
        "target_currency",
    }
)
REDACTED = "[redacted]"
OMITTED = "[omitted]"
_PREVIEWABLE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def arguments_preview(arguments: Mapping[str, Any], scrubber: Scrubber) -> dict[str, Any]:
    """The allow-listed arguments with masked values, keys in sorted order."""
    return {
        key: _preview_value(arguments[key], scrubber)
        for key in sorted(arguments)
        if key in PREVIEW_KEYS
    }


def _preview_value(value: Any, scrubber: Scrubber) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else REDACTED
    if isinstance(value, str):
        return scrubber.scrub(value) if _PREVIEWABLE.fullmatch(value) else REDACTED
    if isinstance(value, Mapping | list | tuple):
        return OMITTED
    return REDACTED


def argument_keys(arguments: Any) -> list[str]:
    """Sorted top-level argument names; `[]` for an unparsable string or a non-object."""
    parsed = parse_arguments(arguments)
    if not isinstance(parsed, Mapping):
        return []
    return sorted(str(key) for key in parsed)
