"""Every fixture of schema.md §8.16 is present with the properties it promises."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from artbattle_ops.demo.dataset import Dataset
from tests.unit.demo.tables import events_by_eid, profiles_named, records, works_of

ROLES = {
    "healthy_event": "AB4001",
    "sold_without_payout_event": "AB4002",
    "live_event": "AB4003",
    "full_portion_event": "AB4004",
    "charity_event": "AB4005",
    "hidden_event": "AB4006",
    "missing_venue_event": "AB4007",
    "missing_currency_event": "AB4008",
    "stale_eventbrite_event": "AB4009",
    "thb_no_eventbrite_event": "AB4010",
    "draft_event": "AB4011",
    "eur_no_eventbrite_event": "AB4012",
    "currency_mismatch_event": "AB4013",
    "never_ran_event": "AB4014",
    "ready_event": "AB4015",
    "missing_city_event": "AB4016",
    "eventbrite_error_event": "AB4017",
    "dst_before_event": "AB4018",
    "dst_after_event": "AB4019",
    "southern_dst_event": "AB4020",
    "legacy_event": "AB2750",
}


def _payout_events(dataset: Dataset) -> set[tuple[Any, str | None]]:
    return {
        (p["artist_profile_id"], (p["metadata"] or {}).get("event_eid"))
        for p in records(dataset, "artist_payments")
    }


def _latest_snapshot(dataset: Dataset, eid: str) -> dict[str, Any]:
    rows = [r for r in records(dataset, "eventbrite_api_cache") if r["eid"] == eid]
    return max(rows, key=lambda r: r["fetched_at"])


@pytest.mark.parametrize(("role", "eid"), sorted(ROLES.items()))
def test_fixture_role_names_its_event(demo: Dataset, role: str, eid: str) -> None:
    event = events_by_eid(demo)[eid]

    assert demo.fixtures[role] == {**demo.fixtures[role], "eid": eid, "event_id": str(event["id"])}


def test_healthy_event_has_16_works_sold_paid_and_closed(demo: Dataset) -> None:
    works = works_of(demo, "AB4001")

    assert (len(works), {"sold", "paid", "closed"} <= {w["status"] for w in works}) == (16, True)


def test_ab4002_has_exactly_two_paid_works_without_any_payout(demo: Dataset) -> None:
    paid_out = _payout_events(demo)

    unpaid = [
        w["art_code"]
        for w in works_of(demo, "AB4002")
        if w["status"] == "paid" and (w["artist_id"], "AB4002") not in paid_out
    ]

    assert len(unpaid) == 2


def test_unpaid_buyer_won_ab4002_2_3_and_has_a_phone(demo: Dataset) -> None:
    work = next(w for w in works_of(demo, "AB4002") if w["art_code"] == "AB4002-2-3")
    buyer = next(p for p in records(demo, "people") if p["id"] == work["winner_id"])

    assert (work["status"], buyer["first_name"], buyer["last_name"], bool(buyer["phone"])) == (
        "sold",
        "Chris",
        "Walker",
        True,
    )


def test_live_event_rounds_are_finished_running_and_not_started(demo: Dataset) -> None:
    event_id = events_by_eid(demo)["AB4003"]["id"]
    rounds = {
        r["round_number"]: (r["is_finished"], r["closing_time"])
        for r in records(demo, "rounds")
        if r["event_id"] == event_id
    }

    assert (rounds[1][0], rounds[2], rounds[3]) == (
        True,
        (False, demo.as_of + timedelta(minutes=10)),
        (False, None),
    )


def test_live_event_has_12_active_works_without_closing_times(demo: Dataset) -> None:
    works = works_of(demo, "AB4003")

    assert [(w["status"], w["closing_time"]) for w in works] == [("active", None)] * 12


def test_live_event_bids_are_on_round_one_works_only(demo: Dataset) -> None:
    works = works_of(demo, "AB4003")

    assert {w["round"] for w in works if w["bid_count"] > 0} == {1}


def test_live_event_qr_codes_are_all_under_an_hour_old(demo: Dataset) -> None:
    ages = [demo.as_of - c["generated_at"] for c in records(demo, "qr_codes")]

    assert max(ages) < timedelta(minutes=60)


def test_only_the_newest_live_qr_code_is_active(demo: Dataset) -> None:
    codes = sorted(records(demo, "qr_codes"), key=lambda c: c["generated_at"])

    assert [c["is_active"] for c in codes] == [False] * (len(codes) - 1) + [True]


def test_live_event_cache_was_updated_within_the_last_minute(demo: Dataset) -> None:
    stamps = [
        c["last_updated"]
        for c in records(demo, "endpoint_cache_versions")
        if c["event_eid"] == "AB4003"
    ]

    assert demo.as_of - max(stamps) <= timedelta(minutes=1)


def test_full_portion_event_pays_artists_everything_in_aud(demo: Dataset) -> None:
    event = events_by_eid(demo)["AB4004"]

    assert (event["currency"], event["artist_auction_portion"]) == ("AUD", Decimal("1.00"))


def test_charity_event_has_paid_works_and_no_payouts(demo: Dataset) -> None:
    paid = [w for w in works_of(demo, "AB4005") if w["status"] == "paid"]
    payouts = [p for p in _payout_events(demo) if p[1] == "AB4005"]

    assert (bool(paid), payouts) == (True, [])


def test_hidden_event_is_enabled_but_not_shown_and_ahead_of_its_cache(demo: Dataset) -> None:
    event = events_by_eid(demo)["AB4006"]
    newest = max(
        c["last_updated"]
        for c in records(demo, "endpoint_cache_versions")
        if c["event_eid"] == "AB4006"
    )

    assert (event["enabled"], event["show_in_app"], event["updated_at"] - newest) == (
        True,
        False,
        timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("eid", "column"),
    [
        ("AB4007", "venue_id"),
        ("AB4008", "currency"),
        ("AB4016", "city_id"),
        ("AB4010", "eventbrite_id"),
        ("AB4011", "eventbrite_id"),
        ("AB4012", "eventbrite_id"),
        ("AB2750", "timezone_icann"),
    ],
)
def test_fixture_event_lacks_its_column(demo: Dataset, eid: str, column: str) -> None:
    assert events_by_eid(demo)[eid][column] is None


@pytest.mark.parametrize(
    ("eid", "currency"),
    [
        ("AB4010", "THB"),
        ("AB4012", "EUR"),
        ("AB4013", "USD"),
        ("AB4004", "AUD"),
    ],
)
def test_fixture_event_uses_its_currency(demo: Dataset, eid: str, currency: str) -> None:
    assert events_by_eid(demo)[eid]["currency"] == currency


def test_currency_mismatch_event_is_in_a_canadian_city(demo: Dataset) -> None:
    event = events_by_eid(demo)["AB4013"]
    city = next(c for c in records(demo, "cities") if c["id"] == event["city_id"])
    country = next(c for c in records(demo, "countries") if c["id"] == city["country_id"])

    assert country["code"] == "CA"


def test_missing_city_event_keeps_its_omaha_venue(demo: Dataset) -> None:
    venue_id = events_by_eid(demo)["AB4016"]["venue_id"]
    venue = next(v for v in records(demo, "venues") if v["id"] == venue_id)
    city = next(c for c in records(demo, "cities") if c["id"] == venue["city_id"])

    assert city["name"] == "Omaha"


@pytest.mark.parametrize("eid", ["AB4011", "AB4014"])
def test_draft_and_never_run_events_are_disabled_and_hidden(demo: Dataset, eid: str) -> None:
    event = events_by_eid(demo)[eid]

    assert (event["enabled"], event["show_in_app"]) == (False, False)


def test_never_run_event_has_no_rounds_and_no_art(demo: Dataset) -> None:
    event_id = events_by_eid(demo)["AB4014"]["id"]
    rounds = [r for r in records(demo, "rounds") if r["event_id"] == event_id]

    assert (rounds, works_of(demo, "AB4014")) == ([], [])


def test_stale_eventbrite_fixture_latest_snapshot_is_three_days_old(demo: Dataset) -> None:
    latest = _latest_snapshot(demo, "AB4009")
    age = demo.as_of.replace(tzinfo=None) - latest["fetched_at"]

    assert timedelta(days=3) <= age < timedelta(days=3, hours=6)


def test_error_fixture_latest_snapshot_failed_with_zero_totals(demo: Dataset) -> None:
    latest = _latest_snapshot(demo, "AB4017")

    assert (
        latest["api_response_status"],
        latest["api_response_code"],
        latest["api_error_message"],
        latest["gross_revenue"],
        latest["data_quality_score"],
    ) == ("error", 403, "NOT_AUTHORIZED", 0, 0)


def test_ready_event_latest_snapshot_is_fresh(demo: Dataset) -> None:
    latest = _latest_snapshot(demo, "AB4015")

    assert latest["expires_at"] > demo.as_of.replace(tzinfo=None)


def test_ready_event_has_12_confirmed_artists_and_2_pending_invitations(demo: Dataset) -> None:
    confirmed = [
        c
        for c in records(demo, "artist_confirmations")
        if c["event_eid"] == "AB4015" and c["confirmation_status"] == "confirmed"
    ]
    pending = [
        i
        for i in records(demo, "artist_invitations")
        if i["event_eid"] == "AB4015" and i["status"] == "pending"
    ]

    assert (len(confirmed), len(pending)) == (12, 2)


def test_legacy_fixture_sets_final_price_on_every_paid_work(demo: Dataset) -> None:
    paid = [w for w in works_of(demo, "AB2750") if w["status"] == "paid"]

    assert [w["final_price"] for w in paid] == [w["current_bid"] for w in paid] != []


def test_legacy_fixture_has_votes_without_an_art_code(demo: Dataset) -> None:
    event_id = events_by_eid(demo)["AB2750"]["id"]

    assert any(v["art_id"] is None for v in records(demo, "votes") if v["event_id"] == event_id)


def test_exactly_one_pair_of_events_shares_an_eventbrite_id(demo: Dataset) -> None:
    links: dict[str, list[str]] = {}
    for e in records(demo, "events"):
        if e["eventbrite_id"]:
            links.setdefault(e["eventbrite_id"], []).append(e["eid"])

    shared = [sorted(eids) for eids in links.values() if len(eids) > 1]

    assert shared == [sorted(demo.fixtures["shared_eventbrite_pair"]["eids"])]


def test_shared_eventbrite_pair_has_no_cache_rows(demo: Dataset) -> None:
    eids = set(demo.fixtures["shared_eventbrite_pair"]["eids"])

    assert [r for r in records(demo, "eventbrite_api_cache") if r["eid"] in eids] == []


def test_exactly_three_invitations_point_at_ab9999(demo: Dataset) -> None:
    orphans = [i for i in records(demo, "artist_invitations") if i["event_eid"] == "AB9999"]

    assert len(orphans) == 3


def test_maya_chen_has_two_active_profiles_on_one_person(demo: Dataset) -> None:
    profiles = profiles_named(demo, "Maya Chen") + profiles_named(demo, "Maya Chen Art")
    person = next(p for p in records(demo, "people") if p["phone"] == "+14165550134")

    assert sorted((p["entry_id"], p["person_id"], p["superseded_by"]) for p in profiles) == [
        (310001, person["id"], None),
        (310145, person["id"], None),
    ]


def test_maya_chens_person_has_the_fixture_email(demo: Dataset) -> None:
    person = next(p for p in records(demo, "people") if p["phone"] == "+14165550134")

    assert person["email"] == "maya.chen@example.com"


def test_lucas_moreau_profiles_differ_only_in_phone_format(demo: Dataset) -> None:
    profiles = profiles_named(demo, "Lucas Moreau")

    assert (sorted(p["phone"] for p in profiles), len({p["person_id"] for p in profiles})) == (
        ["(514) 555-0187", "+15145550187"],
        2,
    )


def test_ava_thompsons_old_profile_is_a_resolved_duplicate(demo: Dataset) -> None:
    profiles = profiles_named(demo, "Ava Thompson")
    old = [p for p in profiles if p["superseded_by"] is not None]
    active = [p for p in profiles if p["superseded_by"] is None]

    assert (len(old), len(active), old[0]["is_duplicate"], old[0]["superseded_by"]) == (
        1,
        1,
        True,
        active[0]["id"],
    )


def _owed(dataset: Dataset) -> dict[tuple[Any, str], Decimal]:
    events = {e["id"]: e for e in records(dataset, "events")}
    balance: dict[tuple[Any, str], Decimal] = {}
    for w in records(dataset, "art"):
        e = events[w["event_id"]]
        if w["status"] == "paid" and w["artist_id"] and e["currency"]:
            price = w["final_price"] if w["final_price"] is not None else w["current_bid"]
            key = (w["artist_id"], e["currency"])
            balance[key] = balance.get(key, Decimal(0)) + price * e["artist_auction_portion"]
    for p in records(dataset, "artist_payments"):
        if p["status"] in ("paid", "verified", "processing", "pending"):
            key = (p["artist_profile_id"], p["currency"])
            balance[key] = balance.get(key, Decimal(0)) - p["gross_amount"]
    return {k: v for k, v in balance.items() if v > Decimal("0.01")}


def _account(dataset: Dataset, profile_id: Any) -> str | None:
    return next(
        (
            a["status"]
            for a in records(dataset, "artist_global_payments")
            if a["artist_profile_id"] == profile_id
        ),
        None,
    )


@pytest.mark.parametrize(("name", "status"), [("Priya Nair", "ready"), ("Sofia Rossi", "blocked")])
def test_fixture_artist_is_owed_with_the_stated_account(
    demo: Dataset, name: str, status: str
) -> None:
    profile = profiles_named(demo, name)[0]
    owed = {artist for artist, _ in _owed(demo)}

    assert (profile["id"] in owed, _account(demo, profile["id"])) == (True, status)


def test_demo_owes_between_8_and_15_artists(demo: Dataset) -> None:
    assert 8 <= len({artist for artist, _ in _owed(demo)}) <= 15


def test_summary_counts_the_owed_artists(demo: Dataset) -> None:
    assert demo.summary["owed_artists"] == len({artist for artist, _ in _owed(demo)})


def test_tom_becker_has_a_failed_payout_then_a_paid_retry(demo: Dataset) -> None:
    tom = profiles_named(demo, "Tom Becker")[0]["id"]
    payouts = sorted(
        (p["created_at"], p["status"])
        for p in records(demo, "artist_payments")
        if p["artist_profile_id"] == tom
    )

    assert [status for _, status in payouts] == ["failed", "paid"]


def test_diego_alvarez_has_one_pending_request_for_ab4001_and_ab4004(demo: Dataset) -> None:
    diego = profiles_named(demo, "Diego Alvarez")[0]["id"]
    requests = [
        (r["status"], sorted(r["events_referenced"]))
        for r in records(demo, "artist_manual_payment_requests")
        if r["artist_profile_id"] == diego
    ]

    assert requests == [("pending", ["AB4001", "AB4004"])]


def test_sms_conversation_has_six_messages_ending_in_stop(demo: Dataset) -> None:
    phone = "+16175550142"
    thread = sorted(
        [
            (m["created_at"], "out", m["message_body"])
            for m in records(demo, "sms_outbound")
            if m["to_phone"] == phone
        ]
        + [
            (m["created_at"], "in", m["message_body"])
            for m in records(demo, "sms_inbound")
            if m["from_phone"] == phone
        ]
    )

    assert (len(thread), thread[-1][1:]) == (6, ("in", "STOP"))


def test_sms_conversation_person_is_blocked(demo: Dataset) -> None:
    person = next(p for p in records(demo, "people") if p["phone"] == "+16175550142")

    assert person["message_blocked"] == 1


def test_jordan_has_a_first_name_an_email_and_no_last_name(demo: Dataset) -> None:
    person_id = demo.fixtures["null_last_name_person"]["person_id"]
    person = next(p for p in records(demo, "people") if str(p["id"]) == person_id)

    assert (person["first_name"], person["last_name"], bool(person["email"])) == (
        "Jordan",
        None,
        True,
    )
