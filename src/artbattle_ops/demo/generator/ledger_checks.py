"""Invariants of money and messages: payouts, Eventbrite snapshots, campaigns, offers (§8.17)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from artbattle_ops.demo.generator.invariants import Check, View, require

MANUAL_METHODS = {"bank_transfer", "check", "cash", "paypal", "other"}
SIX_HOURS = timedelta(hours=6)


def check_payouts(view: View) -> None:
    """art_id, when set, is a paid work of the artist; manual rows have no art_id and carry a
    description and creator; net = gross - platform fee - Stripe fee."""
    art = {
        i: (artist, status) for i, artist, status in view.values("art", "id", "artist_id", "status")
    }
    for row in view.values(
        "artist_payments",
        "id",
        "artist_profile_id",
        "art_id",
        "gross_amount",
        "platform_fee",
        "stripe_fee",
        "net_amount",
        "payment_type",
        "payment_method",
        "description",
        "created_by",
    ):
        pid, artist, art_id, gross, platform, stripe, net, kind, method, text, creator = row
        require(net == gross - platform - stripe, "payouts.net", pid)
        if art_id is not None:
            require(art.get(art_id) == (artist, "paid"), "payouts.art_is_paid_work", pid)
        if kind == "manual":
            require(
                art_id is None and method in MANUAL_METHODS and bool(text) and bool(creator),
                "payouts.manual_row",
                pid,
            )


def check_owed_range(view: View) -> None:
    """The number of artists owed more than 0.01 lands in the scale's range (§9.2)."""
    if view.spec is None:
        return
    events = {
        i: (currency, portion)
        for i, currency, portion in view.values(
            "events", "id", "currency", "artist_auction_portion"
        )
    }
    balance: dict[tuple[Any, str], Decimal] = defaultdict(Decimal)
    for artist, event_id, status, final, current in view.values(
        "art", "artist_id", "event_id", "status", "final_price", "current_bid"
    ):
        currency, portion = events[event_id]
        if status == "paid" and artist is not None and currency is not None:
            balance[(artist, currency)] += (final if final is not None else current) * portion
    for artist, gross, currency, status in view.values(
        "artist_payments", "artist_profile_id", "gross_amount", "currency", "status"
    ):
        if status in ("paid", "verified", "processing", "pending"):
            balance[(artist, currency)] -= gross
    owed = {artist for (artist, _), amount in balance.items() if amount > Decimal("0.01")}
    low, high = view.spec.owed_artists
    require(low <= len(owed) <= high, "payouts.owed_artist_count", (len(owed), low, high))


def check_eventbrite(view: View) -> None:
    """Successful snapshots never decrease per event; expires = fetched + 6 h; revenue and
    fee columns follow the mapping of §8.10."""
    if "eventbrite_api_cache" not in view.dataset.tables:
        return
    series: dict[Any, list[tuple[Any, int, Decimal]]] = defaultdict(list)
    for row in view.values(
        "eventbrite_api_cache",
        "id",
        "eid",
        "fetched_at",
        "expires_at",
        "api_response_status",
        "total_tickets_sold",
        "gross_revenue",
        "ticket_revenue",
        "net_deposit",
        "total_fees",
        "eventbrite_fees",
        "taxes_collected",
    ):
        cid, eid, fetched, expires, status, tickets, gross, revenue, net, fees, eb_fees, tax = row
        require(expires == fetched + SIX_HOURS, "eventbrite.expires", cid)
        require(revenue == net + fees, "eventbrite.ticket_revenue", cid)
        require(eb_fees == fees and tax == 0, "eventbrite.fees", cid)
        if status == "error":
            require(tickets == 0 and gross == 0, "eventbrite.error_zero", cid)
            continue
        series[eid].append((fetched, tickets, gross))
    for eid, snapshots in series.items():
        snapshots.sort()
        for before, after in itertools.pairwise(snapshots):
            require(after[1] >= before[1] and after[2] >= before[2], "eventbrite.monotonic", eid)


def check_campaign_counters(view: View) -> None:
    """Campaign counters equal their sms_outbound rows; redeemed_count equals redemptions."""
    if "sms_marketing_campaigns" in view.dataset.tables:
        by_status: dict[Any, Counter[str]] = defaultdict(Counter)
        for campaign, status in view.values("sms_outbound", "campaign_id", "status"):
            if campaign is not None:
                by_status[campaign][status] += 1
        for cid, sent, delivered, failed in view.values(
            "sms_marketing_campaigns",
            "id",
            "messages_sent",
            "messages_delivered",
            "messages_failed",
        ):
            counts = by_status[cid]
            require(sent == sum(counts.values()) - counts["pending"], "campaigns.sent", cid)
            require(delivered == counts["delivered"], "campaigns.delivered", cid)
            require(failed == counts["failed"] + counts["undelivered"], "campaigns.failed", cid)
    if "offers" in view.dataset.tables:
        redemptions = Counter(o for (o,) in view.values("offer_redemptions", "offer_id"))
        for oid, redeemed in view.values("offers", "id", "redeemed_count"):
            require(redeemed == redemptions[oid], "offers.redeemed_count", oid)


LEDGER_CHECKS: tuple[Check, ...] = (
    check_payouts,
    check_owed_range,
    check_eventbrite,
    check_campaign_counters,
)
