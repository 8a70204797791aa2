"""`arguments_preview` keeps only allow-listed keys with safe values (observability.md §6.3)."""

from typing import Any

import pytest

from artbattle_ops.observability.preview import (
    PREVIEW_KEYS,
    argument_keys,
    arguments_preview,
)
from artbattle_ops.observability.scrubber import Scrubber

SCRUBBER = Scrubber([])

SPECIFIED_KEYS = {
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
NEVER_PREVIEWED = [
    "query",
    "phone",
    "email",
    "name",
    "new_name",
    "new_bio",
    "new_country",
    "message_from_producer",
    "artist_profile_id",
    "person_id",
    "art_id",
    "amount",
    "recipient",
    "user_id",
    "anything_else",
]


def test_allow_list_is_exactly_the_specified_keys() -> None:
    assert PREVIEW_KEYS == SPECIFIED_KEYS


@pytest.mark.parametrize("key", NEVER_PREVIEWED)
def test_never_previewed_key_is_absent(key: str) -> None:
    assert arguments_preview({key: "AB4001"}, SCRUBBER) == {}


def test_specified_example_keeps_eid_and_round() -> None:
    preview = arguments_preview({"eid": "AB4001", "round": 2}, SCRUBBER)

    assert preview == {"eid": "AB4001", "round": 2}


def test_phone_lookup_has_an_empty_preview_and_its_key_listed() -> None:
    arguments = {"phone": "+14165550134"}

    assert (arguments_preview(arguments, SCRUBBER), argument_keys(arguments)) == ({}, ["phone"])


VALUE_CASES: list[tuple[str, Any, Any]] = [
    ("integer", 24, 24),
    ("float", 2.5, 2.5),
    ("boolean", True, True),
    ("null", None, None),
    ("pattern string", "AB4001", "AB4001"),
    ("string with a space", "AB4001 Toronto", "[redacted]"),
    ("string with an at sign", "bob@example.com", "[redacted]"),
    ("string too long", "a" * 65, "[redacted]"),
    ("empty string", "", "[redacted]"),
    ("trailing newline", "AB4001\n", "[redacted]"),
    ("phone-shaped string is scrubbed", "4165550134", "***34"),
    ("array", ["AB4001"], "[omitted]"),
    ("object", {"a": 1}, "[omitted]"),
    ("nan", float("nan"), "[redacted]"),
]


@pytest.mark.parametrize(
    ("value", "expected"), [c[1:] for c in VALUE_CASES], ids=[c[0] for c in VALUE_CASES]
)
def test_preview_value_rules(value: Any, expected: Any) -> None:
    assert arguments_preview({"status": value}, SCRUBBER) == {"status": expected}


@pytest.mark.parametrize(
    ("arguments", "keys"),
    [
        ({"b": 1, "a": 2}, ["a", "b"]),
        ('{"eid": "AB4001", "limit": 5}', ["eid", "limit"]),
        ("{not json", []),
        ("[1, 2]", []),
    ],
    ids=["mapping", "json text", "unparsable", "not an object"],
)
def test_argument_keys_are_sorted_top_level_names(arguments: Any, keys: list[str]) -> None:
    assert argument_keys(arguments) == keys
