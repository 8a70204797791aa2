"""The storage scrubber: the §6.1 table of cases and properties over generated PII and secrets."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from artbattle_ops.observability.scrubber import Scrubber, is_luhn_valid

KNOWN_SECRET = "s3cr3t-gateway-token-value"
SCRUBBER = Scrubber([KNOWN_SECRET, "", None, "short"])

CASES = [
    # Left alone: dates, times, ids and codes that merely look numeric.
    ("iso date", "event on 2024-05-01 at 19:30", "event on 2024-05-01 at 19:30"),
    ("timestamp", "at 2024-05-01 12:30:45.123+00", "at 2024-05-01 12:30:45.123+00"),
    ("iso datetime", "at 2024-05-01T12:30:45Z", "at 2024-05-01T12:30:45Z"),
    ("eventbrite id", "eventbrite 1234567890123", "eventbrite 1234567890123"),
    ("luhn-valid 13-digit id", "eventbrite 4222222222222", "eventbrite 4222222222222"),
    ("long digit run", "order 123456789012345678901", "order 123456789012345678901"),
    (
        "uuid",
        "art 12345678-1234-1234-1234-123456789012",
        "art 12345678-1234-1234-1234-123456789012",
    ),
    ("eid", "event AB4001 and AB10000", "event AB4001 and AB10000"),
    ("art code", "art AB4001-1-3", "art AB4001-1-3"),
    ("ipv4", "from 192.168.100.200", "from 192.168.100.200"),
    ("small numbers", "ranks 12 3 4 5 6 7 8 9 10 11", "ranks 12 3 4 5 6 7 8 9 10 11"),
    ("token counts", "total_tokens: 1234", "total_tokens: 1234"),
    ("arguments hash", "k1:9f2c1234567890ab", "k1:9f2c1234567890ab"),
    # Known secrets and secret shapes.
    ("known secret", f"token was {KNOWN_SECRET}!", "token was [secret]!"),
    ("short configured value", "a short word", "a short word"),
    ("slack bot token", "used xoxb-1234-5678-abcDEF", "used [secret]"),
    ("slack app token", "used xapp-1-A01-234-abc", "used [secret]"),
    ("openai key", "key sk-proj-abcdefghijklmnopqrstu", "key [secret]"),
    ("stripe secret key", "key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "key [secret]"),
    ("stripe restricted key", "key rk_test_abc123XYZ", "key [secret]"),
    ("stripe webhook secret", "whsec_abcDEF123", "[secret]"),
    (
        "jwt",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-123 end",
        "jwt [secret] end",
    ),
    ("bearer token", "Authorization: Bearer abcdef123456", "Authorization: Bearer [secret]"),
    (
        "url password",
        "postgresql://app:p4ss/w0rd@db.example.com:5432/db",
        "postgresql://app:[secret]@db.example.com:5432/db",
    ),
    ("password pair", "password=hunter2 retry", "password=[secret] retry"),
    ("api key pair", 'api_key="xyz123"', 'api_key="[secret]"'),
    ("json secret", '{"client_secret": "abc", "x": 1}', '{"client_secret": "[secret]", "x": 1}'),
    # Cards, before phones.
    ("card spaced", "card 4111 1111 1111 1111", "card **** **** **** 1111"),
    ("card dashed", "card 4111-1111-1111-1111.", "card **** **** **** 1111."),
    ("card unformatted", "card 4242424242424242", "card **** **** **** 4242"),
    ("amex", "amex 3782 822463 10005", "amex **** **** **** 0005"),
    ("not luhn", "ref 4111111111111112", "ref 4111111111111112"),
    # Emails.
    ("email", "mail john.doe+x@example.com now", "mail j***@example.com now"),
    # Phones.
    ("phone e164", "call +14165550134", "call ***34"),
    ("phone nanp formatted", "call +1 (416) 555-0134", "call ***34"),
    ("phone dotted", "call 416.555.0134", "call ***34"),
    ("phone unformatted 10", "call 4165550134", "call ***34"),
    ("phone unformatted 11", "call 14165550134", "call ***34"),
    ("phone international", "call +44 20 7946 0958", "call ***58"),
    ("two phones", "call 416-555-0134 416-555-0135", "call ***34 ***35"),
    ("phone beside a date", "on 2024-05-01 call 416 555 0134", "on 2024-05-01 call ***34"),
    # Values echoed by Postgres.
    (
        "class 22 literal",
        'invalid input syntax for type uuid: "AB4001 Toronto"',
        'invalid input syntax for type uuid: "[value]"',
    ),
    (
        "class 22 enum",
        'invalid input value for enum status_t: "weird"',
        'invalid input value for enum status_t: "[value]"',
    ),
    (
        "class 22 range",
        'value "99999999999" is out of range for type integer',
        'value "[value]" is out of range for type integer',
    ),
    (
        "class 23 key",
        "DETAIL:  Key (email)=(bob@example.com) already exists.",
        "DETAIL:  Key (email)=([value]) already exists.",
    ),
    (
        "class 23 expression key",
        "Key (lower(name))=(Bob Smith) already exists.",
        "Key (lower(name))=([value]) already exists.",
    ),
    (
        "class 23 foreign key",
        'Key (a, b)=(1, 2) is not present in table "t".',
        'Key (a, b)=([value]) is not present in table "t".',
    ),
    (
        "class 23 failing row",
        "Failing row contains (1, Bob, x).",
        "Failing row contains ([value]).",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scrub_gives_the_specified_output(text: str, expected: str) -> None:
    assert SCRUBBER.scrub(text) == expected


def test_scrub_cuts_to_max_chars_with_an_ellipsis() -> None:
    assert SCRUBBER.scrub("abcdefghij", max_chars=5) == "abcd…"


def test_scrub_cuts_after_scrubbing_so_no_secret_prefix_survives() -> None:
    scrubbed = SCRUBBER.scrub(f"{KNOWN_SECRET} tail", max_chars=12)

    assert scrubbed == "[secret] ta…"


def test_scrub_leaves_short_text_uncut() -> None:
    assert SCRUBBER.scrub("abc", max_chars=5) == "abc"


def test_scrub_detail_scrubs_every_nested_string_and_keeps_other_values() -> None:
    detail = {"errors": [{"path": "phone", "value": "4165550134"}], "count": 2, "ok": True}

    scrubbed = SCRUBBER.scrub_detail(detail)

    assert scrubbed == {"errors": [{"path": "phone", "value": "***34"}], "count": 2, "ok": True}


def test_scrubber_repr_hides_the_secrets() -> None:
    assert KNOWN_SECRET not in repr(SCRUBBER)


@pytest.mark.parametrize(
    ("digits", "valid"), [("4111111111111111", True), ("4111111111111112", False)]
)
def test_luhn_check(digits: str, valid: bool) -> None:
    assert is_luhn_valid(digits) is valid


_FILLER = st.text(alphabet="abcdefghij .,:", max_size=20)


@settings(max_examples=200)
@given(email=st.emails(), before=_FILLER, after=_FILLER)
def test_no_generated_email_survives_scrubbing(email: str, before: str, after: str) -> None:
    local = email.rsplit("@", 1)[0]
    assume(local[1:] != "***")  # already in masked form
    # A local part of stars only ("*", "**") is a substring of its own mask ("****@…").
    assume(local.strip("*") != "")

    scrubbed = SCRUBBER.scrub(f"{before} {email} {after}")

    assert email not in scrubbed


_SECRET_ALPHABET = st.characters(
    min_codepoint=33, max_codepoint=126, exclude_characters="[]*"
) | st.sampled_from("éü€")


@settings(max_examples=200)
@given(
    secrets=st.lists(st.text(_SECRET_ALPHABET, min_size=8, max_size=40), min_size=1, max_size=3),
    before=_FILLER,
    after=_FILLER,
)
def test_no_known_secret_survives_scrubbing(secrets: list[str], before: str, after: str) -> None:
    scrubber = Scrubber(secrets)

    scrubbed = scrubber.scrub(before + "".join(secrets) + after)

    assert not any(secret in scrubbed for secret in secrets)
