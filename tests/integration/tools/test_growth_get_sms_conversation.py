"""get_sms_conversation (tools.md §6.4) over the seeded demo data, checked against own SQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_sms_conversation"

# The fixture thread is stored in E.164, so these plain comparisons are independent of the
# tool's phone-key expression.
INBOUND_SQL = "SELECT count(*) FROM sms_inbound WHERE from_phone = %s"
OUTBOUND_SQL = "SELECT count(*) FROM sms_outbound WHERE to_phone = %s"
LATEST_SQL = """
SELECT body FROM (
    SELECT message_body AS body, created_at AS at, id FROM sms_inbound WHERE from_phone = %s
    UNION ALL
    SELECT message_body, COALESCE(sent_at, created_at), id FROM sms_outbound WHERE to_phone = %s
) m
ORDER BY at DESC, id DESC
"""


def thread_phone(gateway: DemoGateway) -> str:
    phone: str = gateway.demo.fixtures["sms_conversation_phone"]["phone"]
    return phone


def conversation(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_the_thread_is_merged_newest_first_in_both_directions(demo_gateway: DemoGateway) -> None:
    phone = thread_phone(demo_gateway)
    expected = [body for (body,) in demo_gateway.sql(LATEST_SQL, (phone, phone))]

    data = conversation(demo_gateway, {"phone": phone})

    assert [item["body"] for item in data["messages"]["items"]] == expected


def test_totals_are_the_true_counts_when_the_list_is_limited(demo_gateway: DemoGateway) -> None:
    phone = thread_phone(demo_gateway)
    [(inbound,)] = demo_gateway.sql(INBOUND_SQL, (phone,))
    [(outbound,)] = demo_gateway.sql(OUTBOUND_SQL, (phone,))

    data = conversation(demo_gateway, {"phone": phone, "limit": 2})

    assert (data["inbound_total"], data["outbound_total"], data["messages"]) == (
        inbound,
        outbound,
        data["messages"] | {"count": 2, "total": inbound + outbound, "truncated": True},
    )


def test_a_stop_at_the_end_of_the_thread_means_opted_out(demo_gateway: DemoGateway) -> None:
    data = conversation(demo_gateway, {"phone": thread_phone(demo_gateway)})

    latest = data["messages"]["items"][0]
    assert (data["opted_out"], latest["is_stop_request"], data["last_stop_at"]["utc"]) == (
        True,
        True,
        latest["at"]["utc"],
    )


@pytest.mark.parametrize(
    "written",
    ["+1 (617) 555-0142", "6175550142", "(617) 555-0142", "001 617 555 0142"],
    ids=["formatted-with-country-code", "bare-10-digits", "nanp-formatted", "00-prefix"],
)
def test_any_way_of_writing_the_number_finds_the_same_conversation(
    demo_gateway: DemoGateway, written: str
) -> None:
    canonical = conversation(demo_gateway, {"phone": thread_phone(demo_gateway)})

    data = conversation(demo_gateway, {"phone": written})

    assert data == canonical


def test_the_phone_is_shown_as_plus_and_its_key(demo_gateway: DemoGateway) -> None:
    data = conversation(demo_gateway, {"phone": "(617) 555-0142"})

    assert data["phone"] == "+16175550142"


def test_the_person_with_the_number_is_matched(demo_gateway: DemoGateway) -> None:
    person_id = demo_gateway.demo.fixtures["sms_conversation_phone"]["person_id"]

    data = conversation(demo_gateway, {"phone": thread_phone(demo_gateway)})

    assert [p["person_id"] for p in data["people_matched"]["items"]] == [person_id]


def test_marketing_sees_the_phone_masked(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"phone": thread_phone(demo_gateway)}, role="marketing")

    assert envelope["data"]["phone"] == "***42"


def test_marketing_sees_matched_names_as_initials(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"phone": thread_phone(demo_gateway)}, role="marketing")

    assert envelope["data"]["people_matched"]["items"][0]["name"] == "R. D."


def test_a_number_without_messages_gives_an_empty_thread(demo_gateway: DemoGateway) -> None:
    data = conversation(demo_gateway, {"phone": "+442079460958"})

    assert (data["messages"]["total"], data["opted_out"], data["last_stop_at"]) == (0, False, None)


@pytest.mark.parametrize(
    "arguments",
    [{"phone": "555-0142"}, {}, {"phone": "+16175550142", "limit": 101}, {"phone": 6175550142}],
    ids=["too-few-digits", "missing-phone", "limit-too-high", "number-not-string"],
)
def test_bad_arguments_are_refused(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_event_producer_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"phone": "+16175550142"}, role="event-producer")

    assert envelope["error"]["code"] == "role_denied"
