"""Every fixture of schema.md §8.16 exists with its stated properties."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from artbattle_ops.demo.generator.invariants import Check, View, require

ONE_MINUTE = timedelta(minutes=1)


def _event(view: View, eid: str) -> dict[str, Any]:
    columns = view.dataset.tables["events"].columns
    for row in view.rows("events"):
        if row[1] == eid:
            return dict(zip(columns, row, strict=True))
    raise AssertionError(eid)


def _works(view: View, event_id: Any) -> list[dict[str, Any]]:
    columns = view.dataset.tables["art"].columns
    return [dict(zip(columns, row, strict=True)) for row in view.rows("art") if row[2] == event_id]


def check_event_mix(view: View) -> None:
    """Exactly one live event; upcoming and unlinked-upcoming counts as §9.2 pins them."""
    as_of = view.dataset.as_of
    starts = list(
        view.values("events", "eid", "event_start_datetime", "event_end_datetime", "eventbrite_id")
    )
    live = [eid for eid, start, end, _ in starts if start <= as_of < end]
    upcoming = [(eid, link) for eid, start, _, link in starts if start > as_of]
    require(live == ["AB4003"], "fixtures.one_live_event", live)
    if view.spec is not None and view.spec.is_demo:
        require(len(upcoming) == 10, "fixtures.demo_upcoming", len(upcoming))
    if view.spec is not None:
        unlinked = sum(1 for _, link in upcoming if link is None)
        expected = view.spec.upcoming_without_eventbrite + 3
        require(unlinked == expected, "fixtures.upcoming_without_eventbrite", unlinked)
    shared = Counter(link for _, _, _, link in starts if link)
    pairs = [link for link, n in shared.items() if n > 1]
    require(len(pairs) == 1 and shared[pairs[0]] == 2, "fixtures.shared_eventbrite_pair", pairs)


def check_past_fixtures(view: View) -> None:
    """AB4001, AB4002, AB4004, AB4005, AB4013, AB4014 and AB2750 as §8.16 describes them."""
    healthy = _event(view, "AB4001")
    statuses = {w["status"] for w in _works(view, healthy["id"])}
    require({"sold", "paid", "closed"} <= statuses, "fixtures.AB4001.mix", statuses)
    sold = next(
        w for w in _works(view, _event(view, "AB4002")["id"]) if w["art_code"] == "AB4002-2-3"
    )
    people = view.by_id("people")
    require(
        sold["status"] == "sold" and bool(people[sold["winner_id"]][2]),
        "fixtures.AB4002.unpaid_buyer",
        sold["art_code"],
    )
    _check_unpaid_works(view, _event(view, "AB4002"))
    require(
        _event(view, "AB4004")["artist_auction_portion"] == Decimal("1.00")
        and _event(view, "AB4004")["currency"] == "AUD",
        "fixtures.AB4004",
        "portion",
    )
    charity = _event(view, "AB4005")
    paid = [w["id"] for w in _works(view, charity["id"]) if w["status"] == "paid"]
    require(charity["artist_auction_portion"] == 0 and bool(paid), "fixtures.AB4005", paid)
    mismatch = _event(view, "AB4013")
    require(mismatch["currency"] == "USD", "fixtures.AB4013", mismatch["currency"])
    never = _event(view, "AB4014")
    rounds = [r for (r,) in view.values("rounds", "event_id") if r == never["id"]]
    require(
        not never["enabled"] and not rounds and not _works(view, never["id"]),
        "fixtures.AB4014",
        len(rounds),
    )
    legacy = _event(view, "AB2750")
    works = _works(view, legacy["id"])
    require(legacy["timezone_icann"] is None, "fixtures.AB2750.timezone", legacy["eid"])
    require(
        all(w["final_price"] is not None for w in works if w["status"] == "paid"),
        "fixtures.AB2750.final_price",
        legacy["eid"],
    )
    null_codes = [
        v
        for v, e, code in view.values("votes", "id", "event_id", "art_id")
        if e == legacy["id"] and code is None
    ]
    require(bool(null_codes), "fixtures.AB2750.null_art_id", legacy["eid"])


def _check_unpaid_works(view: View, event: dict[str, Any]) -> None:
    """Exactly two of AB4002's paid works have no payout for their artist at that event."""
    paid_out = {
        (artist, meta.get("event_eid"))
        for artist, meta in view.values("artist_payments", "artist_profile_id", "metadata")
    }
    unpaid = [
        w["art_code"]
        for w in _works(view, event["id"])
        if w["status"] == "paid" and (w["artist_id"], "AB4002") not in paid_out
    ]
    require(len(unpaid) == 2, "fixtures.AB4002.paid_without_payout", unpaid)


