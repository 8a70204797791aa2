"""The personal-data policy: one mask per category, by role and sink, on nested results and in
free text, never touching dates, ids or amounts."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.policy.redaction import (
    Redaction,
    mask_card,
    mask_email,
    mask_financial_id,
    mask_phone,
    mask_private_name,
    mask_staff_identity,
    mask_text,
    redact,
)

EXEMPT = frozenset({"ops"})
SINKS = ["model", "slack", "logs", "audit"]


# -- Masks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "value", "expected"),
    [
        (mask_email, "jane.doe@example.com", "j***@example.com"),
        (mask_email, "not-an-address", "***"),
        (mask_phone, "+1 416 555 0142", "***42"),
        (mask_phone, "(514) 555-0187", "***87"),
        (mask_phone, "12", "***"),
        (mask_card, "4242 4242 4242 1234", "**** **** **** 1234"),
        (mask_private_name, "Jane Doe", "J. D."),
        (mask_private_name, "maya  van der Berg", "M. V. D. B."),
        (mask_financial_id, "acct_1NqXyZ9876", "…9876"),
        (mask_financial_id, "tr_1", "…"),
        (mask_staff_identity, "U012ABCDEF", "U***"),
    ],
    ids=[
        "email",
        "email-without-domain",
        "phone-international",
        "phone-north-american",
        "phone-too-short",
        "card",
        "name",
        "name-many-words",
        "financial-id",
        "financial-id-short",
        "staff-identity",
    ],
)
def test_each_mask_keeps_only_its_documented_part(
    mask: Callable[[str], str], value: str, expected: str
) -> None:
    assert mask(value) == expected


# -- Policy by category, role and sink -----------------------------------------------------------

PERSON = {
    "email": "jane.doe@example.com",
    "phone": "+14165550142",
    "full_name": "Jane Doe",
    "stripe_account_id": "acct_1NqXyZ9876",
    "admin_note": "Called +1 416 555 0142, wrote jane.doe@example.com",
    "sent_by_slack_user": "U012ABCDEF",
}
PERSON_FIELDS = {
    "email": "email",
    "phone": "phone",
    "full_name": "private_name",
    "stripe_account_id": "financial_id",
    "admin_note": "free_text",
    "sent_by_slack_user": "staff_identity",
}
MASKED_PERSON = {
    "email": "j***@example.com",
    "phone": "***42",
    "full_name": "J. D.",
    "stripe_account_id": "…9876",
    "admin_note": "Called ***42, wrote j***@example.com",
    "sent_by_slack_user": "U***",
}


@pytest.mark.parametrize("field", list(PERSON_FIELDS))
@pytest.mark.parametrize("sink", SINKS)
def test_a_non_exempt_role_gets_every_category_masked_in_every_sink(field: str, sink: str) -> None:
    redaction = redact(PERSON, {field: PERSON_FIELDS[field]}, "viewer", sink, EXEMPT)

    assert redaction.data[field] == MASKED_PERSON[field]


@pytest.mark.parametrize("sink", ["model", "slack"])
def test_an_exempt_role_sees_raw_values_in_the_model_and_slack(sink: str) -> None:
    redaction = redact(PERSON, PERSON_FIELDS, "ops", sink, EXEMPT)

    assert redaction == Redaction(PERSON, [])


@pytest.mark.parametrize("sink", ["logs", "audit"])
def test_logs_and_audit_are_masked_even_for_an_exempt_role(sink: str) -> None:
    redaction = redact(PERSON, PERSON_FIELDS, "ops", sink, EXEMPT)

    assert redaction.data == MASKED_PERSON


def test_the_rules_applied_are_named_and_sorted() -> None:
    redaction = redact(PERSON, PERSON_FIELDS, "finance", "model", EXEMPT)

    assert redaction.rules_applied == [
        "mask_email",
        "mask_financial_id",
        "mask_phone",
        "mask_private_name",
        "mask_staff_identity",
    ]


def test_free_text_without_personal_data_applies_no_rule() -> None:
    data = {"admin_note": "Moved to AB4001 on 2025-03-01"}

    redaction = redact(data, {"admin_note": "free_text"}, "viewer", "model", EXEMPT)

    assert redaction == Redaction(data, [])


def test_an_unknown_category_is_masked_whole() -> None:
    redaction = redact({"x": "secret"}, {"x": "biometric"}, "viewer", "model", EXEMPT)

    assert redaction == Redaction({"x": "***"}, ["mask_unknown_category"])


def test_an_unknown_sink_is_refused() -> None:
    with pytest.raises(ValueError, match="sink"):
        redact(PERSON, PERSON_FIELDS, "viewer", "stdout", EXEMPT)


# -- Paths ----------------------------------------------------------------------------------------

RESULT = {
    "event": {"eid": "AB4001", "starts_at": "2025-03-01T19:30:00-05:00"},
    "people": {
        "items": [
            {
                "id": "7f3c0000-0000-0000-0000-000000000001",
                "email": "jane.doe@example.com",
                "phones": ["+14165550142", None, "(514) 555-0187"],
                "amount": {"value": "1250.00", "currency": "CAD"},
                "created_at": "2025-03-01",
            },
            {"id": "7f3c0000-0000-0000-0000-000000000002", "email": None},
        ],
        "total": 2,
    },
}
RESULT_FIELDS = {
    "people.items.*.email": "email",
    "people.items.*.phones": "phone",
    "people.items.*.buyer.name": "private_name",
    "missing.items.*.email": "email",
}


def test_list_blocks_are_masked_item_by_item() -> None:
    redaction = redact(RESULT, RESULT_FIELDS, "viewer", "model", EXEMPT)

    items = redaction.data["people"]["items"]
    assert [item["email"] for item in items] == ["j***@example.com", None]
    assert items[0]["phones"] == ["***42", None, "***87"]


def test_dates_ids_and_amounts_beside_personal_fields_are_untouched() -> None:
    redaction = redact(RESULT, RESULT_FIELDS, "viewer", "model", EXEMPT)

    first = redaction.data["people"]["items"][0]
    assert redaction.data["event"] == RESULT["event"]
    assert (first["id"], first["created_at"]) == (
        "7f3c0000-0000-0000-0000-000000000001",
        "2025-03-01",
    )
    assert first["amount"] == {"value": "1250.00", "currency": "CAD"}
    assert redaction.data["people"]["total"] == 2


def test_redaction_never_modifies_its_input() -> None:
    before = copy.deepcopy(RESULT)

    redact(RESULT, RESULT_FIELDS, "viewer", "audit", EXEMPT)

    assert before == RESULT


def test_missing_paths_and_none_values_are_skipped() -> None:
    data = {"people": {"items": [{"email": None}]}, "note": None}
    fields = {"people.items.*.email": "email", "note": "free_text", "absent.path": "phone"}

    redaction = redact(data, fields, "viewer", "logs", EXEMPT)

    assert redaction == Redaction(data, [])


def test_a_path_without_its_star_still_masks_every_list_element() -> None:
    data = {"rows": [{"email": "a@example.com"}, {"email": "b@example.com"}]}

    redaction = redact(data, {"rows.email": "email"}, "viewer", "model", EXEMPT)

    assert redaction.data == {
        "rows": [{"email": "a***@example.com"}, {"email": "b***@example.com"}]
    }


def test_a_numeric_phone_is_masked_like_text() -> None:
    redaction = redact({"phone": 14165550142}, {"phone": "phone"}, "viewer", "model", EXEMPT)

    assert redaction.data == {"phone": "***42"}


# -- Free text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "rules"),
    [
        ("write jane.doe@example.com", "write j***@example.com", ["mask_email"]),
        ("call +1 416 555 0142.", "call ***42.", ["mask_phone"]),
        ("call (514) 555-0187 or 416-555-0142", "call ***87 or ***42", ["mask_phone"]),
        ("sms +14165550142", "sms ***42", ["mask_phone"]),
        ("card 4242 4242 4242 4242", "card **** **** **** 4242", ["mask_card"]),
        ("card 4242424242424242", "card **** **** **** 4242", ["mask_card"]),
        (
            "a@example.com, +44 20 7946 0958, 4242-4242-4242-4242",
            "a***@example.com, ***58, **** **** **** 4242",
            ["mask_card", "mask_email", "mask_phone"],
        ),
    ],
    ids=[
        "email",
        "phone-spaced",
        "phone-north-american",
        "phone-e164",
        "card-grouped",
        "card-contiguous",
        "all-three",
    ],
)
def test_free_text_masks_emails_phones_and_cards(
    text: str, expected: str, rules: list[str]
) -> None:
    assert mask_text(text) == (expected, rules)


@pytest.mark.parametrize(
    "text",
    [
        "AB4001 on 2025-03-01 at 19:30",
        "starts 2025-03-01T19:30:00-05:00 or 2025-03-01 19:30",
        "art AB4001-1-3 sold",
        "execution 7f3c0000-0000-0000-0000-000000000001",
        "eventbrite 1234567890123 and order 123456789012",
        "ad 120208123456789012 and 23851234567890123",
        "total $1,234.56 or CAD 1250.00, 12,345,678 votes",
        "slack ts 1700000000.000100",
        "https://www.eventbrite.example/e/1234567890123",
        "10 of 20 easels, 3/4 sold, v1.2.3",
    ],
    ids=[
        "eid-date-time",
        "timestamps",
        "art-code",
        "uuid",
        "long-ids",
        "meta-ids",
        "amounts",
        "slack-ts",
        "url",
        "small-numbers",
    ],
)
def test_free_text_keeps_dates_ids_codes_and_amounts(text: str) -> None:
    assert mask_text(text) == (text, [])


# -- Property -------------------------------------------------------------------------------------

emails = st.from_regex(
    r"[a-z0-9]([a-z0-9._+-]{0,10}[a-z0-9])?@[a-z0-9]{1,10}\.(com|org|ca)", fullmatch=True
)
area = st.integers(200, 999).map(str)
line = st.integers(0, 9999).map(lambda n: f"{n:04d}")
phones = st.one_of(
    st.builds(lambda a, b, c: f"+1{a}{b}{c}", area, area, line),
    st.builds(lambda a, b, c: f"+1 {a} {b} {c}", area, area, line),
    st.builds(lambda a, b, c: f"({a}) {b}-{c}", area, area, line),
    st.builds(lambda a, b, c: f"{a}-{b}-{c}", area, area, line),
    st.builds(lambda a, b, c: f"{a}.{b}.{c}", area, area, line),
    st.builds(lambda b, c: f"+44 20 {b}{c[0]} {c}", area, line),
)
words = st.sampled_from(
    ["call", "me", "at", "AB4001", "2025-03-01", "$12.50", "or", "email", "thanks", "19:30"]
)


@st.composite
def people_with_notes(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A list block of people whose notes mention their email and phone among other words."""
    items, secrets = [], []
    for _ in range(draw(st.integers(1, 3))):
        email, phone = draw(emails), draw(phones)
        note = [*draw(st.lists(words, max_size=4)), phone, *draw(st.lists(words, max_size=4))]
        note.insert(draw(st.integers(0, len(note))), email)
        items.append({"email": email, "phone": phone, "notes": " ".join(note)})
        secrets += [email, phone]
    return {"people": {"items": items}}, secrets


FIELDS = {
    "people.items.*.email": "email",
    "people.items.*.phone": "phone",
    "people.items.*.notes": "free_text",
}


@settings(max_examples=200)
@given(
    case=people_with_notes(),
    role=st.sampled_from(["viewer", "marketing", "finance", "event-producer"]),
    sink=st.sampled_from(SINKS),
)
def test_no_email_or_phone_survives_masking_for_a_non_exempt_role(
    case: tuple[dict[str, Any], list[str]], role: str, sink: str
) -> None:
    data, secrets = case

    redaction = redact(data, FIELDS, role, sink, EXEMPT)

    text = json.dumps(redaction.data, ensure_ascii=False)
    assert [secret for secret in secrets if secret in text] == []
