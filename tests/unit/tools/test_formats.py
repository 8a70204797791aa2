"""The argument formats of tools.md §1.2, one table of cases per normaliser."""

import pytest

from artbattle_ops.tools.formats import (
    EXAMPLE_UUID,
    FormatError,
    escape_like,
    is_art_code,
    name_words,
    normalize_art_ref,
    normalize_currency,
    normalize_date,
    normalize_eid,
    normalize_email,
    normalize_format,
    normalize_uuid,
    phone_key,
)

UUID = "0b7e9d2c-4f1a-4c3e-9a5b-6d8e7f901234"


@pytest.mark.parametrize(
    "raw",
    ["AB4001", "ab4001", "ab-4001", "AB_4001", "ab_4001", "AB 4001", " 4001 ", "4001", "a b-4001"],
)
def test_eid_spellings_normalise_to_the_canonical_code(raw: str) -> None:
    assert normalize_eid(raw) == "AB4001"


def test_eid_with_a_long_number_keeps_every_digit() -> None:
    assert normalize_eid("ab-1234567") == "AB1234567"


MALFORMED_EIDS = {
    "two-digits": "AB12",
    "bare-two-digits": "12",
    "empty": "",
    "prefix-only": "AB",
    "two-dashes": "AB--4001",
    "dash-and-underscore": "AB-_4001",
    "other-prefix": "XY4001",
    "suffix": "AB4001X",
    "letter-o": "AB40O1",
    "arabic-digits": "AB٤٠٠١",
    "dash-before-digits": "-4001",
}


@pytest.mark.parametrize("raw", MALFORMED_EIDS.values(), ids=MALFORMED_EIDS.keys())
def test_malformed_eid_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        normalize_eid(raw)


def test_malformed_eid_message_is_the_one_users_see() -> None:
    with pytest.raises(FormatError) as caught:
        normalize_eid("AB12")

    assert caught.value.message == "eid must look like AB4001 (AB followed by digits)."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (UUID, UUID),
        (UUID.upper(), UUID),
        (f"  {UUID}\n", UUID),
        ("00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"),
    ],
    ids=["lower", "upper", "padded", "nil"],
)
def test_canonical_uuid_is_lower_cased(raw: str, expected: str) -> None:
    assert normalize_uuid(raw, "person_id") == expected


MALFORMED_UUIDS = {
    "braces": f"{{{UUID}}}",
    "urn": f"urn:uuid:{UUID}",
    "no-hyphens": UUID.replace("-", ""),
    "number": "310245",
    "short": UUID[:-1],
    "long": UUID + "0",
    "non-hex": UUID.replace("a", "g"),
    "underscores": UUID.replace("-", "_"),
    "empty": "",
}


@pytest.mark.parametrize("raw", MALFORMED_UUIDS.values(), ids=MALFORMED_UUIDS.keys())
def test_non_canonical_uuid_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        normalize_uuid(raw, "person_id")


def test_uuid_message_names_the_argument_an_example_and_the_lookup_tool() -> None:
    with pytest.raises(FormatError) as caught:
        normalize_uuid("310245", "artist_profile_id", "lookup_artist_profile")

    assert caught.value.message == (
        f"artist_profile_id must be a uuid such as {EXAMPLE_UUID}. "
        "Use lookup_artist_profile to find the artist_profile_id."
    )


def test_uuid_hint_names_the_lookup_tool() -> None:
    with pytest.raises(FormatError) as caught:
        normalize_uuid("x", "person_id", "lookup_person")

    assert caught.value.hint == "Use lookup_person to find the person_id."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AB4001-1-3", "AB4001-1-3"),
        (" ab4001-2-12 ", "AB4001-2-12"),
        (UUID.upper(), UUID),
    ],
    ids=["code", "lower-case-code", "uuid"],
)
def test_art_reference_is_a_uuid_or_an_upper_cased_art_code(raw: str, expected: str) -> None:
    assert normalize_art_ref(raw) == expected


@pytest.mark.parametrize("raw", ["AB4001", "AB4001-1", "AB12-1-3", "4001-1-3", "AB4001-1-x", ""])
def test_malformed_art_reference_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        normalize_art_ref(raw)


def test_art_reference_message_names_the_lookup_tool() -> None:
    with pytest.raises(FormatError) as caught:
        normalize_art_ref("AB4001")

    assert caught.value.hint == "Use lookup_artwork_bids to find the art_id or art_code."


def test_art_code_is_told_apart_from_a_uuid() -> None:
    assert (is_art_code("AB4001-1-3"), is_art_code(UUID)) == (True, False)


PHONE_KEYS = {
    "nanp-formatted": ("+1 (416) 555-0199", "14165550199"),
    "nanp-bare-10-digits": ("4165550199", "14165550199"),
    "nanp-dots": ("416.555.0199", "14165550199"),
    "nanp-with-country-code": ("1-416-555-0199", "14165550199"),
    "e164": ("+14165550199", "14165550199"),
    "uk-with-00": ("0044 20 7946 0958", "442079460958"),
    "uk-with-plus": ("+44 20 7946 0958", "442079460958"),
    "nanp-with-00": ("00 1 416 555 0199", "14165550199"),
    "plus-and-10-digits": ("+1234567890", "1234567890"),
    "00-and-8-digits": ("0012345678", "12345678"),
    "eight-digits": ("12345678", "12345678"),
    "fifteen-digits": ("123456789012345", "123456789012345"),
    "padded": ("  +66 81 234 5678 ", "66812345678"),
}


