"""`arguments_hash` and `canonical_json` (observability.md §6.2)."""

import hashlib
import hmac
import math
from typing import Any

import pytest

from artbattle_ops.config.settings import DEV_ARGUMENTS_HASH_KEY
from artbattle_ops.observability.hashing import (
    CONFIRM_ARGS_LABEL,
    CONFIRM_STATE_LABEL,
    arguments_hash,
    canonical_json,
)

KEY = DEV_ARGUMENTS_HASH_KEY.encode()


def _expected(label: bytes, tool: bytes, document: bytes, key: bytes = KEY) -> str:
    digest = hmac.new(key, label + b"\x00" + tool + b"\x00" + document, hashlib.sha256)
    return "k1:" + digest.hexdigest()


def test_known_answer_vector_matches_hmac_over_the_specified_bytes() -> None:
    arguments = {"round": 2.0, "eid": "AB4001"}

    hashed = arguments_hash(KEY, "k1", "get_vote_data", arguments)

    assert hashed == _expected(b"esbmcp.args.v1", b"get_vote_data", b'{"eid":"AB4001","round":2}')
    assert hashed == "k1:7f8fb642da024075cd679181f186733f4b53d3ed8c4265960cedbfeda376e6d5"


def test_hash_of_a_json_string_equals_the_hash_of_the_parsed_object() -> None:
    from_text = arguments_hash(KEY, "k1", "get_vote_data", '{ "round": 2, "eid": "AB4001" }')

    assert from_text == arguments_hash(KEY, "k1", "get_vote_data", {"eid": "AB4001", "round": 2})


@pytest.mark.parametrize("raw", ["{not json", '{"x": NaN}', ""], ids=["broken", "nan", "empty"])
def test_unparsable_argument_string_hashes_as_the_empty_object(raw: str) -> None:
    hashed = arguments_hash(KEY, "k1", "lookup_event", raw)

    assert hashed == _expected(b"esbmcp.args.v1", b"lookup_event", b"{}")


@pytest.mark.parametrize(
    ("label", "expected_label"),
    [
        (CONFIRM_ARGS_LABEL, b"esbmcp.confirm.args.v1"),
        (CONFIRM_STATE_LABEL, b"esbmcp.confirm.state.v1"),
    ],
    ids=["confirm-args", "confirm-state"],
)
def test_confirmation_labels_key_the_hash_separately(label: str, expected_label: bytes) -> None:
    hashed = arguments_hash(KEY, "k1", "update_artist", {"id": 1}, label=label)

    assert hashed == _expected(expected_label, b"update_artist", b'{"id":1}')


def test_hash_carries_the_key_id() -> None:
    assert arguments_hash(b"k" * 32, "k7", "t", {}).startswith("k7:")


def test_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="label"):
        arguments_hash(KEY, "k1", "t", {}, label="esbmcp.args.v2")


CANONICAL_CASES: list[tuple[str, Any, str]] = [
    ("sorted keys", {"b": 1, "a": 2}, '{"a":2,"b":1}'),
    ("code point order", {"é": 1, "z": 2, "Z": 3}, '{"Z":3,"z":2,"é":1}'),
    ("nested", {"a": [3, {"d": None, "c": True}]}, '{"a":[3,{"c":true,"d":null}]}'),
    ("array order kept", [3, 1, 2], "[3,1,2]"),
    ("integral float", 50.0, "50"),
    ("negative zero", -0.0, "0"),
    ("fraction", 0.1, "0.1"),
    ("shortest round trip", 1 / 3, "0.3333333333333333"),
    ("big integer", 12345678901234567890, "12345678901234567890"),
    ("literal non-ascii", "Montréal €", '"Montréal €"'),
    ("minimal escapes", 'a"b\\c\n\x01', '"a\\"b\\\\c\\n\\u0001"'),
    ("slash not escaped", "a/b", '"a/b"'),
    ("literals", [True, False, None], "[true,false,null]"),
]


@pytest.mark.parametrize(
    ("value", "expected"), [c[1:] for c in CANONICAL_CASES], ids=[c[0] for c in CANONICAL_CASES]
)
def test_canonical_json_form(value: Any, expected: str) -> None:
    assert canonical_json(value) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_canonical_json_rejects_non_finite_numbers(value: float) -> None:
    with pytest.raises(ValueError, match="NaN"):
        canonical_json({"x": value})


def test_canonical_json_rejects_non_string_keys() -> None:
    with pytest.raises(TypeError):
        canonical_json({1: "a"})