def check_live_fixture(view: View) -> None:
    """AB4003: round 1 done, round 2 closing at as_of + 10 min, 12 active works, fresh cache."""
    as_of = view.dataset.as_of
    live = _event(view, "AB4003")
    require(live["event_start_datetime"] == as_of - timedelta(minutes=100), "live.start", live)
    rounds = {
        r: (finished, closing)
        for e, r, finished, closing in view.values(
            "rounds", "event_id", "round_number", "is_finished", "closing_time"
        )
        if e == live["id"]
    }
    require(rounds.get(1, (False,))[0] is True, "live.round1_finished", rounds)
    require(rounds.get(2) == (False, as_of + timedelta(minutes=10)), "live.round2", rounds)
    require(rounds.get(3) == (False, None), "live.round3", rounds)
    works = _works(view, live["id"])
    require(
        len(works) == 12
        and all(w["status"] == "active" and w["closing_time"] is None for w in works),
        "live.works",
        len(works),
    )
    require(all(w["round"] == 1 or w["bid_count"] == 0 for w in works), "live.bids", "round 2")
    codes = [c for e, c in view.values("qr_codes", "event_id", "code") if e == live["id"]]
    require(bool(codes), "live.qr_codes", codes)
    newest = max(
        at
        for at, eid in view.values("endpoint_cache_versions", "last_updated", "event_eid")
        if eid == "AB4003"
    )
    require(as_of - ONE_MINUTE <= newest <= as_of, "live.cache_fresh", newest)


def check_upcoming_fixtures(view: View) -> None:
    """The flags, gaps and links of AB4006-AB4012, AB4015 and AB4016."""
    hidden = _event(view, "AB4006")
    cache = max(
        at
        for at, eid in view.values("endpoint_cache_versions", "last_updated", "event_eid")
        if eid == "AB4006"
    )
    require(hidden["enabled"] and not hidden["show_in_app"], "fixtures.AB4006.flags", hidden)
    require(hidden["updated_at"] == cache + timedelta(hours=1), "fixtures.AB4006.cache", cache)
    require(_event(view, "AB4007")["venue_id"] is None, "fixtures.AB4007", "venue")
    require(_event(view, "AB4008")["currency"] is None, "fixtures.AB4008", "currency")
    for eid, currency in (("AB4010", "THB"), ("AB4011", "USD"), ("AB4012", "EUR")):
        e = _event(view, eid)
        require(e["eventbrite_id"] is None and e["currency"] == currency, f"fixtures.{eid}", e)
    draft = _event(view, "AB4011")
    require(not draft["enabled"] and not draft["show_in_app"], "fixtures.AB4011.draft", draft)
    ready = _event(view, "AB4015")
    require(
        all(
            ready[k] is not None
            for k in ("venue_id", "city_id", "currency", "event_start_datetime", "eventbrite_id")
        )
        and ready["enabled"]
        and ready["show_in_app"],
        "fixtures.AB4015.ready",
        ready,
    )
    confirmed = sum(
        1
        for eid, s in view.values("artist_confirmations", "event_eid", "confirmation_status")
        if eid == "AB4015" and s == "confirmed"
    )
    pending = sum(
        1
        for eid, s in view.values("artist_invitations", "event_eid", "status")
        if eid == "AB4015" and s == "pending"
    )
    require((confirmed, pending) == (12, 2), "fixtures.AB4015.artists", (confirmed, pending))
    missing_city = _event(view, "AB4016")
    venue = view.by_id("venues")[missing_city["venue_id"]]
    omaha = next(i for i, name in view.values("cities", "id", "name") if name == "Omaha")
    require(missing_city["city_id"] is None and venue[4] == omaha, "fixtures.AB4016", venue)


def check_dst_fixtures(view: View) -> None:
    """AB4018/AB4019 straddle a Toronto transition at 19:00 local, an hour apart in UTC;
    AB4020 sits just after a Melbourne transition."""
    before, after = _event(view, "AB4018"), _event(view, "AB4019")
    toronto = ZoneInfo("America/Toronto")
    local = [e["event_start_datetime"].astimezone(toronto) for e in (before, after)]
    require(all(t.hour == 19 for t in local), "fixtures.dst.local_time", local)
    require(local[0].utcoffset() != local[1].utcoffset(), "fixtures.dst.offsets", local)
    utc_hours = {e["event_start_datetime"].hour for e in (before, after)}
    require(len(utc_hours) == 2, "fixtures.dst.utc_hours", utc_hours)
    melbourne = ZoneInfo("Australia/Melbourne")
    start = _event(view, "AB4020")["event_start_datetime"].astimezone(melbourne)
    earlier = start - timedelta(days=8)
    require(
        start.hour == 19 and earlier.utcoffset() != start.utcoffset(),
        "fixtures.dst.melbourne",
        start,
    )


