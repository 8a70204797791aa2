"""Who turns up: new and returning voters per city, visitors, and everyone's history so far."""

from __future__ import annotations

import random

from artbattle_ops.demo.generator.people import NO_PERSON, People

LOCAL_SHARE = 0.85
# Nobody votes or bids at two events fewer than this many nominal days apart, so that the
# order of anyone's events never depends on as_of (time zones move local dates by a day).
MIN_GAP_DAYS = 3
NEVER = -(10**6)
ARTIST_VOTER_SHARE = 0.02
# Chance that a voter slot goes to someone who has never voted, per scale.
NEW_VOTER_SHARE = {"demo": 0.6, "bench": 0.62, "bench10": 0.62}


class Crowd:
    """Voting and bidding history, updated event by event in (start, eid) order."""

    def __init__(self, people: People, rng: random.Random, new_share: float) -> None:
        self.people = people
        self.new_share = new_share
        self.votes = [0] * len(people)
        self.bid_total = [0] * len(people)
        self.isolated = bytearray(len(people))
        self._fresh = [list(pool) for pool in people.public_by_city]
        self._fresh_artists = [list(pool) for pool in people.artists_by_city]
        for pool in (*self._fresh, *self._fresh_artists):
            rng.shuffle(pool)
        self._city_voters: list[list[int]] = [[] for _ in people.public_by_city]
        self._voted_in_city = [set[int]() for _ in people.public_by_city]
        self._all_voters: list[int] = []
        self._ever_voted = bytearray(len(people))
        self.last_day = [NEVER] * len(people)
        self.day = 0

    def is_rested(self, person: int) -> bool:
        """Whether the person's last event is at least MIN_GAP_DAYS before the current one."""
        return self.day - self.last_day[person] >= MIN_GAP_DAYS

    def choose_voters(
        self, rng: random.Random, city: int, count: int, *, isolated: bool
    ) -> list[int]:
        """`count` distinct people for one event's votes."""
        chosen: list[int] = []
        taken: set[int] = set()
        for _ in range(count * 4):
            if len(chosen) >= count:
                break
            person = self._one_voter(rng, city, isolated)
            if person != NO_PERSON and person not in taken:
                taken.add(person)
                chosen.append(person)
        if isolated:
            for person in chosen:
                self.isolated[person] = 1
        return chosen

    def _one_voter(self, rng: random.Random, city: int, isolated: bool) -> int:
        home = city if isolated or rng.random() < LOCAL_SHARE else rng.randrange(len(self._fresh))
        if not isolated and rng.random() < ARTIST_VOTER_SHARE and self._fresh_artists[home]:
            return self._fresh_artists[home].pop()
        if isolated or rng.random() < self.new_share:
            person = self._new(home)
            if person != NO_PERSON or isolated:
                return person
        return self._returning(rng, city if home == city else None)

    def _new(self, city: int) -> int:
        pool = self._fresh[city]
        if pool:
            return pool.pop()
        for other in self._fresh:
            if other:
                return other.pop()
        return NO_PERSON

    def _returning(self, rng: random.Random, city: int | None) -> int:
        pool = self._city_voters[city] if city is not None else self._all_voters
        if not pool:
            pool = self._all_voters
        if not pool:
            return self._new(city or 0)
        for _ in range(5):
            person = pool[rng.randrange(len(pool))]
            if self.is_rested(person):
                return person
        return NO_PERSON

    def choose_others(self, rng: random.Random, city: int, count: int) -> list[int]:
        """Bidders who did not vote at this event: past voters of the city, or newcomers."""
        others = []
        for _ in range(count):
            pool = self._city_voters[city] or self._all_voters
            if pool and rng.random() < 0.7:
                person = pool[rng.randrange(len(pool))]
                if self.is_rested(person):
                    others.append(person)
            else:
                person = self._new(city)
                if person != NO_PERSON:
                    others.append(person)
        return [p for p in others if not self.isolated[p]]

    def record_votes(self, city: int, person: int, votes: int) -> None:
        """Count votes cast at an event that is now over, for the next events' factors."""
        self.votes[person] += votes
        self.last_day[person] = self.day
        if self.isolated[person]:
            return
        if person not in self._voted_in_city[city]:
            self._voted_in_city[city].add(person)
            self._city_voters[city].append(person)
        if not self._ever_voted[person]:
            self._ever_voted[person] = 1
            self._all_voters.append(person)

    def record_bid(self, person: int, amount: int) -> None:
        """Add a bid to the bidder's history."""
        self.bid_total[person] += amount
        self.last_day[person] = self.day
