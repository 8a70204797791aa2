"""get_artists_owed (tools.md §5.6) against the generator's owed balances and independent SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway
from tests.integration.tools.rolled_back import call_rolled_back

TOOL = "get_artists_owed"
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"

RATES_SQL = "SELECT currency_code, rate_to_usd FROM exchange_rates"

# What each artist earns at a full-portion event: the whole sale price of their paid works.
FULL_PORTION_CREDITS_SQL = """
SELECT a.artist_id::text, SUM(COALESCE(a.final_price, a.current_bid))
FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.status = 'paid'
GROUP BY a.artist_id
"""

PAID_WORKS_SQL = """
SELECT count(*) FROM art a JOIN events e ON e.id = a.event_id
WHERE e.eid = %s AND a.status = 'paid'
"""

# Artist shares of every sold or paid work, per artist and currency: the owed rows once every
# buyer has paid and no payment counts.
ALL_SHARES_SQL = """
SELECT a.artist_id, e.currency
FROM art a JOIN events e ON e.id = a.event_id
WHERE a.status IN ('sold', 'paid') AND a.artist_id IS NOT NULL AND btrim(e.currency) <> ''
GROUP BY a.artist_id, e.currency
HAVING SUM(COALESCE(a.final_price, a.current_bid) * COALESCE(e.artist_auction_portion, 0.5))
       > 0.01
"""


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_every_owed_balance_matches_the_generator(demo_gateway: DemoGateway) -> None:
    expected = {
        key: Decimal(value) for key, value in demo_gateway.demo.summary["owed_balances"].items()
    }

    items = data_of(demo_gateway, {})["artists"]["items"]

    listed = {
        f"{i['artist']['artist_profile_id']}:{i['currency']}": Decimal(
            str(i["balance_owed"]["amount"])
        )
        for i in items
    }
    assert listed == expected


def test_totals_per_currency_match_the_generator(demo_gateway: DemoGateway) -> None:
    summary = demo_gateway.demo.summary["owed_by_currency"]
    expected = [
        {"currency": code, "amount": float(Decimal(v["total"])), "count": v["artists"]}
        for code, v in sorted(summary.items())
    ]

    totals = data_of(demo_gateway, {})["totals_by_currency"]

    assert totals["items"] == expected


def test_rows_are_ordered_by_balance_in_usd(demo_gateway: DemoGateway) -> None:
    rates = {code: Decimal(rate) for code, rate in demo_gateway.sql(RATES_SQL)}
    rates["USD"] = Decimal(1)

    items = data_of(demo_gateway, {})["artists"]["items"]

    in_usd = [Decimal(str(i["balance_owed"]["amount"])) * rates[i["currency"]] for i in items]
    assert in_usd == sorted(in_usd, reverse=True)


@pytest.mark.parametrize(
    ("fixture", "ready"),
    [
        pytest.param("owed_unpaid_artist", True, id="priya-ready"),
        pytest.param("blocked_account_artist", False, id="sofia-blocked"),
    ],
)
def test_owed_artists_show_their_payout_readiness(
    demo_gateway: DemoGateway, fixture: str, ready: bool
) -> None:
    artist_id = demo_gateway.demo.fixtures[fixture]["artist_profile_id"]

    data = data_of(demo_gateway, {"artist_profile_id": artist_id})

    assert [i["payout_ready"] for i in data["artists"]["items"]] == [ready]


def test_a_charity_event_owes_nothing_despite_paid_works(demo_gateway: DemoGateway) -> None:
    charity = demo_gateway.demo.fixtures["charity_event"]["eid"]
    assert demo_gateway.sql(PAID_WORKS_SQL, (charity,))[0][0] > 0

    data = data_of(demo_gateway, {"eid": charity})

    assert data["artists"]["total"] == 0


def test_a_full_portion_event_credits_the_whole_sale_price(demo_gateway: DemoGateway) -> None:
    eid = demo_gateway.demo.fixtures["full_portion_event"]["eid"]
    credits = dict(demo_gateway.sql(FULL_PORTION_CREDITS_SQL, (eid,)))

    items = data_of(demo_gateway, {"eid": eid})["artists"]["items"]

    assert items
    for item in items:
        artist_id = item["artist"]["artist_profile_id"]
        assert item["event_credit"]["amount"] == float(credits[artist_id])


def test_a_currency_filter_keeps_only_that_currency(demo_gateway: DemoGateway) -> None:
    expected = demo_gateway.demo.summary["owed_by_currency"]["CAD"]["artists"]

    artists = data_of(demo_gateway, {"currency": "cad"})["artists"]

    assert ({i["currency"] for i in artists["items"]}, artists["total"]) == ({"CAD"}, expected)


def test_more_than_25_owed_artists_switch_to_summary_mode(demo_gateway: DemoGateway) -> None:
    rows = demo_gateway.sql(ALL_SHARES_SQL)
    assert len({artist for artist, _ in rows}) > 25
    changes: list[tuple[Any, dict[str, Any]]] = [
        ("UPDATE art SET status = 'paid' WHERE status = 'sold'", {}),
        ("UPDATE artist_payments SET status = 'cancelled'", {}),
    ]

    result = call_rolled_back(demo_gateway.demo.url, TOOL, {}, changes)

    artists = result.data["artists"]
    assert (result.data["summary_mode"], artists["count"], artists["total"]) == (
        True,
        20,
        len(rows),
    )


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        pytest.param({"artist_profile_id": UNKNOWN_UUID}, "artist_profile_id", id="profile"),
        pytest.param({"eid": "AB9999"}, "eid", id="event"),
    ],
)
def test_an_unknown_identifier_is_not_found(
    demo_gateway: DemoGateway, arguments: dict[str, Any], argument: str
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert (envelope["error"]["code"], envelope["error"]["argument"]) == ("not_found", argument)


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({"currency": "dollars"}, id="bad-currency"),
        pytest.param({"artist_profile_id": "310153"}, id="not-a-uuid"),
        pytest.param({"limit": 5}, id="unknown-key"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize("role", ["event-producer", "marketing", "viewer"])
def test_roles_outside_ops_and_finance_are_denied(demo_gateway: DemoGateway, role: str) -> None:
    envelope = demo_gateway.call(TOOL, {}, role=role)

    assert envelope["error"]["code"] == "role_denied"