def check_vote_distribution(view: View) -> None:
    """vote_factor bands of §8.5 within ±5 points, and the 7.00 votes: exactly one at demo."""
    factors = [f for (f,) in view.values("votes", "vote_factor")]
    n = len(factors)
    ones = sum(1 for f in factors if f == 1) / n
    middle = sum(1 for f in factors if 1 < f < 2) / n
    high = sum(1 for f in factors if f >= 2) / n
    require(0.45 <= ones <= 0.65, "votes.distribution.one", ones)
    require(0.20 <= middle <= 0.40, "votes.distribution.middle", middle)
    require(0.05 <= high <= 0.25, "votes.distribution.high", high)
    sevens = sum(1 for f in factors if f == 7)
    exact = view.spec is not None and view.spec.is_demo
    require(sevens == 1 if exact else sevens >= 1, "votes.super_fan", sevens)


def _profiles(view: View, name: str) -> list[dict[str, Any]]:
    columns = view.dataset.tables["artist_profiles"].columns
    return [
        dict(zip(columns, row, strict=True))
        for row in view.rows("artist_profiles")
        if row[2] == name
    ]


def _person(view: View, column: str, value: Any) -> dict[str, Any]:
    columns = view.dataset.tables["people"].columns
    position = columns.index(column)
    return next(
        dict(zip(columns, row, strict=True))
        for row in view.rows("people")
        if row[position] == value
    )


def check_duplicate_fixtures(view: View) -> None:
    """Maya Chen's two active profiles share a person; Lucas Moreau's phones differ only in
    format; Ava Thompson's old profile is superseded; Jordan has no last name."""
    maya = {
        p["entry_id"]: p for p in (*_profiles(view, "Maya Chen"), *_profiles(view, "Maya Chen Art"))
    }
    person = _person(view, "phone", "+14165550134")
    require(
        set(maya) == {310001, 310145}
        and all(
            p["person_id"] == person["id"] and p["superseded_by"] is None for p in maya.values()
        )
        and person["email"] == "maya.chen@example.com",
        "fixtures.maya_chen",
        sorted(maya),
    )
    lucas = _profiles(view, "Lucas Moreau")
    require(
        sorted(p["phone"] for p in lucas) == ["(514) 555-0187", "+15145550187"]
        and len({p["person_id"] for p in lucas}) == 2,
        "fixtures.lucas_moreau",
        lucas,
    )
    ava = _profiles(view, "Ava Thompson")
    old = [p for p in ava if p["superseded_by"] is not None]
    require(len(ava) == 2 and len(old) == 1 and old[0]["is_duplicate"], "fixtures.ava", ava)
    jordan = [p for p in view.rows("people") if p[6] == "Jordan" and p[7] is None and p[1]]
    require(bool(jordan), "fixtures.jordan", "missing")


def check_payment_fixtures(view: View) -> None:
    """Priya owed with a ready account; Sofia owed but blocked; Tom's failed payout then paid
    retry; Diego's pending request for AB4001 and AB4004; Chris Walker won AB4002-2-3."""
    accounts = {
        a: s for a, s in view.values("artist_global_payments", "artist_profile_id", "status")
    }
    paid_out = {
        (a, (m or {}).get("event_eid"))
        for a, m in view.values("artist_payments", "artist_profile_id", "metadata")
    }
    for name, eid, status in (
        ("Priya Nair", "AB4002", "ready"),
        ("Sofia Rossi", "AB4001", "blocked"),
    ):
        profile = _profiles(view, name)[0]
        require(
            accounts.get(profile["id"]) == status and (profile["id"], eid) not in paid_out,
            f"fixtures.{name}",
            accounts.get(profile["id"]),
        )
    tom = _profiles(view, "Tom Becker")[0]["id"]
    statuses = [
        s
        for a, s, at in sorted(
            view.values("artist_payments", "artist_profile_id", "status", "created_at"),
            key=lambda r: r[2],
        )
        if a == tom
    ]
    require(statuses == ["failed", "paid"], "fixtures.tom_becker", statuses)
    diego = _profiles(view, "Diego Alvarez")[0]["id"]
    requests = [
        (s, sorted(e))
        for a, s, e in view.values(
            "artist_manual_payment_requests", "artist_profile_id", "status", "events_referenced"
        )
        if a == diego
    ]
    require(requests == [("pending", ["AB4001", "AB4004"])], "fixtures.diego", requests)
    chris = _person(view, "phone", "+15145550163")
    won = [
        code
        for code, winner in view.values("art", "art_code", "winner_id")
        if winner == chris["id"]
    ]
    require("AB4002-2-3" in won, "fixtures.chris_walker", won)


FIXTURE_CHECKS: tuple[Check, ...] = (
    check_duplicate_fixtures,
    check_payment_fixtures,
    check_event_mix,
    check_past_fixtures,
    check_live_fixture,
    check_upcoming_fixtures,
    check_dst_fixtures,
    check_vote_distribution,
)
