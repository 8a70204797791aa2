"""Event nights: rounds, art, contestants, votes, bids, QR scans and cache versions (§8.4-8.9)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from artbattle_ops.demo.generator import fixtures as fx
from artbattle_ops.demo.generator.artists import NO_ARTIST, Artists
from artbattle_ops.demo.generator.auction import Lot, Sale, run_auction
from artbattle_ops.demo.generator.context import Context, minutes
from artbattle_ops.demo.generator.crowd import MIN_GAP_DAYS, NEW_VOTER_SHARE, Crowd
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.lineup import EASELS, Lineup
from artbattle_ops.demo.generator.outcomes import (
    Nights,
    Slot,
    art_row,
    settle_outcome,
    settle_statuses,
)
from artbattle_ops.demo.generator.people import People
from artbattle_ops.demo.generator.scans import Scans, plan_scans
from artbattle_ops.demo.generator.schedule import Strata, Timing, plan_strata, plan_timing
from artbattle_ops.demo.generator.voting import (
    VOTES_PER_VOTER,
    Ballot,
    base_weight_thousandths,
    cast_round,
    easel_weights,
    round_sets,
    top_two,
    vote_factor,
)

SUPER_FAN_OPENINGS = 3
VACATED_SHARE = 0.2
HEALTHY_OFFSET = -7


def run_nights(
    ctx: Context,
    events: list[Event],
    people: People,
    artists: Artists,
    lineups: dict[str, Lineup],
) -> Nights:
    """Play every event night in (start, eid) order, so vote factors see only earlier history."""
    crowd = Crowd(people, ctx.stream("crowd"), NEW_VOTER_SHARE[ctx.spec.name])
    builder = _NightBuilder(ctx, people, artists, crowd, plan_strata(ctx, events))
    fan = people.fixture["super_fan"]
    crowd.isolated[fan] = 1
    fan_done = False
    for k, e in enumerate(events):
        crowd.day = e.day_offset
        if e.eid == fx.HEALTHY_EID:
            fan_done = True
        attends = (
            not fan_done
            and e.era == "recent"
            and e.eid not in fx.DST_EIDS
            and e.has_night
            and crowd.is_rested(fan)
            and e.day_offset <= HEALTHY_OFFSET - MIN_GAP_DAYS
        )
        if e.has_night:
            builder.night(
                k,
                e,
                lineups[e.eid],
                fan_mode="all" if attends else ("scan" if e.eid == fx.HEALTHY_EID else None),
            )
        else:
            builder.rounds_only(e)
    return builder.nights


class _NightBuilder:
    """Plays one event night after another, keeping the rows and the crowd's history."""

    def __init__(
        self,
        ctx: Context,
        people: People,
        artists: Artists,
        crowd: Crowd,
        strata: dict[str, Strata],
    ) -> None:
        self.ctx = ctx
        self.strata = strata
        self.people = people
        self.artists = artists
        self.crowd = crowd
        self.nights = Nights()
        self.rows = self.nights.rows
        self.fan = people.fixture["super_fan"]

    def rounds_only(self, e: Event) -> None:
        """Upcoming events get three unfinished rounds; the never-run fixture gets none."""
        if e.phase == "never_ran":
            return
        for r in (1, 2, 3):
            self.rows["rounds"].append(
                (
                    self.ctx.uid("rounds", f"{e.eid}:{r}"),
                    e.id,
                    r,
                    False,
                    None,
                    None,
                    e.created_at,
                    e.created_at,
                )
            )

    def night(self, k: int, e: Event, lineup: Lineup, fan_mode: str | None) -> None:
        """One night: voters and scans, rounds 1-2, the final, auctions, then the rows.

        `fan_mode` is "all" when the super fan votes in every round, "scan" at the night
        where her valid scan lifts her vote to 7.00, else None.
        """
        rng = self.ctx.stream(f"night:{e.eid}")
        timing = plan_timing(rng, e, self.ctx.as_of)
        slots = {
            (r, s): self._slot(e, r, s, lineup.painters[(r - 1) * EASELS + s - 1])
            for r in (1, 2)
            for s in range(1, EASELS + 1)
        }
        voters, sets = self._voters(rng, e, timing, fan_mode)
        scans = plan_scans(
            self.ctx,
            rng,
            e,
            timing,
            voters,
            self._scan_excluded(voters),
            self.fan if fan_mode == "scan" else None,
        )
        self.rows["people_qr_scans"].extend(scans.rows)
        self.rows["qr_codes"].extend(scans.codes)
        for person, at in scans.seen:
            self.people.seen(person, at)
        factors = self._factors(voters, scans)

        ballots = {
            r: self._ballot(rng, e, r, sets, voters, factors, slots, timing, lineup) for r in (1, 2)
        }
        finalists = [(r, s) for r in (1, 2) for s in top_two(ballots[r].weighted)]
        if timing.closes[2] is not None:
            order = rng.sample(finalists, 4)
            for s, (r, easel) in enumerate(order, start=1):
                slots[(3, s)] = self._slot(e, 3, s, slots[(r, easel)].artist)
            ballots[3] = self._ballot(rng, e, 3, sets, voters, factors, slots, timing, lineup)
        self._vacate(rng, e, slots, finalists, lineup)
        sales = self._auctions(rng, e, slots, timing, voters, fan_mode)
        self._art_rows(k, rng, e, slots, ballots, sales, timing)
        self._contestants(e, lineup, slots, ballots, finalists)
        self._record(e, timing, voters, sets, ballots, sales)
        self.nights.voters[e.eid] = [p for p, _ in voters]

    def _slot(self, e: Event, r: int, s: int, artist: int) -> Slot:
        code = f"{e.eid}-{r}-{s}"
        return Slot(self.ctx.uid("art", code), code, artist)

    def _voters(
        self, rng: random.Random, e: Event, timing: Timing, fan_mode: str | None
    ) -> tuple[list[tuple[int, uuid.UUID]], list[tuple[int, ...]]]:
        count = round(self.strata[e.eid].votes / VOTES_PER_VOTER)
        chosen = self.crowd.choose_voters(rng, e.city.ordinal, count, isolated=e.eid in fx.DST_EIDS)
        sets = round_sets(rng, len(chosen))
        if fan_mode:
            chosen.append(self.fan)
            sets.append((1, 2, 3) if fan_mode == "all" else (1,))
        if timing.closes[2] is None:
            elapsed = (self.ctx.as_of - timing.closes[0]) / (timing.closes[1] - timing.closes[0])
            sets = [
                tuple(r for r in rs if r == 1 or (r == 2 and rng.random() < elapsed)) for rs in sets
            ]
        ids = self.people.ids
        kept = [(p, rs) for p, rs in zip(chosen, sets, strict=True) if rs]
        return [(p, ids[p]) for p, _ in kept], [rs for _, rs in kept]

    def _scan_excluded(self, voters: list[tuple[int, uuid.UUID]]) -> set[int]:
        """Voters already at the 6.00 cap get no valid scan, so 7.00 stays the super fan's."""
        crowd, artist = self.crowd, self.people.is_artist
        return {
            p
            for p, _ in voters
            if base_weight_thousandths(crowd.votes[p], crowd.bid_total[p], bool(artist[p])) >= 6000
        }

    def _factors(self, voters: list[tuple[int, uuid.UUID]], scans: Scans) -> dict[int, Decimal]:
        crowd, artist = self.crowd, self.people.is_artist
        return {
            p: vote_factor(
                base_weight_thousandths(crowd.votes[p], crowd.bid_total[p], bool(artist[p])),
                p in scans.valid,
            )
            for p, _ in voters
        }

    def _ballot(
        self,
        rng: random.Random,
        e: Event,
        r: int,
        sets: list[tuple[int, ...]],
        voters: list[tuple[int, uuid.UUID]],
        factors: dict[int, Decimal],
        slots: dict[tuple[int, int], Slot],
        timing: Timing,
        lineup: Lineup,
    ) -> Ballot:
        easels = EASELS if r < 3 else 4
        low = {s for (lr, s) in lineup.low_easels if lr == r}
        weights = easel_weights(rng, easels, low)
        round_voters = [
            (p, pid, factors[p]) for (p, pid), rs in zip(voters, sets, strict=True) if r in rs
        ]
        opens = timing.first_vote if r == 1 else timing.closes[r - 2]
        closes = timing.closes[r - 1]
        assert opens is not None
        assert closes is not None
        if closes > self.ctx.as_of:
            closes = self.ctx.as_of
        art = [(slots[(r, s)].art_id, slots[(r, s)].code) for s in range(1, easels + 1)]
        null_share = 0.01 if e.era == "legacy" else 0.0
        ballot = cast_round(
            rng,
            round_voters,
            weights,
            (opens, closes),
            art,
            (e.id, e.eid, r),
            self.ctx.uid,
            null_share,
        )
        if r == 2 and e.phase == "live" and ballot.rows:
            ballot = _freshen_last_vote(rng, ballot, self.ctx.as_of)
        if e.eid == fx.LEGACY_FIXTURE_EID and r == 1 and ballot.rows:
            first = ballot.rows[0]
            ballot.rows[0] = (*first[:5], None, *first[6:])
        self.rows["votes"].extend(ballot.rows)
        if e.eid == fx.HEALTHY_EID:
            fan_id = self.people.ids[self.fan]
            for row in ballot.rows:
                if row[8] == fan_id:
                    self.nights.super_fan_vote = row[0]
        return ballot

    def _vacate(
        self,
        rng: random.Random,
        e: Event,
        slots: dict[tuple[int, int], Slot],
        finalists: list[tuple[int, int]],
        lineup: Lineup,
    ) -> None:
        """About 1% of works lose their painter (one work at about a fifth of the background
        events); never a finalist's easel, never at a fixture event."""
        if e.role is not None or self.strata[e.eid].vacate >= VACATED_SHARE:
            return
        candidates = [key for key in sorted(slots) if key[0] < 3 and key not in finalists]
        key = rng.choice(candidates)
        slots[key] = slots[key]._replace(artist=NO_ARTIST)

    def _auctions(
        self,
        rng: random.Random,
        e: Event,
        slots: dict[tuple[int, int], Slot],
        timing: Timing,
        voters: list[tuple[int, uuid.UUID]],
        fan_mode: str | None,
    ) -> dict[tuple[int, int], Sale]:
        pool = [p for p, _ in rng.sample(voters, min(len(voters), 40))]
        if e.eid not in fx.DST_EIDS:
            pool += self.crowd.choose_others(rng, e.city.ordinal, 10)
        pool = [p for p in dict.fromkeys(pool) if p != self.fan]
        no_bids, heat = self.strata[e.eid].no_bids, self.strata[e.eid].heat
        openings = (
            set(rng.sample(sorted(slots), SUPER_FAN_OPENINGS)) if fan_mode == "all" else set()
        )
        symbol = e.city.country.symbol
        chris = self.people.fixture["chris_walker"]
        silent = set(rng.sample(sorted(slots), round(no_bids * len(slots))))

        sales = {}
        for key in sorted(slots):
            slot = slots[key]
            forced = fx.FORCED_STATUSES.get(slot.code)
            count = 0 if key in silent else min(15, max(1, round(rng.gauss(8.5 * heat, 3))))
            if forced == "closed" or (e.phase == "live" and key[0] != 1):
                count = 0
            elif forced or key in openings:
                count = max(count, 2)
            lot = _lot(self.ctx, e, slot, key[0], count, timing)
            winner = chris if slot.code == fx.UNPAID_BUYER_ART else None
            opener = self.fan if key in openings else None
            sales[key] = run_auction(
                rng,
                lot,
                pool,
                self.people.ids,
                (e.currency, symbol),
                lambda k: self.ctx.uid("bids", k),
                opener=opener,
                winner=winner,
            )
            self.rows["bids"].extend(sales[key].rows)
        return sales

    def _art_rows(
        self,
        k: int,
        rng: random.Random,
        e: Event,
        slots: dict[tuple[int, int], Slot],
        ballots: dict[int, Ballot],
        sales: dict[tuple[int, int], Sale],
        timing: Timing,
    ) -> None:
        statuses = settle_statuses(rng, e, slots, sales)
        last = max((b.last_at for b in ballots.values() if b.last_at), default=e.start)
        ids = (self.people.ids, self.artists.ids)
        for key in sorted(slots):
            slot, sale = slots[key], sales[key]
            outcome = settle_outcome(rng, (k, e), slot, key, sale, statuses[key], self.ctx.as_of)
            votes = ballots[key[0]].counts[key[1] - 1]
            if slot.artist != NO_ARTIST:
                self.nights.artist_votes[slot.artist] = (
                    self.nights.artist_votes.get(slot.artist, 0) + votes
                )
            created = e.start - minutes(15) if key[0] < 3 else timing.closes[1]
            assert created is not None
            updated = outcome.paid_at or sale.closing or max(created, sale.last_bid_at or created)
            touched = max(updated, sale.last_bid_at or updated)
            last = max(last, touched)
            self.nights.touched[slot.code] = touched
            title = f"Untitled No. {key[0]}{key[1]}" if rng.random() < 0.3 else None
            self.rows["art"].append(
                art_row(outcome, e, sale, votes, (created, updated, title), ids)
            )
            self.nights.art.append(outcome)
        self.nights.event_last[e.eid] = last
        e.auction_close = timing.auction

    def _contestants(
        self,
        e: Event,
        lineup: Lineup,
        slots: dict[tuple[int, int], Slot],
        ballots: dict[int, Ballot],
        finalists: list[tuple[int, int]],
    ) -> None:
        uid, artist_ids = self.ctx.uid, self.artists.ids
        live = e.phase == "live"
        created = e.start - timedelta(days=1)
        champion = top_two(ballots[3].weighted)[0] if 3 in ballots else None
        for key in sorted(slots):
            r, s = key
            slot = slots[key]
            won = (key in finalists and (r == 1 or not live)) or (r == 3 and s == champion)
            self.rows["round_contestants"].append(
                (
                    uid("round_contestants", f"{e.eid}:{r}:{s}"),
                    uid("rounds", f"{e.eid}:{r}"),
                    artist_ids[slot.artist] if slot.artist != NO_ARTIST else None,
                    s,
                    int(won),
                    True,
                    slot.art_id,
                    created,
                )
            )
        for n, alternate in enumerate(lineup.alternates):
            self.rows["round_contestants"].append(
                (
                    uid("round_contestants", f"{e.eid}:1:alt{n}"),
                    uid("rounds", f"{e.eid}:1"),
                    artist_ids[alternate],
                    None,
                    0,
                    True,
                    None,
                    created,
                )
            )

    def _record(
        self,
        e: Event,
        timing: Timing,
        voters: list[tuple[int, uuid.UUID]],
        sets: list[tuple[int, ...]],
        ballots: dict[int, Ballot],
        sales: dict[tuple[int, int], Sale],
    ) -> None:
        """Round rows, then the night's votes and bids become history for later events."""
        live = e.phase == "live"
        for r in (1, 2, 3):
            closes = timing.closes[r - 1]
            self.rows["rounds"].append(
                (
                    self.ctx.uid("rounds", f"{e.eid}:{r}"),
                    e.id,
                    r,
                    not live or r == 1,
                    None,
                    closes,
                    e.created_at,
                    closes or e.created_at,
                )
            )
        crowd, people, city = self.crowd, self.people, e.city.ordinal
        index = {pid: p for p, pid in voters}
        for (p, _), rs in zip(voters, sets, strict=True):
            if rs:
                crowd.record_votes(city, p, len(rs))
        for ballot in ballots.values():
            for row in ballot.rows:
                people.seen(index[row[8]], row[10])
        for sale in sales.values():
            for person, amount, row in zip(sale.bidders, sale.amounts, sale.rows, strict=True):
                crowd.record_bid(person, amount)
                people.seen(person, row[7])


def _lot(ctx: Context, e: Event, slot: Slot, r: int, count: int, timing: Timing) -> Lot:
    opens = timing.closes[r - 1]
    assert opens is not None
    if e.phase == "live":
        return Lot(slot.art_id, slot.code, count, opens, ctx.as_of - timedelta(seconds=10), True)
    assert timing.auction is not None
    return Lot(slot.art_id, slot.code, count, opens, timing.auction, False)


def _freshen_last_vote(rng: random.Random, ballot: Ballot, as_of: datetime) -> Ballot:
    """The live event's latest vote lands within the last minute, as on a busy night."""
    latest = max(range(len(ballot.rows)), key=lambda i: ballot.rows[i][10])
    at = as_of - timedelta(seconds=rng.uniform(5, 50))
    row = ballot.rows[latest]
    ballot.rows[latest] = (*row[:10], at, at)
    return ballot._replace(last_at=at)
