"""Argument validation (tools.md §1.2): general rules, formats, combinations, collected problems."""

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.tools.arguments import ArgumentProblemsError, validate_arguments
from artbattle_ops.tools.errors import InvalidArgumentsError

UUID = "0b7e9d2c-4f1a-4c3e-9a5b-6d8e7f901234"


def _schema(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": list(required),
    }


EID = {"type": "string", "format": "eid", "maxLength": 32}
PROFILE_ID = {"type": "string", "format": "uuid", "x-lookup-tool": "lookup_artist_profile"}
LIMIT = {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}

LOOKUP_EVENT = _schema(
    {
        "eid": EID,
        "city": {"type": "string", "minLength": 2, "maxLength": 100, "format": "search"},
        "on_date": {"type": "string", "format": "date"},
        "past_days": {"type": "integer", "minimum": 0, "maximum": 365, "default": 30},
        "limit": {"type": "integer", "minimum": 1, "maximum": 25, "default": 10},
    }
)
GET_BID_HISTORY = _schema(
    {"eid": EID, "art_id": {"type": "string", "format": "art_ref"}, "limit": LIMIT}, ("eid",)
)
GET_ARTIST_INVITATIONS = _schema(
    {
        "eid": EID,
        "artist_profile_id": PROFILE_ID,
        "status": {
            "type": "string",
            "enum": ["pending", "accepted", "declined", "withdrawn", "expired"],
        },
        "limit": {**LIMIT, "default": 100},
    }
)
GET_EVENTBRITE_MAPPING = _schema(
    {
        "eid": EID,
        "days_ahead": {"type": "integer", "minimum": 1, "maximum": 365, "default": 60},
        "only_missing": {"type": "boolean", "default": False},
    }
)
PROCESS_ARTIST_PAYMENT = _schema(
    {
        "eid": EID,
        "artist_profile_id": PROFILE_ID,
        "amount": {"type": "number", "minimum": 0.01, "maximum": 10000, "multipleOf": 0.01},
        "currency": {"type": "string", "format": "currency"},
        "description": {"type": "string", "maxLength": 200},
    },
    ("eid", "artist_profile_id", "amount", "currency"),
)
GET_EXCHANGE_RATES = _schema(
    {
        "base_currency": {"type": "string", "format": "currency"},
        "target_currency": {"type": "string", "format": "currency"},
        "amount": {"type": "number", "minimum": 0, "maximum": 10_000_000},
    }
)
UPDATE_ARTIST_BIO = _schema(
    {"artist_profile_id": PROFILE_ID, "new_bio": {"type": "string", "maxLength": 2000}},
    ("artist_profile_id", "new_bio"),
)
GET_SMS_CONVERSATION = _schema(
    {"phone": {"type": "string", "format": "phone"}, "limit": {**LIMIT, "maximum": 100}},
    ("phone",),
)
GET_EMAIL_LOG = _schema(
    {
        "recipient": {
            "type": "string",
            "format": "email",
            "x-allow-fragment": True,
            "minLength": 3,
            "maxLength": 200,
        },
        "eid": EID,
        "status": {"type": "string", "enum": ["sent", "failed"]},
        "hours_back": {"type": "integer", "minimum": 1, "maximum": 720},
    }
)
REFRESH_VOTE_WEIGHTS = _schema({"reason": {"type": "string", "maxLength": 200}})
EITHER_EID_OR_PROFILE = [["eid", "artist_profile_id"]]


def _problems(
    schema: dict[str, Any], raw: Any, **combinations: list[list[str]]
) -> ArgumentProblemsError:
    with pytest.raises(ArgumentProblemsError) as caught:
        validate_arguments("tool_under_test", schema, raw, **combinations)
    return caught.value


def _rules(
    schema: dict[str, Any], raw: Any, **combinations: list[list[str]]
) -> list[dict[str, str]]:
    return _problems(schema, raw, **combinations).errors


# General rules -------------------------------------------------------------------------------


