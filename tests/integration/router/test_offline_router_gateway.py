"""The offline router against the real gateway over the seeded demo database.

Formatters are checked on real envelopes, and whole answers on figures computed here with SQL
(tools.md §5.6 for the owed balance), independently of the tool.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from artbattle_ops.gateway.client import CallerMeta, call_tool, gateway_session, list_tools
from artbattle_ops.router.offline import OfflineAnswer, OfflineRouter, load_vocabulary
from artbattle_ops.router.offline.formatters import render
from artbattle_ops.router.offline.money import money_text
from artbattle_ops.tools.manifest import load_manifest
from tests.integration.tools.conftest import ROLE_USERS, SECRET, TOKEN, DemoGateway

# Artists with a paid work at the event; each one's whole balance in the event's currency.
OWED_SQL = """
WITH ev AS (SELECT id, currency FROM events WHERE eid = %s),
painters AS (
    SELECT DISTINCT a.artist_id FROM art a JOIN ev ON a.event_id = ev.id
    WHERE a.status = 'paid' AND a.artist_id IS NOT NULL
),
credits AS (
    SELECT a.artist_id,
           SUM(COALESCE(a.final_price, a.current_bid)
               * COALESCE(e.artist_auction_portion, 0.5)) AS amount
    FROM art a JOIN events e ON e.id = a.event_id CROSS JOIN ev
    WHERE a.status = 'paid' AND e.currency = ev.currency
      AND a.artist_id IN (SELECT artist_id FROM painters)
    GROUP BY a.artist_id
),
debits AS (
    SELECT p.artist_profile_id, SUM(p.gross_amount) AS amount
    FROM artist_payments p CROSS JOIN ev
    WHERE p.status IN ('paid', 'verified', 'processing', 'pending') AND p.currency = ev.currency
    GROUP BY p.artist_profile_id
)
SELECT ap.name, ROUND(c.amount - COALESCE(d.amount, 0), 2), (SELECT currency FROM ev)
FROM credits c
JOIN artist_profiles ap ON ap.id = c.artist_id
LEFT JOIN debits d ON d.artist_profile_id = c.artist_id
WHERE c.amount - COALESCE(d.amount, 0) > 0.01
"""
EVENT_DATE_SQL = """
SELECT (event_start_datetime AT TIME ZONE timezone_icann)::date FROM events WHERE eid = %s
"""


def ask(gateway: DemoGateway, question: str, role: str = "finance") -> OfflineAnswer:
    """One question through the router, calling the demo gateway as a user with `role`."""
    with psycopg.connect(gateway.demo.url) as conn:
        vocabulary = load_vocabulary(conn)
    now = gateway.demo.as_of.astimezone(ZoneInfo("America/Toronto"))
    router = OfflineRouter.from_manifest(load_manifest(), vocabulary, clock=lambda: now)
    caller = CallerMeta(slack_user_id=ROLE_USERS[role])

    async def run() -> OfflineAnswer:
        async with gateway_session(gateway.url, TOKEN, SECRET) as client:
            tools = [tool.name for tool in await list_tools(client, caller)]

            async def call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
                return await call_tool(client, name, arguments, caller)

            return await router.answer(question, tools, call)

    return asyncio.run(run())


def test_who_still_needs_to_be_paid_lists_the_owed_artists_with_their_balances(
    demo_gateway: DemoGateway,
) -> None:
    expected = demo_gateway.sql(OWED_SQL, ("AB4001",))

    answer = ask(demo_gateway, "Who still needs to be paid for ab4001?")

    assert answer.tools_used == ["get_artists_owed"]
    assert expected
    for name, balance, currency in expected:
        line = f"*{name}* — {money_text({'amount': float(Decimal(balance)), 'currency': currency})}"
        assert line in answer.text


def test_the_owed_answer_names_no_artist_outside_the_sql_result(
    demo_gateway: DemoGateway,
) -> None:
    expected = {row[0] for row in demo_gateway.sql(OWED_SQL, ("AB4001",))}

    answer = ask(demo_gateway, "Who still needs to be paid for AB4001?")

    listed = {line[3:].split("*")[0] for line in answer.text.splitlines() if line.startswith("• *")}
    assert listed == expected


def test_a_city_and_its_date_reach_the_event_through_lookup_event(
    demo_gateway: DemoGateway,
) -> None:
    day = demo_gateway.sql(EVENT_DATE_SQL, ("AB4001",))[0][0]

    answer = ask(demo_gateway, f"How did Toronto do on {day.isoformat()}?", role="ops")

    assert answer.tools_used == ["lookup_event", "get_event_summary"]
    assert "*AB4001*" in answer.text


def test_a_viewer_is_asked_nothing_about_tools_their_role_lacks(
    demo_gateway: DemoGateway,
) -> None:
    answer = ask(demo_gateway, "Who still needs to be paid for AB4001?", role="viewer")

    assert "get_artists_owed" not in answer.tools_used


def test_the_vocabulary_holds_the_demo_cities_events_and_artists(
    demo_gateway: DemoGateway,
) -> None:
    with psycopg.connect(demo_gateway.demo.url) as conn:
        vocabulary = load_vocabulary(conn)

    assert "Montréal" in vocabulary.cities.values()
    assert "AB4001" in vocabulary.events
    assert "Maya Chen" in vocabulary.artists.values()


def test_lookup_event_is_formatted_with_city_venue_and_local_start(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("lookup_event", {"eid": "AB4001"})
    event = envelope["data"]["event"]

    text = render(envelope)

    assert event["start"]["display"] in text
    assert f"City: {event['city']['name']}" in text
    assert event["venue"]["name"] in text


def test_a_lookup_event_search_lists_upcoming_and_past_events(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("lookup_event", {"city": "Toronto"})
    eids = [e["eid"] for e in envelope["data"]["recent_past"]["items"]]

    text = render(envelope)

    assert ("*Upcoming events*" in text, "*Recent past events*" in text) == (True, True)
    assert all(f"*{eid}*" in text for eid in eids)


def test_artists_owed_is_formatted_with_balances_and_currency_totals(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("get_artists_owed", {"eid": "AB4001"}, role="finance")
    data = envelope["data"]

    text = render(envelope)

    for row in data["artists"]["items"]:
        assert f"*{row['artist']['name']}* — {money_text(row['balance_owed'])}" in text
    for total in data["totals_by_currency"]["items"]:
        assert money_text(total) in text


def test_every_owed_artist_returned_is_listed(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call("get_artists_owed", {}, role="finance")
    artists = envelope["data"]["artists"]

    text = render(envelope)

    assert all(f"• *{row['artist']['name']}* — " in text for row in artists["items"])
    more = artists["total"] - artists["count"]
    assert (f"…and {more} more" in text) == (more > 0)


@pytest.mark.parametrize("group_by", ["total", "artist", "round"])
def test_auction_revenue_is_formatted_in_the_event_currency(
    demo_gateway: DemoGateway, group_by: str
) -> None:
    envelope = demo_gateway.call("get_auction_revenue", {"eid": "AB4001", "group_by": group_by})
    data = envelope["data"]
    rows = [data["summary"]] if group_by == "total" else data["breakdown"]["items"]

    text = render(envelope)

    assert all(money_text(row["gross"]) in text for row in rows)


def test_event_summary_is_formatted_with_sales_bids_and_votes(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call("get_event_summary", {"eid": "AB4001"})
    data = envelope["data"]

    text = render(envelope)

    assert f"Gross sales: {money_text(data['sales']['gross_sales'])}" in text
    assert f"Bids: {data['bids']['total_bids']} from {data['bids']['unique_bidders']}" in text
    assert f"Votes: {data['votes']['total_votes']}" in text


def test_lookup_person_is_formatted_with_contacts_and_artist_profiles(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("lookup_person", {"query": "Maya Chen"})
    person = envelope["data"]["people"]["items"][0]

    text = render(envelope)

    assert (f"*{person['name']}*" in text, person["email"] in text) == (True, True)
    assert all(p["name"] in text for p in person["artist_profiles"]["items"])


def test_the_payment_ledger_is_formatted_with_amounts_statuses_and_totals(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("get_artist_payment_ledger", {"eid": "AB4001"}, role="finance")
    data = envelope["data"]

    text = render(envelope)

    for payment in data["payments"]["items"][:10]:
        assert f"{money_text(payment['gross_amount'])} {payment['status']}" in text
    for row in data["totals"]["settled"]["items"]:
        assert money_text(row) in text


def test_a_not_found_error_from_the_gateway_shows_its_message(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call("get_event_summary", {"eid": "AB9999"})

    text = render(envelope)

    assert envelope["error"]["message"] in text
