"""Demo row counts: pinned for seed 1, and on the targets of schema.md §9.2."""

from decimal import Decimal

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.tables import records

PINNED = {
    "countries": 9,
    "timezones": 12,
    "cities": 22,
    "venues": 30,
    "exchange_rates": 9,
    "auth.users": 967,
    "people": 3150,
    "artist_profiles": 600,
    "abhq_admin_users": 8,
    "events": 40,
    "rounds": 117,
    "art": 460,
    "round_contestants": 501,
    "bids": 2660,
    "votes": 9498,
    "vote_weights": 0,
    "endpoint_cache_versions": 524,
    "qr_codes": 12,
    "people_qr_scans": 892,
    "artist_invitations": 984,
    "artist_confirmations": 696,
    "artist_applications": 943,
    "artist_stripe_accounts": 80,
    "artist_global_payments": 150,
    "artist_payments": 250,
    "artist_manual_payment_requests": 15,
    "payment_setup_invitations": 40,
    "payment_reminders": 20,
    "eventbrite_api_cache": 394,
    "eventbrite_orders_cache": 80,
    "meta_ads_cache_cron_log": 30,
    "ai_analysis_cache": 10,
    "sms_marketing_templates": 3,
    "sms_marketing_campaigns": 6,
    "sms_outbound": 1486,
    "sms_inbound": 150,
    "message_queue": 500,
    "offers": 8,
    "offer_redemptions": 58,
    "sponsorship_invites": 15,
    "sponsorship_purchases": 8,
    "slack_notifications": 400,
    "email_logs": 800,
    "system_logs": 100,
}

# schema.md §9.2, demo column ("about" targets allow ±10%).
TARGETS = {
    "people": 3000,
    "auth.users": 900,
    "artist_profiles": 600,
    "rounds": 120,
    "art": 460,
    "round_contestants": 490,
    "votes": 9500,
    "bids": 2700,
    "people_qr_scans": 900,
    "artist_invitations": 1000,
    "artist_confirmations": 700,
    "artist_applications": 900,
    "artist_stripe_accounts": 80,
    "artist_global_payments": 150,
    "artist_payments": 250,
    "artist_manual_payment_requests": 15,
    "payment_setup_invitations": 40,
    "payment_reminders": 20,
    "eventbrite_api_cache": 400,
    "meta_ads_cache_cron_log": 30,
    "ai_analysis_cache": 10,
    "sms_marketing_campaigns": 6,
    "sms_outbound": 1500,
    "sms_inbound": 150,
    "message_queue": 500,
    "offers": 8,
    "offer_redemptions": 60,
    "sponsorship_invites": 15,
    "sponsorship_purchases": 8,
    "slack_notifications": 400,
    "email_logs": 800,
    "system_logs": 100,
    "abhq_admin_users": 8,
    "cities": 22,
    "venues": 30,
    "qr_codes": 12,
}

RATES = {
    "USD": Decimal("1.000000"),
    "CAD": Decimal("0.735000"),
    "AUD": Decimal("0.655000"),
    "NZD": Decimal("0.600000"),
    "EUR": Decimal("1.080000"),
    "GBP": Decimal("1.265000"),
    "THB": Decimal("0.028500"),
    "JPY": Decimal("0.006700"),
    "CNY": Decimal("0.138000"),
}


def test_demo_row_counts_are_pinned_for_seed_1(demo: Dataset) -> None:
    assert demo.row_counts() == PINNED


@pytest.mark.parametrize("table", sorted(TARGETS))
def test_demo_count_is_within_ten_percent_of_its_target(demo: Dataset, table: str) -> None:
    count = len(demo.tables[table].rows)

    assert abs(count - TARGETS[table]) * 10 <= TARGETS[table]


def test_demo_has_exactly_40_events(demo: Dataset) -> None:
    assert len(demo.tables["events"].rows) == 40


def test_demo_has_exactly_10_upcoming_events(demo: Dataset) -> None:
    upcoming = [e for e in records(demo, "events") if e["event_start_datetime"] > demo.as_of]

    assert len(upcoming) == 10


def test_demo_has_exactly_one_live_event(demo: Dataset) -> None:
    live = [
        e["eid"]
        for e in records(demo, "events")
        if e["event_start_datetime"] <= demo.as_of < e["event_end_datetime"]
    ]

    assert live == ["AB4003"]


def test_exactly_three_upcoming_events_have_no_eventbrite_id(demo: Dataset) -> None:
    unlinked = sorted(
        e["eid"]
        for e in records(demo, "events")
        if e["event_start_datetime"] > demo.as_of and e["eventbrite_id"] is None
    )

    assert unlinked == ["AB4010", "AB4011", "AB4012"]


def test_exchange_rates_are_the_nine_fixed_values(demo: Dataset) -> None:
    rates = {r["currency_code"]: r["rate_to_usd"] for r in records(demo, "exchange_rates")}

    assert rates == RATES


def test_only_the_jpy_rate_is_stale(demo: Dataset) -> None:
    ages = {
        r["currency_code"]: demo.as_of - r["last_updated"] for r in records(demo, "exchange_rates")
    }

    assert [c for c, age in ages.items() if age.days >= 9] == ["JPY"]


def test_vote_weights_stays_empty(demo: Dataset) -> None:
    assert demo.tables["vote_weights"].rows == []


def test_summary_row_counts_match_the_tables(demo: Dataset) -> None:
    assert demo.summary["row_counts"] == demo.row_counts()
