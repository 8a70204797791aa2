"""What tests look up instead of hard-coding: fixture roles with their ids, and a summary."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from artbattle_ops.demo.dataset import Dataset
from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.invariants import View
from artbattle_ops.demo.generator.world import World


def collect_fixtures(world: World, dataset: Dataset) -> dict[str, Any]:
    """Fixture role -> {eid, ids...}; JSON-serialisable (ids as strings)."""
    view = View(dataset)
    fixtures: dict[str, Any] = {}
    for f in fx.FIXTURE_EVENTS:
        e = world.event(f.eid)
        fixtures[f.role] = {"eid": e.eid, "event_id": str(e.id)}
    fixtures["sold_without_payout_event"]["unpaid_buyer_art_code"] = fx.UNPAID_BUYER_ART
    fixtures.update(_people_fixtures(world, view))
    pair = sorted(
        (e for e in world.events if e.era == "legacy" and e.role is None),
        key=lambda e: e.day_offset,
    )[:2]
    fixtures["shared_eventbrite_pair"] = {
        "eids": [e.eid for e in pair],
        "eventbrite_id": pair[0].eventbrite_id,
    }
    fixtures["orphan_invitations"] = {
        "eid": fx.ORPHAN_INVITATION_EID,
        "invitation_ids": [
            str(i)
            for i, eid in view.values("artist_invitations", "id", "event_eid")
            if eid == fx.ORPHAN_INVITATION_EID
        ],
    }
    return fixtures


def _people_fixtures(world: World, view: View) -> dict[str, Any]:
    people, artists = world.people, world.artists
    pid = {key: str(people.ids[i]) for key, i in people.fixture.items()}
    aid = {key: str(artists.ids[i]) for key, i in artists.fixture.items()}
    entry = {key: artists.entry_ids[i] for key, i in artists.fixture.items()}
    chris_art = next(a for a in world.nights.art if a.code == fx.UNPAID_BUYER_ART)
    payments = [
        (str(i), s)
        for i, a, s in view.values("artist_payments", "id", "artist_profile_id", "status")
        if str(a) == aid["tom_becker"]
    ]
    requests = [
        str(i)
        for i, a, s in view.values(
            "artist_manual_payment_requests", "id", "artist_profile_id", "status"
        )
        if str(a) == aid["diego_alvarez"] and s == "pending"
    ]
    priya_art = next(a for a in world.nights.art if a.artist == artists.fixture["priya_nair"])
    return {
        "duplicate_profiles_shared_phone": {
            "person_id": pid["maya_chen"],
            "phone": "+14165550134",
            "email": "maya.chen@example.com",
            "artist_profile_ids": [aid["maya_chen"], aid["maya_chen_art"]],
            "entry_ids": [entry["maya_chen"], entry["maya_chen_art"]],
        },
        "duplicate_profiles_phone_format": {
            "artist_profile_ids": [aid["lucas_moreau_a"], aid["lucas_moreau_b"]],
            "person_ids": [pid["lucas_moreau_a"], pid["lucas_moreau_b"]],
            "phones": ["+15145550187", "(514) 555-0187"],
        },
        "resolved_duplicate": {
            "old_profile_id": aid["ava_thompson_old"],
            "primary_profile_id": aid["ava_thompson"],
        },
        "owed_unpaid_artist": {
            "eid": "AB4002",
            "artist_profile_id": aid["priya_nair"],
            "person_id": pid["priya_nair"],
            "art_id": str(priya_art.id),
            "art_code": priya_art.code,
        },
        "failed_payout_retry": {
            "artist_profile_id": aid["tom_becker"],
            "eid": "AB4004",
            "payments": [{"id": i, "status": s} for i, s in payments],
        },
        "blocked_account_artist": {"artist_profile_id": aid["sofia_rossi"], "eid": "AB4001"},
        "pending_manual_request": {
            "artist_profile_id": aid["diego_alvarez"],
            "request_ids": requests,
            "events_referenced": ["AB4001", "AB4004"],
        },
        "unpaid_buyer": {
            "person_id": pid["chris_walker"],
            "art_id": str(chris_art.id),
            "art_code": fx.UNPAID_BUYER_ART,
            "phone": people.phone[people.fixture["chris_walker"]],
        },
        "sms_conversation_phone": {"phone": "+16175550142", "person_id": pid["sms_thread"]},
        "null_last_name_person": {
            "person_id": pid["jordan"],
            "email": people.email[people.fixture["jordan"]],
        },
        "super_fan": {
            "person_id": pid["super_fan"],
            "seven_point_vote_id": str(world.nights.super_fan_vote),
        },
    }


def _queue_defects(view: View) -> dict[str, Any]:
    """Stuck and failed queue rows, expired-but-active and sold-out offers, by id."""
    as_of = view.dataset.as_of
    day, hour = timedelta(days=1), timedelta(hours=1)
    offers = list(
        view.values("offers", "id", "active", "end_date", "total_inventory", "redeemed_count")
    )
    return {
        "stuck_message_queue_ids": [
            str(i)
            for i, status, after in view.values("message_queue", "id", "status", "send_after")
            if status == "pending" and after < as_of - day
        ],
        "stuck_slack_notification_ids": [
            str(i)
            for i, status, at in view.values("slack_notifications", "id", "status", "created_at")
            if status == "pending" and at < as_of - hour
        ],
        "failed_slack_notifications": sum(
            1 for (s,) in view.values("slack_notifications", "status") if s == "failed"
        ),
        "failed_emails": sum(1 for (s,) in view.values("email_logs", "status") if s == "failed"),
        "expired_active_offer_ids": [
            str(i) for i, active, end, _, _ in offers if active and end is not None and end < as_of
        ],
        "sold_out_offer_ids": [
            str(i)
            for i, active, _, total, used in offers
            if active and total is not None and used >= total
        ],
    }


def summarize(world: World, dataset: Dataset, owed: dict[str, object]) -> dict[str, Any]:
    """Row counts, the deliberate defects by id, and expected figures (JSON-serialisable)."""
    view = View(dataset)
    vacated = [
        code for code, artist in view.values("art", "art_code", "artist_id") if artist is None
    ]
    null_code_votes = [str(i) for i, code in view.values("votes", "id", "art_id") if code is None]
    no_profile = sum(
        1 for (p,) in view.values("artist_invitations", "artist_profile_id") if p is None
    )
    scans = {code for (code,) in view.values("people_qr_scans", "qr_code")}
    codes = {code for (code,) in view.values("qr_codes", "code")}
    upcoming = [e for e in world.events if e.phase == "upcoming"]
    factors = Counter(str(f) for (f,) in view.values("votes", "vote_factor"))
    return {
        "row_counts": dataset.row_counts(),
        "events": {
            "upcoming": len(upcoming),
            "live": sum(e.phase == "live" for e in world.events),
            "upcoming_without_eventbrite": sum(e.eventbrite_id is None for e in upcoming),
        },
        "defects": {
            "orphan_invitation_eid": fx.ORPHAN_INVITATION_EID,
            "stale_exchange_rate": "JPY",
            "vacated_art_codes": vacated,
            "votes_without_art_code": null_code_votes,
            "invitations_without_profile": no_profile,
            "scan_codes_missing_from_qr_codes": len(scans - codes),
            "rls_disabled_table": "payment_reminders",
            **_queue_defects(view),
        },
        "votes": {"factor_7_00": factors.get("7.00", 0)},
        **owed,
    }
