"""Score adjustments from the shape of a question: which values it holds and how it is phrased.

BM25 reads the words; these read the rest. A phone number favours the tools that take one, a
question with no event in it disfavours tools that need an EID, and a question that starts with
a command ("Pay …", "Rename …") lets the writes compete with the reads.
"""

from __future__ import annotations

import re

from artbattle_ops.router.offline.entities import Entities
from artbattle_ops.router.offline.lexicon import PHRASES
from artbattle_ops.tools.manifest import ToolSpec

IMPERATIVE = re.compile(
    r"^\s*(please\s+)?(pay|send|remind|invite|rename|change|set|fix|update|clear|refresh|"
    r"recalculate|recompute|correct|chase|nudge|replace)\b",
    re.IGNORECASE,
)
WRITE_WITHOUT_COMMAND = -3.0
WRITE_WITH_COMMAND = 1.5
NO_EVENT_FOR_REQUIRED_EID = -1.5
EVENT_FOR_EID_TOOL = 0.8
COMPILED_PHRASES = tuple((re.compile(p, re.IGNORECASE), tool, boost) for p, tool, boost in PHRASES)


def is_command(question: str) -> bool:
    """True when the question opens with a verb that asks for a change."""
    return IMPERATIVE.search(question) is not None


def phrase_boosts(question: str) -> dict[str, float]:
    """Extra score per tool from the phrases of `lexicon.PHRASES` found in the question."""
    boosts: dict[str, float] = {}
    for pattern, tool, boost in COMPILED_PHRASES:
        if pattern.search(question):
            boosts[tool] = boosts.get(tool, 0.0) + boost
    return boosts


def adjustment(spec: ToolSpec, entities: Entities, command: bool) -> float:
    """What the question's values and phrasing add to (or take from) one tool's score."""
    properties = spec.parameters.get("properties", {})
    formats = {schema.get("format") for schema in properties.values()}
    score = 0.0
    if spec.is_write:
        score += WRITE_WITH_COMMAND if command else WRITE_WITHOUT_COMMAND
    score += _event_signal(spec, entities, "eid" in formats)
    if entities.phones:
        score += 3.0 if "phone" in formats else 1.5 if spec.name == "lookup_person" else 0.0
    if entities.emails:
        score += 2.5 if "email" in formats or spec.name == "lookup_person" else 0.0
    if entities.art_codes and "art_ref" in formats:
        score += 2.0
    if len(entities.currencies) >= 2 and spec.name == "get_exchange_rates":
        score += 3.0
    if entities.entry_ids and "artist_profile_id" in properties:
        score += 0.5
    return score


def _event_signal(spec: ToolSpec, entities: Entities, takes_eid: bool) -> float:
    required = "eid" in spec.parameters.get("required", ())
    if not entities.names_an_event:
        return NO_EVENT_FOR_REQUIRED_EID if required else 0.0
    return EVENT_FOR_EID_TOOL if takes_eid else 0.0
