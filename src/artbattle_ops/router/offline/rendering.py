"""Slack mrkdwn for any tool result envelope (tools.md §1.3): the generic formatter.

A success shows the tool's title, the scalar fields, nested objects as one line each, and list
blocks as bullets capped at `MAX_ITEMS` with "and N more". Errors show their safe message and
hint. The specific formatters (`formatters`) take precedence for the most used tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from artbattle_ops.router.offline.money import is_money, is_time, label, scalar_text

MAX_ITEMS = 10
MAX_FIELDS = 14
MAX_TEXT = 80
SKIP_FIELDS = frozenset({"id", "tz_basis"})
ITEM_TITLE_KEYS = ("name", "eid", "art_code", "title", "code", "tool", "status", "currency")


def title(tool: str) -> str:
    """A tool name as a heading: `get_artists_owed` becomes `Artists owed`."""
    words = tool.split("_")
    if words[0] in {"get", "lookup", "run", "check", "find", "debug"} and len(words) > 1:
        words = words[1:]
    return label(" ".join(words))


def is_block(value: object) -> bool:
    """True for a list block `{"items", "count", "total", "truncated"}`."""
    return isinstance(value, Mapping) and "items" in value and "total" in value


def render_error(envelope: Mapping[str, Any]) -> str:
    """A tool error: its safe message and hint (never details or internals)."""
    error = envelope.get("error") or {}
    code = error.get("code", "error")
    text = f":warning: *{title(str(envelope.get('tool', 'tool')))}*: {error.get('message', code)}"
    if code == "confirmation_required":
        text = f":lock: *{title(str(envelope.get('tool', '')))}* needs your confirmation."
    hint = error.get("hint")
    return f"{text}\n_{hint}_" if hint else text


def render_warnings(envelope: Mapping[str, Any]) -> list[str]:
    """One italic line per warning."""
    return [
        f"_:information_source: {w.get('message', w.get('code'))}_"
        for w in envelope.get("warnings") or []
    ]


def render_generic(envelope: Mapping[str, Any]) -> str:
    """Any successful envelope as a heading, key fields and capped bullet lists."""
    lines = [f"*{title(str(envelope.get('tool', 'Result')))}*"]
    data = envelope.get("data")
    if isinstance(data, Mapping):
        lines += render_mapping(data)
    elif data is not None:
        lines.append(scalar_text(data))
    return "\n".join([*lines, *render_warnings(envelope)])


def render_mapping(data: Mapping[str, Any], depth: int = 0) -> list[str]:
    """The fields of an object: scalars as `Label: value`, blocks as bullets."""
    lines: list[str] = []
    for key, value in list(data.items())[:MAX_FIELDS]:
        if key in SKIP_FIELDS:
            continue
        if is_block(value):
            lines += [f"*{label(key)}* ({value.get('total', 0)})", *render_block(value)]
        elif isinstance(value, Mapping) and not (is_money(value) or is_time(value)):
            if depth < 1 and any(is_block(inner) for inner in value.values()):
                lines += [f"*{label(key)}*", *render_mapping(value, depth + 1)]
            else:
                lines.append(f"*{label(key)}*: {record_text(value)}")
        else:
            lines.append(f"{label(key)}: {scalar_text(value)}")
    return lines


def render_block(
    block: Mapping[str, Any], line: Any = None, *, limit: int = MAX_ITEMS
) -> list[str]:
    """Bullets for a list block, at most `limit`, then "and N more" for the rest."""
    items = list(block.get("items") or [])
    render = line or item_text
    bullets = [f"• {render(item)}" for item in items[:limit]]
    more = int(block.get("total") or len(items)) - len(bullets)
    if not items:
        bullets.append("• none")
    if more > 0:
        bullets.append(f"…and {more} more")
    return bullets


def item_text(item: Any) -> str:
    """One list item on one line: its name-like field first, then a few others."""
    if not isinstance(item, Mapping):
        return scalar_text(item)
    head = next((str(item[key]) for key in ITEM_TITLE_KEYS if isinstance(item.get(key), str)), "")
    rest = [
        f"{label(key)} {_short(value)}"
        for key, value in item.items()
        if value is not None
        and not is_block(value)
        and key not in SKIP_FIELDS
        and not (isinstance(value, str) and str(value) == head)
        and not key.endswith("_id")
    ][:5]
    return f"*{head}* — {', '.join(rest)}" if head else ", ".join(rest)


def record_text(value: Mapping[str, Any]) -> str:
    """A nested record on one line: its name-like field, then its other fields in brackets
    ('Priya Nair', 'Art Battle Toronto (AB4002)'), not 'Name Priya Nair'."""
    fields = _flat(value)
    key = next((k for k in ITEM_TITLE_KEYS if isinstance(fields.get(k), str)), None)
    if key is None:
        return scalar_text(fields)
    head = str(fields.pop(key))
    rest = ", ".join(
        scalar_text(v) if k in ITEM_TITLE_KEYS else f"{label(k)} {scalar_text(v)}"
        for k, v in fields.items()
        if v is not None
    )
    return f"{head} ({rest})" if rest else head


def _short(value: Any) -> str:
    if isinstance(value, Mapping) and not (is_money(value) or is_time(value)):
        return str(value.get("name") or value.get("eid") or "…")
    text = scalar_text(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _flat(value: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in value.items()
        if k not in SKIP_FIELDS
        and not k.endswith("_id")
        and not is_block(v)
        and not (isinstance(v, Mapping) and not (is_money(v) or is_time(v)))
    }
