"""Slack mrkdwn for the most asked-about tools; every other tool uses the generic formatter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from artbattle_ops.router.offline.money import money_text, scalar_text
from artbattle_ops.router.offline.rendering import (
    render_block,
    render_error,
    render_generic,
    render_warnings,
)

Data = Mapping[str, Any]


def render(envelope: Mapping[str, Any]) -> str:
    """The envelope as Slack text: an error, a specific formatter, or the generic one."""
    if not envelope.get("ok"):
        return render_error(envelope)
    formatter = FORMATTERS.get(str(envelope.get("tool")))
    data = envelope.get("data")
    if formatter is None or not isinstance(data, Mapping):
        return render_generic(envelope)
    return "\n".join([*formatter(data), *render_warnings(envelope)])


def event_line(event: Data) -> str:
    """`*AB4001* AB4001 – Toronto · Thu 26 Nov 2026, 7:00 PM EST · past`."""
    parts = [f"*{event.get('eid')}* {event.get('name') or ''}".strip()]
    if event.get("start"):
        parts.append(scalar_text(event["start"]))
    if event.get("phase"):
        parts.append(str(event["phase"]))
    return " · ".join(parts)


def _lookup_event(data: Data) -> list[str]:
    event = data.get("event")
    if isinstance(event, Mapping):
        city = (event.get("city") or {}).get("name")
        venue = (event.get("venue") or {}).get("name")
        lines = [event_line(event), f"City: {city or '—'} · Venue: {venue or '—'}"]
        lines.append(
            f"Currency: {event.get('currency') or '—'} · Visible in app: "
            f"{scalar_text(event.get('visible_in_app'))}"
        )
        return lines
    lines = ["*Upcoming events*", *render_block(data.get("upcoming") or {}, event_line)]
    return [
        *lines,
        "*Recent past events*",
        *render_block(data.get("recent_past") or {}, event_line),
    ]


# Everyone the tool returns (up to 25 artists; above that, its summary mode keeps the top 20):
# a payout list cut at ten would hide artists who are owed.
OWED_ROWS = 25


def _owed_line(row: Data) -> str:
    artist = row.get("artist") or {}
    text = f"*{artist.get('name')}* — {money_text(row.get('balance_owed') or {})}"
    if row.get("event_credit"):
        text += f" (this event {money_text(row['event_credit'])})"
    return text + ("" if row.get("payout_ready") else " · payout not set up")


def _artists(count: int) -> str:
    return "1 artist" if count == 1 else f"{count} artists"


def _artists_owed(data: Data) -> list[str]:
    artists = data.get("artists") or {}
    lines = [
        f"*Artists still owed* ({artists.get('total', 0)})",
        *render_block(artists, _owed_line, limit=OWED_ROWS),
    ]
    totals = (data.get("totals_by_currency") or {}).get("items") or []
    if totals:
        lines.append(
            "Totals: "
            + ", ".join(f"{money_text(t)} ({_artists(int(t.get('count') or 0))})" for t in totals)
        )
    return lines


def _revenue_line(row: Data) -> str:
    who = (row.get("artist") or {}).get("name") if "artist" in row else f"Round {row.get('round')}"
    return (
        f"*{who or 'No artist'}* — gross {money_text(row.get('gross') or {})}, "
        f"{row.get('works_sold')} sold, buyers owe {money_text(row.get('awaiting_payment') or {})}"
    )


def _auction_revenue(data: Data) -> list[str]:
    event = data.get("event") or {}
    lines = [f"*Auction revenue* for *{event.get('eid')}* {event.get('name') or ''}".rstrip()]
    summary = data.get("summary")
    if isinstance(summary, Mapping):
        for key, text in (
            ("gross", "Gross"),
            ("paid", "Paid by buyers"),
            ("awaiting_payment", "Still owed by buyers"),
            ("gross_with_tax", "Gross with tax"),
            ("artist_share", "Artist share"),
            ("house_share", "House share"),
            ("highest", "Highest sale"),
            ("average", "Average sale"),
        ):
            if summary.get(key) is not None:
                lines.append(f"{text}: {money_text(summary[key])}")
        lines.append(
            f"Works sold: {summary.get('works_sold')} · unsold: {summary.get('unsold_count')}"
        )
        return lines
    return [*lines, *render_block(data.get("breakdown") or {}, _revenue_line)]


def _event_summary(data: Data) -> list[str]:
    event, art = data.get("event") or {}, data.get("artworks") or {}
    sales, bids, votes = data.get("sales") or {}, data.get("bids") or {}, data.get("votes") or {}
    return [
        f"*Event summary* {event_line(event)}",
        f"Artworks: {art.get('total')} ({art.get('sold_count')} sold, "
        f"{art.get('unsold_count')} unsold) by {art.get('unique_artists')} artists",
        f"Gross sales: {scalar_text(sales.get('gross_sales'))} · paid "
        f"{scalar_text(sales.get('paid_sales'))} · awaiting payment "
        f"{scalar_text(sales.get('awaiting_payment'))}",
        f"Highest sale: {scalar_text(sales.get('highest_sale'))} · average "
        f"{scalar_text(sales.get('average_sale'))}",
        f"Bids: {bids.get('total_bids')} from {bids.get('unique_bidders')} bidders",
        f"Votes: {votes.get('total_votes')} from {votes.get('unique_voters')} voters "
        f"(weighted {scalar_text(votes.get('weighted_votes'))})",
    ]


def _person_line(person: Data) -> str:
    profiles = ((person.get("artist_profiles") or {}).get("items")) or []
    contact = " · ".join(str(person[key]) for key in ("email", "phone") if person.get(key))
    text = f"*{person.get('name') or 'No name'}* — {contact or 'no contact details'}"
    if profiles:
        text += " · artist: " + ", ".join(str(p.get("name")) for p in profiles)
    return text + ("" if person.get("is_active", True) else " · superseded")


def _lookup_person(data: Data) -> list[str]:
    people = data.get("people") or {}
    heading = f"*People* ({people.get('total', 0)}, by {data.get('search_by_used')})"
    return [heading, *render_block(people, _person_line)]


def _profile_line(row: Data) -> str:
    """One profile with the id a write needs, where it is from and how to reach the artist."""
    parts = [f"*{row.get('name')}* `{row.get('artist_profile_id')}`"]
    if row.get("country"):
        parts.append(str(row["country"]))
    if row.get("profile_email"):
        parts.append(str(row["profile_email"]))
    if row.get("last_event_eid"):
        parts.append(f"last event {row['last_event_eid']}")
    if row.get("superseded_by"):
        parts.append(f"superseded by `{row['superseded_by']}`")
    elif row.get("is_active") is False:
        parts.append("inactive")
    return " · ".join(parts)


def _lookup_artist_profile(data: Data) -> list[str]:
    profiles = data.get("profiles") or {}
    return [
        f"*Artist profiles* ({profiles.get('total', 0)})",
        *render_block(profiles, _profile_line),
    ]


def _payment_line(row: Data) -> str:
    artist = (row.get("artist") or {}).get("name")
    where = row.get("art_code") or "manual"
    return (
        f"*{artist}* — {money_text(row.get('gross_amount') or {})} {row.get('status')} "
        f"({where}, {scalar_text(row.get('created_at'))})"
    )


def _payment_ledger(data: Data) -> list[str]:
    payments = data.get("payments") or {}
    lines = [
        f"*Artist payments* ({payments.get('total', 0)})",
        *render_block(payments, _payment_line),
    ]
    for group, items in (data.get("totals") or {}).items():
        rows = (items or {}).get("items") or []
        if rows:
            lines.append(
                f"{group.replace('_', ' ').capitalize()}: " + ", ".join(money_text(r) for r in rows)
            )
    if data.get("unlinked_payments_note"):
        lines.append(f"_{data['unlinked_payments_note']}_")
    return lines


FORMATTERS: dict[str, Callable[[Data], list[str]]] = {
    "lookup_event": _lookup_event,
    "get_artists_owed": _artists_owed,
    "get_auction_revenue": _auction_revenue,
    "get_event_summary": _event_summary,
    "lookup_person": _lookup_person,
    "lookup_artist_profile": _lookup_artist_profile,
    "get_artist_payment_ledger": _payment_ledger,
}
