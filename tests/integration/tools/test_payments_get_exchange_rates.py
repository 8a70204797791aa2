"""get_exchange_rates (tools.md §5.3) over the seeded demo data, against independent SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.integration.tools.conftest import DemoGateway

TOOL = "get_exchange_rates"
RATES_SQL = "SELECT currency_code, rate_to_usd FROM exchange_rates"


def rates(gateway: DemoGateway) -> dict[str, Decimal]:
    stored = {row[0]: Decimal(row[1]) for row in gateway.sql(RATES_SQL)}
    return {"USD": Decimal(1), **stored}


def data_of(gateway: DemoGateway, arguments: dict[str, Any]) -> dict[str, Any]:
    envelope = gateway.call(TOOL, arguments)
    assert envelope["ok"] is True, envelope
    data: dict[str, Any] = envelope["data"]
    return data


def test_without_currencies_every_other_rate_is_listed_against_usd(
    demo_gateway: DemoGateway,
) -> None:
    expected = sorted(code for code in rates(demo_gateway) if code != "USD")

    data = data_of(demo_gateway, {})

    assert (data["base"], [item["currency"] for item in data["rates"]["items"]]) == (
        "USD",
        expected,
    )


def test_a_pair_states_one_base_in_the_target(demo_gateway: DemoGateway) -> None:
    known = rates(demo_gateway)
    rate = (known["CAD"] / known["USD"]).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    data = data_of(demo_gateway, {"base_currency": "cad", "target_currency": "USD"})

    assert data["statement"] == f"1 CAD = {rate} USD"


def test_an_amount_is_converted_into_the_target_currency(demo_gateway: DemoGateway) -> None:
    known = rates(demo_gateway)
    converted = (Decimal(500) * known["CAD"] / known["AUD"]).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )

    data = data_of(demo_gateway, {"base_currency": "CAD", "target_currency": "AUD", "amount": 500})

    assert data["converted"] == {"amount": float(converted), "currency": "AUD"}


def test_the_nine_day_old_jpy_rate_is_stale(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"base_currency": "USD", "target_currency": "JPY"})

    codes = [warning["code"] for warning in envelope["warnings"]]
    assert (envelope["data"]["stale"], "stale_data" in codes) == (True, True)


def test_a_fresh_pair_is_not_stale(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"base_currency": "CAD", "target_currency": "USD"})

    assert (envelope["data"]["stale"], envelope["warnings"]) == (False, [])


def test_a_target_without_a_base_is_refused_with_the_spec_message(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"target_currency": "USD"})

    error = envelope["error"]
    assert (error["code"], error["message"]) == (
        "invalid_arguments",
        "Give base_currency too, or neither.",
    )


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({"base_currency": "CAD", "amount": 10}, id="amount-without-target"),
        pytest.param({"base_currency": "dollars"}, id="bad-code"),
        pytest.param({"base_currency": "CAD", "target_currency": "USD", "amount": -1}, id="neg"),
    ],
)
def test_bad_arguments_are_invalid(demo_gateway: DemoGateway, arguments: dict[str, Any]) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_an_unknown_code_is_not_found_with_the_available_codes(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"base_currency": "CAD", "target_currency": "XYZ"})

    error = envelope["error"]
    assert (error["code"], error["argument"], error["details"]) == (
        "not_found",
        "target_currency",
        sorted(rates(demo_gateway)),
    )


def test_the_viewer_role_is_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
