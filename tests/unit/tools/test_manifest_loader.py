"""The manifest loader: the shipped manifest loads, and a malformed entry is refused by name."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from artbattle_ops.errors import OpsError
from artbattle_ops.tools.manifest import ManifestError, load_manifest

Entry = dict[str, Any]


def valid_entry() -> Entry:
    return {
        "name": "lookup_event",
        "domain": "data-read",
        "description": "Find events by EID.",
        "examples": ["When is the next Toronto event?", "What's AB4045?"],
        "parameters": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "eid": {"type": "string", "format": "eid", "description": "Event code."},
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 25,
                    "default": 10,
                    "description": "Most events.",
                },
            },
        },
        "risk": "read",
        "requires_confirmation": False,
        "allowed_roles": ["ops", "viewer"],
        "max_calls_per_request": 3,
        "statement_timeout_ms": 8000,
        "pii_fields": {},
        "pii_arguments": [],
    }


def write_manifest(directory: Path, *entries: Entry) -> Path:
    text = yaml.safe_dump({"tools": list(entries)}, allow_unicode=True)
    (directory / "data_read.yaml").write_text(text, encoding="utf-8")
    return directory


def with_write_risk(entry: Entry) -> None:
    entry.update(risk="write", requires_confirmation=True, statement_timeout_ms=10000)


def arguments(entry: Entry) -> dict[str, Any]:
    properties: dict[str, Any] = entry["parameters"]["properties"]
    return properties


MALFORMED: list[tuple[str, Callable[[Entry], None], str, str]] = [
    ("missing field", lambda e: e.pop("risk"), "lookup_event", "risk"),
    ("unknown field", lambda e: e.update(owner="ops"), "lookup_event", "owner"),
    ("malformed name", lambda e: e.update(name="Lookup-Event"), "Lookup-Event", "name"),
    ("unknown domain", lambda e: e.update(domain="data"), "lookup_event", "domain"),
    ("domain of another file", lambda e: e.update(domain="payments"), "lookup_event", "domain"),
    ("empty description", lambda e: e.update(description=" "), "lookup_event", "description"),
    ("one example", lambda e: e.update(examples=["What's AB4045?"]), "lookup_event", "examples"),
    (
        "schema that is not JSON Schema",
        lambda e: arguments(e)["limit"].update(type="int"),
        "lookup_event",
        "parameters",
    ),
    (
        "schema open to unknown keys",
        lambda e: e["parameters"].update(additionalProperties=True),
        "lookup_event",
        "parameters.additionalProperties",
    ),
    (
        "schema without additionalProperties",
        lambda e: e["parameters"].pop("additionalProperties"),
        "lookup_event",
        "parameters.additionalProperties",
    ),
    (
        "rule across arguments in the schema",
        lambda e: e["parameters"].update(oneOf=[{"required": ["eid"]}]),
        "lookup_event",
        "parameters.oneOf",
    ),
    (
        "argument without a description",
        lambda e: arguments(e)["eid"].pop("description"),
        "lookup_event",
        "parameters.eid.description",
    ),
    (
        "unknown format",
        lambda e: arguments(e)["eid"].update(format="event_code"),
        "lookup_event",
        "parameters.eid.format",
    ),
    (
        "unknown extension keyword",
        lambda e: arguments(e)["eid"].update({"x-lookup": "lookup_event"}),
        "lookup_event",
        "parameters.eid.x-lookup",
    ),
    (
        "lookup hint naming no tool",
        lambda e: arguments(e)["eid"].update({"x-lookup-tool": "find_event"}),
        "lookup_event",
        "parameters.eid.x-lookup-tool",
    ),
    (
        "upper-case enum",
        lambda e: arguments(e).update(
            status={"type": "string", "enum": ["Pending"], "description": "Status."}
        ),
        "lookup_event",
        "parameters.status.enum",
    ),
    (
        "default outside the bounds",
        lambda e: arguments(e)["limit"].update(default=99),
        "lookup_event",
        "parameters.limit.default",
    ),
    (
        "required argument not in the schema",
        lambda e: e["parameters"].update(required=["city"]),
        "lookup_event",
        "parameters.required",
    ),
    ("unknown risk", lambda e: e.update(risk="delete"), "lookup_event", "risk"),
    (
        "read that asks for confirmation",
        lambda e: e.update(requires_confirmation=True),
        "lookup_event",
        "requires_confirmation",
    ),
    (
        "write without confirmation",
        lambda e: e.update(risk="write", statement_timeout_ms=10000),
        "lookup_event",
        "requires_confirmation",
    ),
    (
        "unknown role",
        lambda e: e.update(allowed_roles=["ops", "admin"]),
        "lookup_event",
        "allowed_roles",
    ),
    (
        "roles without ops",
        lambda e: e.update(allowed_roles=["viewer"]),
        "lookup_event",
        "allowed_roles",
    ),
    ("write allowed to viewer", with_write_risk, "lookup_event", "allowed_roles"),
    (
        "zero call cap",
        lambda e: e.update(max_calls_per_request=0),
        "lookup_event",
        "max_calls_per_request",
    ),
    (
        "timeout as text",
        lambda e: e.update(statement_timeout_ms="8000"),
        "lookup_event",
        "statement_timeout_ms",
    ),
    (
        "slow timeout without its note",
        lambda e: e.update(slow_statement_timeout_ms=20000),
        "lookup_event",
        "slow_when",
    ),
    (
        "slow timeout below the default",
        lambda e: e.update(slow_statement_timeout_ms=5000, slow_when="when city is given"),
        "lookup_event",
        "slow_statement_timeout_ms",
    ),
    (
        "unknown personal-data category",
        lambda e: e.update(pii_fields={"events.items.*.name": "name"}),
        "lookup_event",
        "pii_fields",
    ),
    (
        "malformed result path",
        lambda e: e.update(pii_fields={"events..name": "private_name"}),
        "lookup_event",
        "pii_fields",
    ),
    (
        "personal-data argument that is not an argument",
        lambda e: e.update(pii_arguments=["query"]),
        "lookup_event",
        "pii_arguments",
    ),
    (
        "either-or naming an unknown argument",
        lambda e: e.update(requires_one_of=[["eid", "city"]]),
        "lookup_event",
        "requires_one_of",
    ),
    (
        "either-or with one argument",
        lambda e: e.update(requires_one_of=[["eid"]]),
        "lookup_event",
        "requires_one_of",
    ),
    (
        "exclusion naming an unknown argument",
        lambda e: e.update(mutually_exclusive=[["eid", "city"]]),
        "lookup_event",
        "mutually_exclusive",
    ),
]


def test_the_shipped_manifest_loads_all_49_tools() -> None:
    assert len(load_manifest()) == 49


def test_the_default_manifest_is_loaded_once() -> None:
    assert load_manifest() is load_manifest()


def test_tools_are_in_spec_order_across_domain_files() -> None:
    names = load_manifest().names

    assert (names[0], names[15], names[-1]) == (
        "lookup_event",
        "find_duplicate_profiles",
        "get_bot_tool_stats",
    )


def test_an_unknown_role_has_no_tools() -> None:
    assert load_manifest().for_role("admin") == ()


def test_a_valid_entry_loads(tmp_path: Path) -> None:
    manifest = load_manifest(write_manifest(tmp_path, valid_entry()))

    assert manifest.names == ("lookup_event",)


def test_a_manifest_error_is_an_ops_error() -> None:
    assert issubclass(ManifestError, OpsError)


@pytest.mark.parametrize(
    ("mutate", "tool", "field"),
    [pytest.param(mutate, tool, field, id=case) for case, mutate, tool, field in MALFORMED],
)
def test_a_malformed_entry_is_refused_naming_tool_and_field(
    tmp_path: Path, mutate: Callable[[Entry], None], tool: str, field: str
) -> None:
    entry = copy.deepcopy(valid_entry())
    mutate(entry)
    write_manifest(tmp_path, entry)

    with pytest.raises(ManifestError) as refused:
        load_manifest(tmp_path)

    assert (refused.value.tool, refused.value.field) == (tool, field)


def test_a_duplicate_name_is_refused(tmp_path: Path) -> None:
    write_manifest(tmp_path, valid_entry(), valid_entry())

    with pytest.raises(ManifestError) as refused:
        load_manifest(tmp_path)

    assert (refused.value.tool, refused.value.field) == ("lookup_event", "name")


def test_a_tool_name_argument_must_list_every_tool(tmp_path: Path) -> None:
    entry = valid_entry()
    tool_name = {"type": "string", "enum": ["lookup_event", "get_bot_errors"], "description": "A."}
    arguments(entry)["tool_name"] = tool_name
    write_manifest(tmp_path, entry)

    with pytest.raises(ManifestError) as refused:
        load_manifest(tmp_path)

    assert (refused.value.tool, refused.value.field) == (
        "lookup_event",
        "parameters.tool_name.enum",
    )


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data_read.yaml").write_text("tools: [unclosed", encoding="utf-8")

    with pytest.raises(ManifestError) as refused:
        load_manifest(tmp_path)

    assert refused.value.code == "manifest_error"


def test_a_file_named_after_no_domain_is_refused(tmp_path: Path) -> None:
    write_manifest(tmp_path, valid_entry())
    (tmp_path / "extras.yaml").write_text("tools: []\n", encoding="utf-8")

    with pytest.raises(ManifestError):
        load_manifest(tmp_path)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ManifestError):
        load_manifest(tmp_path / "absent")