@pytest.mark.parametrize(("raw", "key"), PHONE_KEYS.values(), ids=PHONE_KEYS.keys())
def test_phone_key_follows_the_four_steps(raw: str, key: str) -> None:
    assert phone_key(raw) == key


MALFORMED_PHONES = {
    "seven-digits": "1234567",
    "seven-digits-with-plus": "+1 234 567",
    "sixteen-digits": "1234567890123456",
    "too-long-formatted": "+44 20 7946 0958 1234",
    "empty": "",
    "no-digits": "phone",
    "arabic-digits": "٤١٦٥٥٥٠١٩٩",
}


@pytest.mark.parametrize("raw", MALFORMED_PHONES.values(), ids=MALFORMED_PHONES.keys())
def test_phone_with_too_few_or_too_many_digits_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        phone_key(raw)


def test_phone_message_is_the_one_users_see() -> None:
    with pytest.raises(FormatError) as caught:
        phone_key("555-0199")

    assert caught.value.message == (
        "phone must contain 8 to 15 digits, ideally in international form such as +14165550123."
    )


@pytest.mark.parametrize(
    ("raw", "allow_fragment", "expected"),
    [
        (" Jane.Doe@Example.COM ", False, "jane.doe@example.com"),
        ("Jane.Doe@Example.COM", True, "jane.doe@example.com"),
        (" Example.com ", True, "example.com"),
        ("DOE", True, "doe"),
    ],
    ids=["address", "address-where-fragments-allowed", "domain-fragment", "name-fragment"],
)
def test_email_is_trimmed_and_lower_cased(raw: str, allow_fragment: bool, expected: str) -> None:
    assert normalize_email(raw, "recipient", allow_fragment=allow_fragment) == expected


@pytest.mark.parametrize(
    ("raw", "allow_fragment"),
    [
        ("example.com", False),
        ("jane@", False),
        ("@example.com", True),
        ("jane@doe@example.com", True),
        ("jane doe@example.com", True),
        ("", True),
    ],
    ids=["fragment-not-allowed", "no-domain", "no-local-part", "two-ats", "space", "empty"],
)
def test_malformed_email_is_refused(raw: str, allow_fragment: bool) -> None:
    with pytest.raises(FormatError):
        normalize_email(raw, "recipient", allow_fragment=allow_fragment)


@pytest.mark.parametrize(("raw", "expected"), [("CAD", "CAD"), (" usd ", "USD"), ("Eur", "EUR")])
def test_currency_is_trimmed_and_upper_cased(raw: str, expected: str) -> None:
    assert normalize_currency(raw) == expected


@pytest.mark.parametrize("raw", ["CA", "CADD", "C4D", "", "$", "ÉUR"])
def test_currency_that_is_not_three_letters_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        normalize_currency(raw)


def test_calendar_date_is_accepted() -> None:
    assert normalize_date(" 2028-02-29 ", "on_date") == "2028-02-29"


@pytest.mark.parametrize("raw", ["2026-02-30", "20260328", "2026-3-28", "28/03/2026", "today", ""])
def test_date_that_is_not_a_calendar_date_in_iso_form_is_refused(raw: str) -> None:
    with pytest.raises(FormatError):
        normalize_date(raw, "on_date")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("100%", "100\\%"),
        ("a_b", "a\\_b"),
        ("back\\slash", "back\\\\slash"),
        ("%_\\", "\\%\\_\\\\"),
    ],
    ids=["plain", "percent", "underscore", "backslash", "all-three"],
)
def test_like_escaping_makes_wildcards_literal(text: str, escaped: str) -> None:
    assert escape_like(text) == escaped


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("doe jane", ["doe", "jane"]),
        ("  Jane   Doe ", ["Jane", "Doe"]),
        ("jane jane", ["jane"]),
        ("50%_off", ["50\\%\\_off"]),
        ("   ", []),
    ],
    ids=["two-words", "extra-spaces", "repeated-word", "wildcards", "blank"],
)
def test_name_query_splits_into_escaped_words(query: str, words: list[str]) -> None:
    assert name_words(query) == words


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"format": "eid"}, "AB4001"),
        ({"format": "search"}, "ab-4001"),
        ({"type": "string"}, "ab-4001"),
    ],
    ids=["eid", "search", "no-format"],
)
def test_schema_format_picks_the_normaliser(schema: dict[str, str], expected: str) -> None:
    assert normalize_format("ab-4001", "eid", schema) == expected


def test_uuid_format_takes_its_hint_from_the_schema() -> None:
    schema = {"format": "uuid", "x-lookup-tool": "lookup_person"}

    with pytest.raises(FormatError) as caught:
        normalize_format("x", "attendee_id", schema)

    assert caught.value.hint == "Use lookup_person to find the attendee_id."
