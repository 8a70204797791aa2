"""The read-only world that the later generator steps (pipeline, payments, messaging) draw on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from artbattle_ops.demo.generator.artists import Artists
from artbattle_ops.demo.generator.context import Context
from artbattle_ops.demo.generator.events import Event
from artbattle_ops.demo.generator.lineup import Lineup
from artbattle_ops.demo.generator.outcomes import Nights
from artbattle_ops.demo.generator.people import People
from artbattle_ops.demo.generator.reference import Reference


@dataclass(frozen=True)
class World:
    """Everything decided by the core steps. Later steps read it and never change it."""

    ctx: Context
    ref: Reference
    events: tuple[Event, ...]
    people: People
    artists: Artists
    lineups: Mapping[str, Lineup]
    nights: Nights
    admins: tuple[str, ...]
    person_created: tuple[datetime, ...]

    def event(self, eid: str) -> Event:
        """The event with this EID."""
        return next(e for e in self.events if e.eid == eid)
