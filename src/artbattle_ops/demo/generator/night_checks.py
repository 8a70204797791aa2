"""Invariants of event nights: art, contestants, votes, weights, bids and statuses (§8.17)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from artbattle_ops.demo.generator.invariants import Check, View, require

NEVER_RAN = "AB4014"
LIVE = "AB4003"
ONE = Decimal(1)


def check_art(view: View) -> None:
    """art_code = eid-round-easel; (event, round, easel) unique; rounds 1-3, easels in range."""
    eids = {row[0]: row[1] for row in view.values("events", "id", "eid")}
    seen = set()
    for _art_id, code, event_id, rnd, easel in view.values(
        "art", "id", "art_code", "event_id", "round", "easel"
    ):
        require(code == f"{eids[event_id]}-{rnd}-{easel}", "art.code", code)
        require((event_id, rnd, easel) not in seen, "art.unique_slot", code)
        seen.add((event_id, rnd, easel))
        limit = 4 if rnd == 3 else 6
        require(rnd in (1, 2, 3) and 1 <= easel <= limit, "art.round_easel", code)


def check_event_shape(view: View) -> None:
    """Finished events: 3 rounds, 16 contestants on easels, 16 works, 12 painters (fewer if
    vacated), and the round-3 painters are the top two of rounds 1 and 2 by weighted votes."""
    events = {row[0]: row for row in view.values("events", "id", "eid", "current_round")}
    rounds = Counter(event_id for (event_id,) in view.values("rounds", "event_id"))
    art_by_event: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for row in view.values("art", "id", "event_id", "round", "easel", "artist_id", "status"):
        art_by_event[row[1]].append(row)
    weighted: dict[Any, Decimal] = defaultdict(Decimal)
    for art_uuid, factor in view.values("votes", "art_uuid", "vote_factor"):
        weighted[art_uuid] += factor
    on_easel = Counter(
        round_id
        for round_id, easel in view.values("round_contestants", "round_id", "easel_number")
        if easel is not None
    )
    round_event = {rid: eid for rid, eid in view.values("rounds", "id", "event_id")}
    contestants: Counter[Any] = Counter()
    for round_id, count in on_easel.items():
        contestants[round_event[round_id]] += count

    for event_id, (_, eid, current_round) in events.items():
        if current_round != 3 or eid == NEVER_RAN:
            continue
        works = art_by_event[event_id]
        require(rounds[event_id] == 3, "event_shape.rounds", eid)
        require(len(works) == 16, "event_shape.works", (eid, len(works)))
        require(contestants[event_id] == 16, "event_shape.contestants", eid)
        painters = {w[4] for w in works if w[4] is not None}
        vacated = sum(1 for w in works if w[4] is None)
        require(
            len(painters) == 12 or (vacated > 0 and len(painters) >= 12 - vacated),
            "event_shape.painters",
            (eid, len(painters)),
        )
        _check_finalists(eid, works, weighted)


def _check_finalists(eid: str, works: list[tuple[Any, ...]], weighted: dict[Any, Decimal]) -> None:
    expected = set()
    for rnd in (1, 2):
        ranked = sorted((w for w in works if w[2] == rnd), key=lambda w: (-weighted[w[0]], w[3]))
        expected |= {w[4] for w in ranked[:2]}
    finalists = {w[4] for w in works if w[2] == 3}
    require(finalists == expected, "event_shape.finalists", eid)


def check_contestants(view: View) -> None:
    """round_contestants.art_id points to the art of the same event, round and easel."""
    art = {row[0]: row[1:] for row in view.values("art", "id", "event_id", "round", "easel")}
    rounds = {row[0]: row[1:] for row in view.values("rounds", "id", "event_id", "round_number")}
    for cid, round_id, easel, art_id in view.values(
        "round_contestants", "id", "round_id", "easel_number", "art_id"
    ):
        if easel is None:
            require(art_id is None, "contestants.alternate_has_no_art", cid)
            continue
        require(art.get(art_id) == (*rounds[round_id], easel), "contestants.art", cid)


def check_votes(view: View) -> None:
    """Vote fields repeat their art; counts match; one vote per (event, round, person)."""
    art = {
        row[0]: row[1:]
        for row in view.values("art", "id", "event_id", "round", "easel", "art_code", "vote_count")
    }
    eids = {row[0]: row[1] for row in view.values("events", "id", "eid")}
    counts: Counter[Any] = Counter()
    seen = set()
    for vid, event_id, eid, rnd, easel, code, art_uuid, person in view.values(
        "votes", "id", "event_id", "eid", "round", "easel", "art_id", "art_uuid", "person_id"
    ):
        target = art.get(art_uuid)
        require(target is not None and target[0] == event_id, "votes.art_of_event", vid)
        assert target is not None
        require((rnd, easel) == target[1:3], "votes.round_easel", vid)
        require(eid == eids[event_id], "votes.eid", vid)
        require(code is None or code == target[3], "votes.art_code", vid)
        require((event_id, rnd, person) not in seen, "votes.one_per_round", vid)
        seen.add((event_id, rnd, person))
        counts[art_uuid] += 1
    for art_id, row in art.items():
        require(row[4] == counts[art_id], "votes.vote_count", row[3])


def check_vote_factors(view: View) -> None:
    """vote_factor = the §8.5 formula from history before the event (ordered by start, eid),
    plus 1.0 exactly for voters with a valid scan at that event."""
    events = sorted(
        view.values("events", "event_start_datetime", "eid", "id"), key=lambda r: (r[0], r[1])
    )
    artists = {pid for pid, is_artist in view.values("people", "id", "is_artist") if is_artist}
    votes_at: dict[Any, list[tuple[Any, Any, Decimal]]] = defaultdict(list)
    for vid, event_id, person, factor in view.values(
        "votes", "id", "event_id", "person_id", "vote_factor"
    ):
        votes_at[event_id].append((vid, person, factor))
    art_event = {aid: eid for aid, eid in view.values("art", "id", "event_id")}
    bids_at: dict[Any, list[tuple[Any, Decimal]]] = defaultdict(list)
    for art_id, person, amount in view.values("bids", "art_id", "person_id", "amount"):
        bids_at[art_event[art_id]].append((person, amount))
    scanned = {
        (p, e)
        for p, e, valid in view.values("people_qr_scans", "person_id", "event_id", "is_valid")
        if valid
    }

    prior_votes: Counter[Any] = Counter()
    prior_bids: dict[Any, Decimal] = defaultdict(Decimal)
    for _, _, event_id in events:
        for vid, person, factor in votes_at[event_id]:
            base = ONE + (ONE if person in artists else 0)
            base += min(Decimal("0.1") * prior_votes[person], Decimal(3))
            base += min(Decimal("0.001") * prior_bids[person], Decimal(2))
            total = min(base, Decimal(6)) + (ONE if (person, event_id) in scanned else 0)
            expected = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            require(factor == expected, "votes.vote_factor", (vid, factor, expected))
        for _, person, _ in votes_at[event_id]:
            prior_votes[person] += 1
        for person, amount in bids_at[event_id]:
            prior_bids[person] += amount


def check_bids(view: View) -> None:
    """bid_count and current_bid match the bids; each bid beats the previous by 5 or more;
    every bid is at or before the final closing time."""
    by_art: dict[Any, list[tuple[Any, Decimal, Any]]] = defaultdict(list)
    for art_id, amount, at, person in view.values(
        "bids", "art_id", "amount", "created_at", "person_id"
    ):
        by_art[art_id].append((at, amount, person))
    for art_id, code, count, current, closing in view.values(
        "art", "id", "art_code", "bid_count", "current_bid", "closing_time"
    ):
        bids = sorted(by_art.get(art_id, []), key=lambda b: (b[0], b[1]))
        require(count == len(bids), "bids.bid_count", code)
        require(current == (bids[-1][1] if bids else 50), "bids.current_bid", code)
        previous = Decimal(50)
        for at, amount, _ in bids:
            require(amount >= previous + 5, "bids.increment", (code, amount))
            require(closing is None or at <= closing, "bids.before_close", (code, at))
            previous = amount


def check_statuses(view: View) -> None:
    """sold/paid have bids and the top bidder as winner; closed has none and 50; active only
    on the live event or without a closing time; extension_count > 0 iff auction_extended."""
    top: dict[Any, tuple[Any, Decimal, Any]] = {}
    for art_id, amount, at, person in view.values(
        "bids", "art_id", "amount", "created_at", "person_id"
    ):
        if art_id not in top or (at, amount) > top[art_id][:2]:
            top[art_id] = (at, amount, person)
    live = {eid for eid, code in view.values("events", "id", "eid") if code == LIVE}
    for (
        art_id,
        code,
        event_id,
        status,
        winner,
        current,
        closing,
        extended,
        extensions,
    ) in view.values(
        "art",
        "id",
        "art_code",
        "event_id",
        "status",
        "winner_id",
        "current_bid",
        "closing_time",
        "auction_extended",
        "extension_count",
    ):
        if status in ("sold", "paid"):
            require(art_id in top and winner == top[art_id][2], "status.sold_winner", code)
        if status == "closed":
            require(art_id not in top and current == 50, "status.closed", code)
        if status == "active":
            require(event_id in live or closing is None, "status.active", code)
        require((extensions > 0) == extended, "status.extension", code)


NIGHT_CHECKS: tuple[Check, ...] = (
    check_art,
    check_event_shape,
    check_contestants,
    check_votes,
    check_vote_factors,
    check_bids,
    check_statuses,
)
