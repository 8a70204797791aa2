"""get_event_config (tools.md §3.7) over the seeded demo data, checked against independent SQL."""

from __future__ import annotations

from typing import Any

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_event_config"

CONFIG_SQL = """
SELECT e.min_bid_increment, e.currency, e.artist_auction_portion, e.auction_close_round_delay,
       to_char(e.door_time, 'HH24:MI'), e.tax, c.name, v.name
FROM events e
LEFT JOIN cities c ON c.id = e.city_id
LEFT JOIN venues v ON v.id = e.venue_id
WHERE e.eid = %s
"""

GROUPS = {
    "identity",
    "schedule",
    "visibility",
    "location",
    "auction",
    "money",
    "ticketing",
    "marketing",
    "producer",
    "timestamps",
}


def config_of(gateway: DemoGateway, eid: str) -> dict[str, Any]:
    envelope = gateway.call(TOOL, {"eid": eid})
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_the_config_is_grouped_and_matches_the_event_row(demo_gateway: DemoGateway) -> None:
    [(increment, currency, portion, delay, door, tax, city, venue)] = demo_gateway.sql(
        CONFIG_SQL, ("AB4001",)
    )

    data = config_of(demo_gateway, "AB4001")

    assert set(data) == GROUPS
    assert {
        "min_bid_increment": data["auction"]["min_bid_increment"],
        "portion": data["auction"]["artist_auction_portion"],
        "delay": data["auction"]["auction_close_round_delay"],
        "tax_pct": data["auction"]["tax_pct"],
        "door_time": data["schedule"]["door_time"],
        "location": data["location"],
    } == {
        "min_bid_increment": {"amount": float(increment), "currency": currency},
        "portion": float(portion),
        "delay": delay,
        "tax_pct": None if tax is None else float(tax),
        "door_time": door,
        "location": {"city": city, "venue": venue},
    }


def test_a_null_round_delay_is_effectively_five_minutes(demo_gateway: DemoGateway) -> None:
    [(eid, delay)] = demo_gateway.sql(
        "SELECT eid, auction_close_round_delay FROM events ORDER BY"
        " auction_close_round_delay IS NOT NULL, eid LIMIT 1"
    )

    auction = config_of(demo_gateway, eid)["auction"]

    assert auction["auction_close_round_delay_effective"] == (5 if delay is None else delay)


def test_the_events_contact_details_are_never_returned(demo_gateway: DemoGateway) -> None:
    data = config_of(demo_gateway, "AB4001")

    fields = {field for group in data.values() for field in group}
    assert not {"email", "phone", "contact_email", "contact_phone", "slack_channel"} & fields


def test_a_missing_currency_gives_amounts_without_currency_and_a_warning(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4008"})

    assert envelope["data"]["auction"]["auction_start_bid"]["currency"] is None
    assert "currency_missing" in [warning["code"] for warning in envelope["warnings"]]


def test_unknown_eid_is_not_found(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB9999"})

    assert envelope["error"]["message"] == "No event found with eid AB9999."


def test_unknown_arguments_are_invalid(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001", "fields": "all"})

    assert envelope["error"]["code"] == "invalid_arguments"


def test_the_marketing_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"eid": "AB4001"}, role="marketing")

    assert envelope["error"]["code"] == "role_denied"