def test_valid_arguments_come_back_normalised_with_defaults() -> None:
    result = validate_arguments("get_bid_history", GET_BID_HISTORY, {"eid": " ab-4001 "})

    assert result == {"eid": "AB4001", "limit": 50}


def test_arguments_may_arrive_as_json_text() -> None:
    result = validate_arguments("get_bid_history", GET_BID_HISTORY, '{"eid": "AB4001"}')

    assert result == {"eid": "AB4001", "limit": 50}


def test_missing_arguments_object_means_no_arguments() -> None:
    result = validate_arguments("get_eventbrite_mapping", GET_EVENTBRITE_MAPPING, None)

    assert result == {"days_ahead": 60, "only_missing": False}


WRONG_TYPES = {
    "string-for-integer": ("limit", "3"),
    "boolean-for-integer": ("limit", True),
    "fraction-for-integer": ("limit", 3.5),
    "list-for-integer": ("limit", [3]),
    "string-for-boolean": ("only_missing", "true"),
    "integer-for-boolean": ("only_missing", 1),
    "number-for-eid": ("eid", 4001),
    "infinity": ("days_ahead", float("inf")),
    "nan": ("days_ahead", float("nan")),
}


@pytest.mark.parametrize(("argument", "value"), WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_types_are_strict(argument: str, value: Any) -> None:
    schema = _schema({**GET_EVENTBRITE_MAPPING["properties"], "limit": LIMIT})

    errors = _rules(schema, {argument: value})

    assert errors == [{"path": argument, "rule": "type"}]


def test_integral_number_is_accepted_as_an_integer() -> None:
    result = validate_arguments("get_bid_history", GET_BID_HISTORY, {"eid": "AB4001", "limit": 5.0})

    assert (result["limit"], type(result["limit"])) == (5, int)


def test_type_message_says_what_is_expected() -> None:
    error = _problems(GET_EVENTBRITE_MAPPING, {"only_missing": "true"})

    assert error.message == "only_missing must be true or false."


def test_strings_are_trimmed() -> None:
    result = validate_arguments("refresh_vote_weights", REFRESH_VOTE_WEIGHTS, {"reason": "  x \n"})

    assert result == {"reason": "x"}


@pytest.mark.parametrize("empty", ["", "   ", None], ids=["empty", "blank", "null"])
def test_empty_optional_argument_counts_as_absent(empty: str | None) -> None:
    raw = {"eid": "AB4001", "limit": empty}

    result = validate_arguments("get_bid_history", GET_BID_HISTORY, raw)

    assert result == {"eid": "AB4001", "limit": 50}


@pytest.mark.parametrize("empty", ["", "  ", None], ids=["empty", "blank", "null"])
def test_empty_required_argument_is_missing(empty: str | None) -> None:
    errors = _rules(GET_BID_HISTORY, {"eid": empty})

    assert errors == [{"path": "eid", "rule": "required"}]


def test_missing_required_argument_message_names_it() -> None:
    error = _problems(GET_BID_HISTORY, {})

    assert (error.message, error.argument) == ("eid is required.", "eid")


def test_blank_bio_is_a_value_that_clears_the_bio() -> None:
    raw = {"artist_profile_id": UUID, "new_bio": " \r\n "}

    result = validate_arguments("update_artist_bio", UPDATE_ARTIST_BIO, raw)

    assert result["new_bio"] == ""


def test_bio_length_counts_line_breaks_once() -> None:
    raw = {"artist_profile_id": UUID, "new_bio": "ab\r\n" * 500 + "x"}

    result = validate_arguments("update_artist_bio", UPDATE_ARTIST_BIO, raw)

    assert len(result["new_bio"]) == 1501


def test_over_long_bio_message_gives_its_length_and_the_limit() -> None:
    raw = {"artist_profile_id": UUID, "new_bio": "é" * 2314}

    error = _problems(UPDATE_ARTIST_BIO, raw)

    assert error.message == "new_bio is 2314 characters; the limit is 2000."


def test_enum_is_matched_after_lower_casing() -> None:
    raw = {"eid": "AB4001", "status": " Pending "}

    result = validate_arguments("get_artist_invitations", GET_ARTIST_INVITATIONS, raw)

    assert result["status"] == "pending"


def test_unknown_enum_value_lists_the_choices() -> None:
    error = _problems(GET_EMAIL_LOG, {"status": "bounced"})

    assert error.message == "status must be one of sent, failed."


@pytest.mark.parametrize(
    ("limit", "rule"), [(0, "minimum"), (201, "maximum"), (10**400, "maximum")], ids=str
)
def test_out_of_range_integer_is_refused_not_clamped(limit: int, rule: str) -> None:
    errors = _rules(GET_BID_HISTORY, {"eid": "AB4001", "limit": limit})

    assert errors == [{"path": "limit", "rule": rule}]


def test_range_message_gives_both_bounds() -> None:
    error = _problems(GET_BID_HISTORY, {"eid": "AB4001", "limit": 500})

    assert error.message == "limit must be between 1 and 200."


@pytest.mark.parametrize("amount", [0.29, 12.3, 10000, 0.01], ids=str)
def test_amount_with_at_most_two_decimals_is_accepted(amount: float) -> None:
    raw = {"eid": "AB4001", "artist_profile_id": UUID, "amount": amount, "currency": "cad"}

    result = validate_arguments("process_artist_payment", PROCESS_ARTIST_PAYMENT, raw)

    assert (result["amount"], result["currency"]) == (amount, "CAD")


def test_amount_with_three_decimals_is_refused() -> None:
    raw = {"eid": "AB4001", "artist_profile_id": UUID, "amount": 12.345, "currency": "CAD"}

    error = _problems(PROCESS_ARTIST_PAYMENT, raw)

    assert error.message == "amount must be a number with at most 2 decimal places."


def test_defaults_are_fresh_copies() -> None:
    schema = _schema({"tags": {"type": "array", "default": []}})

    validate_arguments("t", schema, {})["tags"].append("changed")

    assert validate_arguments("t", schema, {}) == {"tags": []}


def test_unknown_argument_is_refused_and_the_known_ones_listed() -> None:
    error = _problems(REFRESH_VOTE_WEIGHTS, {"eid": "AB4001"})

    assert error.message == "eid is not an argument of tool_under_test (it takes: reason)."


def test_unknown_argument_is_recorded_by_name() -> None:
    errors = _rules(REFRESH_VOTE_WEIGHTS, {"eid": "AB4001"})

    assert errors == [{"path": "eid", "rule": "unknown"}]


# Formats -------------------------------------------------------------------------------------


def test_malformed_eid_gives_the_message_users_rely_on() -> None:
    error = _problems(GET_BID_HISTORY, {"eid": "AB12"})

    assert error.message == "eid must look like AB4001 (AB followed by digits)."


def test_uuid_error_carries_the_lookup_hint() -> None:
    error = _problems(GET_ARTIST_INVITATIONS, {"artist_profile_id": "310245"})

    assert error.hint == "Use lookup_artist_profile to find the artist_profile_id."


def test_uuid_without_a_lookup_tool_in_the_schema_uses_the_known_one() -> None:
    schema = _schema({"person_id": {"type": "string", "format": "uuid"}})

    error = _problems(schema, {"person_id": "{" + UUID + "}"})

    assert error.hint == "Use lookup_person to find the person_id."


def test_art_code_is_upper_cased() -> None:
    raw = {"eid": "AB4001", "art_id": "ab4001-1-3"}

    result = validate_arguments("get_bid_history", GET_BID_HISTORY, raw)

    assert result["art_id"] == "AB4001-1-3"


def test_phone_argument_becomes_its_phone_key() -> None:
    raw = {"phone": "+1 (416) 555-0199"}

    result = validate_arguments("get_sms_conversation", GET_SMS_CONVERSATION, raw)

    assert result == {"phone": "14165550199", "limit": 50}


def test_short_phone_gives_the_message_users_rely_on() -> None:
    error = _problems(GET_SMS_CONVERSATION, {"phone": "555-0199"})

    assert error.message == (
        "phone must contain 8 to 15 digits, ideally in international form such as +14165550123."
    )


def test_email_fragment_is_accepted_where_the_tool_allows_one() -> None:
    result = validate_arguments("get_email_log", GET_EMAIL_LOG, {"recipient": " Example.COM"})

    assert result == {"recipient": "example.com"}


def test_date_argument_must_be_a_calendar_date() -> None:
    errors = _rules(LOOKUP_EVENT, {"on_date": "2026-02-30"})

    assert errors == [{"path": "on_date", "rule": "format:date"}]


def test_search_text_is_kept_literal_for_escaping_at_the_query() -> None:
    result = validate_arguments("lookup_event", LOOKUP_EVENT, {"city": " 100%_\\ "})

    assert result["city"] == "100%_\\"


# Combinations --------------------------------------------------------------------------------


def test_either_or_requirement_gives_the_spec_message() -> None:
    error = _problems(
        GET_ARTIST_INVITATIONS,
        {"status": "pending"},
        requires_one_of=[["eid", "artist_profile_id"]],
    )

    assert error.message == "Provide eid or artist_profile_id."


def test_either_or_lists_three_arguments_plainly() -> None:
    error = _problems(LOOKUP_EVENT, {}, requires_one_of=[["eid", "city", "on_date"]])

    assert error.message == "Provide eid, city or on_date."


def test_either_or_is_met_by_either_argument() -> None:
    result = validate_arguments(
        "get_artist_invitations",
        GET_ARTIST_INVITATIONS,
        {"artist_profile_id": UUID.upper()},
        requires_one_of=EITHER_EID_OR_PROFILE,
    )

    assert result == {"artist_profile_id": UUID, "limit": 100}


def test_empty_string_does_not_meet_an_either_or_requirement() -> None:
    errors = _rules(GET_ARTIST_INVITATIONS, {"eid": " "}, requires_one_of=EITHER_EID_OR_PROFILE)

    assert errors == [{"path": "eid", "rule": "requires_one_of"}]


def test_exclusive_arguments_are_refused_together() -> None:
    raw = {"base_currency": "CAD", "target_currency": "USD"}

    error = _problems(
        GET_EXCHANGE_RATES, raw, mutually_exclusive=[["base_currency", "target_currency"]]
    )

    assert error.message == "Give base_currency or target_currency, not both."


# Collected problems --------------------------------------------------------------------------


def test_every_problem_is_collected_in_argument_order() -> None:
    raw = {"limit": 0, "bogus": 1, "status": "lost", "eid": "AB1", "artist_profile_id": "x"}

    errors = _rules(GET_ARTIST_INVITATIONS, raw)

    assert errors == [
        {"path": "bogus", "rule": "unknown"},
        {"path": "eid", "rule": "format:eid"},
        {"path": "artist_profile_id", "rule": "format:uuid"},
        {"path": "status", "rule": "enum"},
        {"path": "limit", "rule": "minimum"},
    ]


def test_details_hold_one_message_per_problem() -> None:
    error = _problems(GET_ARTIST_INVITATIONS, {"eid": "AB1", "limit": 0})

    assert error.details == [
        "eid must look like AB4001 (AB followed by digits).",
        "limit must be between 1 and 200.",
    ]


def test_message_names_the_first_problem_and_counts_the_others() -> None:
    error = _problems(GET_ARTIST_INVITATIONS, {"eid": "AB1", "limit": 0, "status": "x"})

    assert error.message == (
        "eid must look like AB4001 (AB followed by digits). 2 more problems in details."
    )


def test_problems_are_an_invalid_arguments_error_envelope() -> None:
    error = _problems(GET_BID_HISTORY, {"eid": "AB1"})
    envelope = error.to_error()

    assert isinstance(error, InvalidArgumentsError)
    assert (envelope["code"], envelope["argument"]) == ("invalid_arguments", "eid")


def test_audit_errors_never_hold_the_offending_value() -> None:
    secret = "+1 416 555 0199 call me"

    errors = _rules(GET_BID_HISTORY, {"eid": secret, "art_id": secret, "limit": secret})

    assert secret not in json.dumps(errors)


NOT_OBJECTS = {
    "list": ([], "not_object"),
    "number": (42, "not_object"),
    "json-list": ('["eid"]', "not_object"),
    "broken-json": ("{eid:", "invalid_json"),
    "json-nan": ('{"limit": NaN}', "invalid_json"),
    "bad-utf8": (b"\xff", "invalid_json"),
    "deeply-nested-json": ("[" * 100_000, "invalid_json"),
}


@pytest.mark.parametrize(("raw", "rule"), NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
def test_arguments_that_are_not_an_object_are_refused(raw: Any, rule: str) -> None:
    errors = _rules(GET_BID_HISTORY, raw)

    assert errors == [{"path": "", "rule": rule}]


def test_object_level_message_names_the_arguments_object() -> None:
    error = _problems(GET_BID_HISTORY, [])

    assert (error.message, error.argument) == ("arguments must be a JSON object.", None)


# Property: any JSON value validates or fails as invalid_arguments ----------------------------

SCHEMAS = [
    (LOOKUP_EVENT, {"requires_one_of": [["eid", "city", "on_date"]]}),
    (GET_BID_HISTORY, {}),
    (GET_ARTIST_INVITATIONS, {"requires_one_of": EITHER_EID_OR_PROFILE}),
    (PROCESS_ARTIST_PAYMENT, {}),
    (GET_EXCHANGE_RATES, {"mutually_exclusive": [["base_currency", "target_currency"]]}),
    (UPDATE_ARTIST_BIO, {}),
    (GET_SMS_CONVERSATION, {}),
    (GET_EMAIL_LOG, {}),
    (REFRESH_VOTE_WEIGHTS, {}),
]
NAMES = sorted({name for schema, _ in SCHEMAS for name in schema["properties"]})
INTERESTING_TEXT = st.sampled_from(
    [
        *("", " ", "\r\n", "true", "3", "NaN", "Pending", "SENT", "100%_\\"),
        *("AB4001", "ab-4001", "4001", "AB12", "AB4001-1-3", UUID, UUID.upper()),
        *("+1 (416) 555-0199", "0044 20 7946 0958", "jane@example.com", "example.com"),
        *("cad", "2026-03-28", "2026-02-30"),
    ]
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | INTERESTING_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(NAMES) | st.text(max_size=60)
RAW_ARGUMENTS = (
    st.dictionaries(KEYS, JSON_VALUES, max_size=6)
    | JSON_VALUES
    | st.dictionaries(KEYS, JSON_VALUES, max_size=6).map(json.dumps)
    | st.text(max_size=40)
)


OBJECT_LEVEL_RULES = {"not_object", "invalid_json"}


def _names_its_argument(problem: dict[str, str], detail: str, schema: dict[str, Any]) -> bool:
    """The detail names the problem's argument (known or not), or the arguments object itself."""
    if problem["rule"] in OBJECT_LEVEL_RULES:
        return problem["path"] == "" and detail.startswith("arguments ")
    is_known = problem["path"] in schema["properties"] or problem["rule"] == "unknown"
    return is_known and problem["path"] in detail


@settings(max_examples=300)
@given(case=st.sampled_from(SCHEMAS), raw=RAW_ARGUMENTS)
def test_any_json_value_validates_or_fails_naming_an_argument(
    case: tuple[dict[str, Any], dict[str, list[list[str]]]], raw: Any
) -> None:
    schema, combinations = case

    try:
        result = validate_arguments("tool_under_test", schema, raw, **combinations)
    except ArgumentProblemsError as error:
        problems = list(zip(error.errors, error.details, strict=True))
        assert problems
        assert all(_names_its_argument(problem, detail, schema) for problem, detail in problems)
    else:
        assert set(result) <= set(schema["properties"])
