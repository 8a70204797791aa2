"""The tool manifest: one entry per tool in `config/tools/<domain>.yaml`, checked when loaded.

An entry holds what tools.md §1.1 lists. `pii_fields` maps a result path to a §1.7 category: keys
inside `data` joined by dots, `*` for each element of a list (a list block's items are
`<block>.items.*`); a path that starts with `preview.` addresses a write's confirmation preview
(§1.9 step 4). Argument schemas are JSON Schema draft 2020-12 with the `format` values the
validator knows, plus two keywords of ours: `x-lookup-tool` (the tool that supplies an id) and
`x-allow-fragment` (an email argument that also takes part of an address).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from artbattle_ops.errors import OpsError

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[3] / "config" / "tools"

DOMAINS = (
    "data-read",
    "profile-integrity",
    "payments",
    "growth-marketing",
    "platform-db-edge",
    "bot-observability",
)
ROLES = frozenset({"ops", "event-producer", "finance", "marketing", "viewer"})
PII_CATEGORIES = frozenset(
    {"email", "phone", "private_name", "financial_id", "free_text", "staff_identity"}
)
FORMATS = frozenset({"eid", "uuid", "art_ref", "phone", "email", "currency", "date", "search"})
EXTENSIONS = frozenset({"x-lookup-tool", "x-allow-fragment"})
# Rules across arguments live in requires_one_of and mutually_exclusive, which the validator
# explains in words, never in schema keywords such as oneOf or dependentRequired.
SCHEMA_KEYWORDS = frozenset({"type", "additionalProperties", "properties", "required"})

# tools.md §1.1: the writes that overwrite a stored value, and those whose idempotency key holds
# only for one UTC day. The MCP hints are derived from these and the risk, never written by hand.
OVERWRITING_WRITES = frozenset({"update_artist_name", "update_artist_bio", "update_artist_country"})
DAY_KEYED_WRITES = frozenset({"process_artist_payment", "send_payment_reminder"})

REQUIRED_FIELDS = (
    "name",
    "domain",
    "description",
    "examples",
    "parameters",
    "risk",
    "requires_confirmation",
    "allowed_roles",
    "max_calls_per_request",
    "statement_timeout_ms",
    "pii_fields",
    "pii_arguments",
)
OPTIONAL_FIELDS = (
    "slow_statement_timeout_ms",
    "slow_when",
    "requires_one_of",
    "mutually_exclusive",
)

TOOL_NAME = re.compile(r"^[a-z][a-z0-9_]{2,63}$")
RESULT_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|\*))*$")


class ManifestError(OpsError):
    """A manifest entry is missing or malformed; names the tool and the field."""

    code = "manifest_error"

    def __init__(self, problem: str, *, tool: str | None, field: str | None) -> None:
        parts = (f"tool {tool}" if tool else "", f"field {field}" if field else "", problem)
        super().__init__("tool manifest: " + ": ".join(part for part in parts if part))
        self.tool = tool
        self.field = field


@dataclass(frozen=True)
class ToolSpec:
    """One tool as the manifest declares it."""

    name: str
    domain: str
    description: str
    examples: tuple[str, ...]
    parameters: Mapping[str, Any]
    risk: str
    requires_confirmation: bool
    allowed_roles: frozenset[str]
    max_calls_per_request: int
    statement_timeout_ms: int
    slow_statement_timeout_ms: int | None
    pii_fields: Mapping[str, str]
    pii_arguments: frozenset[str]
    requires_one_of: tuple[tuple[str, ...], ...]
    mutually_exclusive: tuple[tuple[str, ...], ...]
    slow_when: str | None = None

    @property
    def is_write(self) -> bool:
        """True for the seven writes of tools.md §1.9."""
        return self.risk == "write"

    def annotations(self) -> dict[str, bool]:
        """The MCP hints of tools.md §1.1 (readOnlyHint, destructiveHint, idempotentHint)."""
        return {
            "read_only_hint": not self.is_write,
            "destructive_hint": self.name in OVERWRITING_WRITES,
            "idempotent_hint": not self.is_write or self.name not in DAY_KEYED_WRITES,
        }


class Manifest(Mapping[str, ToolSpec]):
    """The tools by name, in manifest order: domains as tools.md orders them, then file order."""

    def __init__(self, tools: Iterable[ToolSpec]) -> None:
        self._tools = {spec.name: spec for spec in tools}

    def __getitem__(self, name: str) -> ToolSpec:
        return self._tools[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tools)

    def __len__(self) -> int:
        return len(self._tools)

    @property
    def names(self) -> tuple[str, ...]:
        """Every tool name, in manifest order."""
        return tuple(self._tools)

    def for_role(self, role: str) -> tuple[ToolSpec, ...]:
        """The tools `role` may use (none for an unknown role)."""
        return tuple(spec for spec in self._tools.values() if role in spec.allowed_roles)


def load_manifest(directory: Path | None = None) -> Manifest:
    """Load and check every `<domain>.yaml` of `directory` (default: the repository's, cached).

    Raises:
        ManifestError: a file or an entry is missing or malformed.
    """
    if directory is None:
        return _default_manifest()
    return _load(directory)


@functools.cache
def _default_manifest() -> Manifest:
    return _load(DEFAULT_DIRECTORY)


def _load(directory: Path) -> Manifest:
    specs = [spec for path in _domain_files(directory) for spec in _load_file(path)]
    _check_across(specs)
    return Manifest(specs)


def _domain_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ManifestError(f"directory {directory} does not exist", tool=None, field=None)
    stems = [domain.replace("-", "_") for domain in DOMAINS]
    paths = sorted(directory.glob("*.yaml"))
    strays = [path.name for path in paths if path.stem not in stems]
    if strays:
        raise ManifestError(f"{strays[0]} is not a <domain>.yaml file", tool=None, field=None)
    if not paths:
        raise ManifestError(f"no <domain>.yaml files in {directory}", tool=None, field=None)
    return sorted(paths, key=lambda path: stems.index(path.stem))


def _load_file(path: Path) -> list[ToolSpec]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path.name} is not valid YAML", tool=None, field=None) from exc
    if not isinstance(document, dict) or set(document) != {"tools"}:
        raise ManifestError(f"{path.name} must hold one key, tools", tool=None, field="tools")
    entries = document["tools"]
    if not isinstance(entries, list):
        raise ManifestError(f"tools in {path.name} must be a list", tool=None, field="tools")
    return [_build(entry, f"{path.name}#{index}", path.stem) for index, entry in enumerate(entries)]


def _build(entry: object, where: str, file_stem: str) -> ToolSpec:
    if not isinstance(entry, dict):
        raise ManifestError("an entry must be a mapping", tool=where, field=None)
    name = entry.get("name")
    check = _EntryCheck(name if isinstance(name, str) else where)
    check.fields(entry)

    name = check.name(entry["name"])
    domain = check.domain(entry["domain"], file_stem)
    risk = check.choice(entry, "risk", ("read", "write"))
    parameters = check.parameters(entry["parameters"])
    arguments = frozenset(parameters["properties"])
    timeout = check.positive_int(entry, "statement_timeout_ms")
    check.confirmation(entry["requires_confirmation"], risk)
    return ToolSpec(
        name=name,
        domain=domain,
        description=check.text(entry, "description"),
        examples=check.examples(entry["examples"]),
        parameters=parameters,
        risk=risk,
        requires_confirmation=entry["requires_confirmation"],
        allowed_roles=check.roles(entry["allowed_roles"], risk),
        max_calls_per_request=check.positive_int(entry, "max_calls_per_request"),
        statement_timeout_ms=timeout,
        slow_statement_timeout_ms=check.slow_timeout(entry, timeout),
        slow_when=entry.get("slow_when"),
        pii_fields=check.pii_fields(entry["pii_fields"]),
        pii_arguments=frozenset(
            check.arguments(entry["pii_arguments"], arguments, "pii_arguments")
        ),
        requires_one_of=check.groups(entry, "requires_one_of", arguments),
        mutually_exclusive=check.groups(entry, "mutually_exclusive", arguments),
    )


class _EntryCheck:
    """The checks of one entry; each failure names the tool and the field."""

    def __init__(self, tool: str) -> None:
        self.tool = tool

    def fail(self, field: str | None, problem: str) -> ManifestError:
        return ManifestError(problem, tool=self.tool, field=field)

    def fields(self, entry: dict[str, Any]) -> None:
        for key in entry:
            if key not in REQUIRED_FIELDS and key not in OPTIONAL_FIELDS:
                raise self.fail(str(key), "is not a manifest field")
        for key in REQUIRED_FIELDS:
            if key not in entry:
                raise self.fail(key, "is missing")

    def name(self, value: Any) -> str:
        if not isinstance(value, str) or not TOOL_NAME.match(value):
            raise self.fail("name", "must be lower snake case")
        return value

    def domain(self, value: Any, file_stem: str) -> str:
        if value not in DOMAINS:
            raise self.fail("domain", f"must be one of {', '.join(DOMAINS)}")
        if value.replace("-", "_") != file_stem:
            raise self.fail("domain", f"does not match its file {file_stem}.yaml")
        return str(value)

    def choice(self, entry: dict[str, Any], field: str, allowed: tuple[str, ...]) -> str:
        if entry[field] not in allowed:
            raise self.fail(field, f"must be one of {', '.join(allowed)}")
        return str(entry[field])

    def text(self, entry: dict[str, Any], field: str) -> str:
        value = entry[field]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be non-empty text")
        return value.strip()

    def examples(self, value: Any) -> tuple[str, ...]:
        valid = isinstance(value, list) and 2 <= len(value) <= 4
        if not valid or not all(isinstance(item, str) and item.strip() for item in value):
            raise self.fail("examples", "must list 2 to 4 example questions")
        return tuple(item.strip() for item in value)

    def positive_int(self, entry: dict[str, Any], field: str) -> int:
        value = entry[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(field, "must be a positive integer")
        return value

    def confirmation(self, value: Any, risk: str) -> None:
        if value is not (risk == "write"):
            raise self.fail("requires_confirmation", "must be true for writes, false for reads")

    def roles(self, value: Any, risk: str) -> frozenset[str]:
        names = value if isinstance(value, list) else [None]
        known = all(isinstance(role, str) and role in ROLES for role in names)
        if not known or len(set(names)) != len(names):
            raise self.fail("allowed_roles", f"must list distinct roles of {sorted(ROLES)}")
        if "ops" not in value:
            raise self.fail("allowed_roles", "must include ops, which has every tool")
        if risk == "write" and "viewer" in value:
            raise self.fail("allowed_roles", "a write is never allowed to viewer")
        return frozenset(value)

    def slow_timeout(self, entry: dict[str, Any], timeout_ms: int) -> int | None:
        if "slow_statement_timeout_ms" not in entry:
            if "slow_when" in entry:
                raise self.fail("slow_when", "needs slow_statement_timeout_ms")
            return None
        slow = self.positive_int(entry, "slow_statement_timeout_ms")
        if slow <= timeout_ms:
            raise self.fail("slow_statement_timeout_ms", "must exceed statement_timeout_ms")
        if "slow_when" not in entry:
            raise self.fail("slow_when", "is missing")
        self.text(entry, "slow_when")
        return slow

    def pii_fields(self, value: Any) -> Mapping[str, str]:
        if not isinstance(value, dict):
            raise self.fail("pii_fields", "must map result paths to categories")
        for path, category in value.items():
            if not isinstance(path, str) or not RESULT_PATH.match(path):
                raise self.fail("pii_fields", f"{path!r} is not a result path")
            if category not in PII_CATEGORIES:
                raise self.fail("pii_fields", f"{path}: {category!r} is not a §1.7 category")
        return MappingProxyType(dict(value))

    def arguments(self, value: Any, known: frozenset[str], field: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(field, "must be a list of argument names")
        unknown = [item for item in value if item not in known]
        if unknown:
            raise self.fail(field, f"{unknown[0]} is not an argument")
        return value

    def groups(
        self, entry: dict[str, Any], field: str, known: frozenset[str]
    ) -> tuple[tuple[str, ...], ...]:
        value = entry.get(field, [])
        if not isinstance(value, list):
            raise self.fail(field, "must be a list of argument lists")
        groups = tuple(tuple(self.arguments(group, known, field)) for group in value)
        if any(len(set(group)) < 2 for group in groups):
            raise self.fail(field, "each group must name at least two distinct arguments")
        return groups

    def parameters(self, schema: Any) -> dict[str, Any]:
        if not isinstance(schema, dict) or schema.get("type") != "object":
            raise self.fail("parameters", "must be a JSON Schema of type object")
        if schema.get("additionalProperties") is not False:
            raise self.fail("parameters.additionalProperties", "must be false")
        extra = sorted(set(schema) - SCHEMA_KEYWORDS)
        if extra:
            raise self.fail(f"parameters.{extra[0]}", "use requires_one_of or mutually_exclusive")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise self.fail("parameters", f"is not valid JSON Schema: {exc.message}") from exc
        properties = schema.get("properties", {})
        schema["properties"] = properties
        self.arguments(schema.get("required", []), frozenset(properties), "parameters.required")
        for argument, subschema in properties.items():
            self.argument(argument, subschema)
        return schema

    def argument(self, argument: str, schema: Any) -> None:
        field = f"parameters.{argument}"
        if not isinstance(schema, dict):
            raise self.fail(field, "must be a schema object")
        if "type" not in schema:
            raise self.fail(f"{field}.type", "is missing")
        if not isinstance(schema.get("description"), str) or not schema["description"].strip():
            raise self.fail(f"{field}.description", "must be non-empty text")
        if "format" in schema and schema["format"] not in FORMATS:
            raise self.fail(f"{field}.format", f"{schema['format']!r} is not a known format")
        for key in map(str, schema):
            if key.startswith("x-") and key not in EXTENSIONS:
                raise self.fail(f"{field}.{key}", "is not a known extension keyword")
        if any(
            not isinstance(item, str) or item != item.lower() for item in schema.get("enum", [])
        ):
            raise self.fail(f"{field}.enum", "values must be lower-case strings")
        if "default" in schema and not Draft202012Validator(schema).is_valid(schema["default"]):
            raise self.fail(f"{field}.default", "does not satisfy the argument's own schema")


def _check_across(specs: list[ToolSpec]) -> None:
    """Checks that need every entry: unique names, lookup hints and tool-name enums."""
    names = [spec.name for spec in specs]
    for spec in specs:
        if names.count(spec.name) > 1:
            raise ManifestError("is declared twice", tool=spec.name, field="name")
    for spec in specs:
        for argument, schema in spec.parameters["properties"].items():
            _check_references(spec.name, argument, schema, names)


def _check_references(tool: str, argument: str, schema: dict[str, Any], names: list[str]) -> None:
    lookup = schema.get("x-lookup-tool")
    if lookup is not None and lookup not in names:
        field = f"parameters.{argument}.x-lookup-tool"
        raise ManifestError(f"{lookup!r} is not a manifest tool", tool=tool, field=field)
    if argument == "tool_name" and sorted(schema.get("enum", [])) != sorted(names):
        field = f"parameters.{argument}.enum"
        raise ManifestError("must list exactly the manifest's tools", tool=tool, field=field)
