"""The generated tool reference, `docs/tools.md`: every manifest entry rendered as Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from artbattle_ops.tools.manifest import DOMAINS, Manifest, ToolSpec
from artbattle_ops.tools.registry import load_handlers

REFERENCE_PATH = Path(__file__).resolve().parents[3] / "docs" / "tools.md"
ROLE_ORDER = ("ops", "event-producer", "finance", "marketing", "viewer")
MCP_HINTS = {
    "read_only_hint": "readOnlyHint",
    "destructive_hint": "destructiveHint",
    "idempotent_hint": "idempotentHint",
}
LONG_ENUM = 10
PII_INTRO = (
    "Personal data, masked by role and sink (paths inside `data`; `preview.` paths inside the"
    " confirmation preview of a write):"
)

HEADER = """\
# Tool reference

Generated from `config/tools/<domain>.yaml` by `artbattle-ops docs tools`; do not edit by hand.
Change the manifest (or add a handler) and run the command again: a unit test fails while this page
is out of date. The behaviour of each tool is specified in `spec/tools.md`.
"""


def implemented_tools() -> frozenset[str]:
    """Names of the tools with a handler, once every domain's handler module is imported."""
    return load_handlers()


def render_reference(manifest: Manifest, implemented: frozenset[str]) -> str:
    """The whole Markdown reference for `manifest`, marking the tools in `implemented`."""
    done = sum(1 for name in manifest if name in implemented)
    domains = [domain for domain in DOMAINS if any(s.domain == domain for s in manifest.values())]
    lines = [HEADER, f"{len(manifest)} tools in {len(domains)} domains; {done} implemented.", ""]
    lines += _overview(manifest, implemented)
    for domain in domains:
        lines += ["", f"## {domain}"]
        for spec in manifest.values():
            if spec.domain == domain:
                lines += ["", *_tool_section(spec, spec.name in implemented)]
    return "\n".join(lines) + "\n"


def _overview(manifest: Manifest, implemented: frozenset[str]) -> list[str]:
    lines = [
        "| Tool | Domain | Risk | Roles | Calls per request | Implemented |",
        "|---|---|---|---|---|---|",
    ]
    for spec in manifest.values():
        cells = (
            f"[`{spec.name}`](#{spec.name})",
            spec.domain,
            spec.risk,
            _roles(spec),
            str(spec.max_calls_per_request),
            "yes" if spec.name in implemented else "no",
        )
        lines.append(_row(cells))
    return lines


def _tool_section(spec: ToolSpec, is_implemented: bool) -> list[str]:
    lines = [f"### `{spec.name}`", "", spec.description, "", "| | |", "|---|---|"]
    lines.append(_row(("Implemented", "yes" if is_implemented else "not yet")))
    lines.append(_row(("Risk", _risk(spec))))
    lines.append(_row(("Roles", _roles(spec))))
    lines.append(_row(("Calls per request", f"at most {spec.max_calls_per_request}")))
    lines.append(_row(("Statement timeout", _timeout(spec))))
    lines.append(_row(("MCP hints", _hints(spec))))
    rules = _argument_rules(spec)
    if rules:
        lines.append(_row(("Argument rules", "; ".join(rules))))
    lines += ["", *_parameters(spec), "", *_personal_data(spec), "", "Example questions:", ""]
    lines += [f"- {example}" for example in spec.examples]
    return lines


def _risk(spec: ToolSpec) -> str:
    if spec.is_write:
        return "write; needs the requester's confirmation and ENABLE_MUTATING_TOOLS"
    return "read; no confirmation"


def _roles(spec: ToolSpec) -> str:
    return ", ".join(role for role in ROLE_ORDER if role in spec.allowed_roles)


def _timeout(spec: ToolSpec) -> str:
    text = f"{spec.statement_timeout_ms} ms"
    if spec.slow_statement_timeout_ms is None:
        return text
    return f"{text}; {spec.slow_statement_timeout_ms} ms {spec.slow_when}"


def _hints(spec: ToolSpec) -> str:
    hints = spec.annotations()
    return ", ".join(f"{MCP_HINTS[key]}: {json.dumps(hints[key])}" for key in MCP_HINTS)


def _argument_rules(spec: ToolSpec) -> list[str]:
    rules = [f"give at least one of {_names(group)}" for group in spec.requires_one_of]
    rules += [f"give at most one of {_names(group)}" for group in spec.mutually_exclusive]
    return rules


def _parameters(spec: ToolSpec) -> list[str]:
    properties: dict[str, Any] = spec.parameters["properties"]
    if not properties:
        return ["No parameters."]
    required = set(spec.parameters.get("required", []))
    lines = [
        "| Parameter | Type | Required | Constraints | Default | Description |",
        "|---|---|---|---|---|---|",
    ]
    for name, schema in properties.items():
        default = f"`{json.dumps(schema['default'])}`" if "default" in schema else ""
        cells = (
            f"`{name}`",
            _type(schema),
            "yes" if name in required else "no",
            _constraints(schema),
            default,
            schema["description"],
        )
        lines.append(_row(cells))
    return lines


def _type(schema: dict[str, Any]) -> str:
    kind = str(schema["type"])
    if "format" in schema:
        kind = f"{kind} ({schema['format']})"
    enum = schema.get("enum")
    if enum is None:
        return kind
    if len(enum) > LONG_ENUM:
        return f"{kind}, one of {len(enum)} values"
    return f"{kind}: " + ", ".join(f"`{value}`" for value in enum)


def _constraints(schema: dict[str, Any]) -> str:
    parts = [_range(schema.get("minimum"), schema.get("maximum"), "")]
    parts.append(_range(schema.get("minLength"), schema.get("maxLength"), " characters"))
    if "pattern" in schema:
        parts.append(f"matches `{schema['pattern']}`")
    if "multipleOf" in schema:
        parts.append(f"a multiple of {schema['multipleOf']}")
    if schema.get("x-allow-fragment"):
        parts.append("a whole address or part of one")
    if "x-lookup-tool" in schema:
        parts.append(f"from `{schema['x-lookup-tool']}`")
    return "; ".join(part for part in parts if part)


def _range(low: Any, high: Any, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}{unit}"
    if high is not None:
        return f"at most {high}{unit}"
    if low is not None:
        return f"at least {low}{unit}"
    return ""


def _personal_data(spec: ToolSpec) -> list[str]:
    if not spec.pii_fields:
        lines = ["Personal data in the result: none."]
    else:
        lines = [PII_INTRO, "", "| Path | Category |", "|---|---|"]
        lines += [_row((f"`{path}`", cat)) for path, cat in spec.pii_fields.items()]
    if spec.pii_arguments:
        names = _names(sorted(spec.pii_arguments))
        lines += ["", f"Arguments kept only as a keyed hash in logs and audit: {names}."]
    return lines


def _names(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
