"""Plans: the ordered tool calls that answer a question, or the question to ask back.

`Planner.plan` ranks the tools for the whole question and for each of its asks ("How much did we
make, and who still needs to be paid?" has two), fills each chosen tool's arguments, and puts
the lookups first that turn a city, a date or a name into the EID or id the tools need. A write
is planned only with every required argument read from the question itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from artbattle_ops.router.offline.arguments import Filled, Source, fill
from artbattle_ops.router.offline.entities import Entities, extract
from artbattle_ops.router.offline.ranking import Ranked, ToolIndex
from artbattle_ops.router.offline.signals import adjustment, is_command, phrase_boosts
from artbattle_ops.router.offline.vocabulary import Vocabulary
from artbattle_ops.tools.manifest import ToolSpec

MAX_STEPS = 3
# How much better the best tool of the whole manifest must score than the best tool the caller
# has before the answer is "your role cannot do this" rather than the nearest available tool.
WITHHELD_MARGIN = 1.75
ROLE_ORDER = ("ops", "event-producer", "finance", "marketing", "viewer")
MIN_CLAUSE_SCORE = 5.0
CLAUSE_SPLIT = re.compile(
    r"\?|;|\balso\b|\bplus\b|\bas well as\b|,?\s+and\s+(?=\w+\s+\w+)"
    r"|,\s+(?=who|what|how|which|when|is|are|did)",
    re.IGNORECASE,
)
LOOKUPS: dict[Source, str] = {
    "event": "lookup_event",
    "artist": "lookup_artist_profile",
    "person": "lookup_person",
}
CLARIFY = {
    "eid": "Which event do you mean? Give its EID, e.g. AB4001, or a city and date.",
    "artist_profile_id": "Which artist do you mean? Give their name or artist number.",
    "person_id": "Which person do you mean? Give their name, email or phone number.",
    "art_id": "Which artwork do you mean? Give its art code, e.g. AB4001-2-3.",
    "phone": "Which phone number? Give it in full, e.g. +14165550123.",
    "query": "Who should I look for? Give a name, email address or phone number.",
}


@dataclass(frozen=True)
class Step:
    """One tool call; `bind` names arguments an earlier lookup supplies ("event", "artist"…)."""

    tool: str
    arguments: Mapping[str, Any]
    bind: Mapping[str, Source] = field(default_factory=dict)
    provides: Source | None = None


@dataclass(frozen=True)
class Plan:
    """The steps to run, what to ask the user (if anything), and the full ranking."""

    question: str
    steps: tuple[Step, ...]
    chosen: tuple[str, ...]
    ranking: tuple[Ranked, ...]
    entities: Entities
    clarification: str | None = None

    @property
    def candidates(self) -> tuple[str, ...]:
        """The chosen tools, then every other ranked tool: the order accuracy is measured on."""
        rest = [ranked.tool for ranked in self.ranking if ranked.tool not in self.chosen]
        return (*self.chosen, *rest)


class Planner:
    """Builds plans from the manifest's tools; holds the index built once at start-up."""

    def __init__(self, specs: Mapping[str, ToolSpec], vocabulary: Vocabulary) -> None:
        self._specs = specs
        self._vocabulary = vocabulary
        self._index = ToolIndex(specs.values())
        self._names = frozenset(specs)

    def rank(
        self, question: str, entities: Entities, available: Iterable[str], command: bool
    ) -> tuple[Ranked, ...]:
        """Available tools by score for `question`, best first."""
        usable = [tool for tool in available if tool in self._specs]
        scores = self._index.scores(self._index.query_weights(entities.residual), usable)
        phrases = phrase_boosts(question)
        ranked = [
            Ranked(
                tool,
                score + adjustment(self._specs[tool], entities, command) + phrases.get(tool, 0.0),
            )
            for tool, score in scores.items()
        ]
        return tuple(sorted(ranked, key=lambda item: (-item.score, item.tool)))

    def plan(self, question: str, available: Iterable[str], today: date) -> Plan:
        """The plan for `question` using only `available` tools."""
        tools = [tool for tool in available if tool in self._specs]
        entities = extract(question, self._vocabulary, today)
        command = is_command(question)
        ranking = self.rank(question, entities, tools, command)
        withheld = self._withheld(question, entities, tools, command, ranking)
        if withheld is not None:
            return Plan(question, (), (), ranking, entities, _not_for_role(withheld))
        if not ranking or ranking[0].score <= 0:
            return Plan(question, (), (), ranking, entities, NOT_UNDERSTOOD)
        content = self._asks(question, entities, tools, command, ranking, today)
        return self._build(question, entities, content, ranking, frozenset(tools))

    def _withheld(
        self,
        question: str,
        entities: Entities,
        tools: list[str],
        command: bool,
        ranking: tuple[Ranked, ...],
    ) -> ToolSpec | None:
        """The tool that clearly fits the question best when the caller's role lacks it.

        Without this, a viewer asking who is owed money would get the nearest tool it has
        (auction revenue) as if that were the answer.
        """
        if self._names.issubset(tools):
            return None
        best = self.rank(question, entities, self._names, command)
        if not best or best[0].tool in tools or best[0].score <= 0:
            return None
        available_score = ranking[0].score if ranking else 0.0
        if best[0].score < WITHHELD_MARGIN * max(available_score, 0.0):
            return None
        return self._specs[best[0].tool]

    def _asks(
        self,
        question: str,
        entities: Entities,
        tools: list[str],
        command: bool,
        ranking: tuple[Ranked, ...],
        today: date,
    ) -> list[str]:
        clauses = [part for part in CLAUSE_SPLIT.split(question) if part and part.strip()]
        chosen: list[str] = []
        for clause in clauses if len(clauses) > 1 else ():
            clause_entities = extract(clause, self._vocabulary, today)
            top = self.rank(clause, clause_entities, tools, command)
            if top and top[0].score >= MIN_CLAUSE_SCORE and top[0].tool not in chosen:
                chosen.append(top[0].tool)
        if len(chosen) < 2:
            return [ranking[0].tool]
        return chosen[:MAX_STEPS]

    def _build(
        self,
        question: str,
        entities: Entities,
        content: list[str],
        ranking: tuple[Ranked, ...],
        available: frozenset[str],
    ) -> Plan:
        lookups: dict[Source, Step] = {}
        steps: list[Step] = []
        questions: list[str] = []
        for tool in content:
            spec = self._specs[tool]
            filled = fill(spec, entities, question, self._names)
            problem = self._problem(spec, filled, available)
            if problem is not None:
                questions.append(problem)
                if not spec.is_write:
                    continue
            for source in dict.fromkeys(filled.bindings.values()):
                lookups.setdefault(source, self._lookup(source, entities, question))
            if problem is None:
                steps.append(Step(tool, filled.arguments, dict(filled.bindings)))
        ordered = [step for step in lookups.values() if step.tool in available]
        ordered += [step for step in steps if step.tool not in {s.tool for s in ordered}]
        ordered = ordered[:MAX_STEPS]
        chosen = tuple(dict.fromkeys([*(s.tool for s in ordered), *content]))[:MAX_STEPS]
        clarification = " ".join(dict.fromkeys(questions)) or None
        return Plan(question, tuple(ordered), chosen, ranking, entities, clarification)

    def _problem(self, spec: ToolSpec, filled: Filled, available: frozenset[str]) -> str | None:
        if filled.missing:
            return CLARIFY.get(filled.missing[0], f"I need the {filled.missing[0]} to do that.")
        unbound = [s for s in filled.bindings.values() if LOOKUPS[s] not in available]
        if unbound:
            return CLARIFY.get(_argument_of(unbound[0]), "I need more detail to do that.")
        if spec.is_write and filled.bindings:
            return WRITE_NEEDS_ID.format(arguments=", ".join(sorted(filled.bindings)))
        return None

    def _lookup(self, source: Source, entities: Entities, question: str) -> Step:
        spec = self._specs[LOOKUPS[source]]
        filled = fill(spec, entities, question, self._names)
        arguments = dict(filled.arguments)
        if source == "event":
            arguments.pop("eid", None)
        return Step(spec.name, arguments, provides=source)


def _not_for_role(spec: ToolSpec) -> str:
    roles = ", ".join(role for role in ROLE_ORDER if role in spec.allowed_roles)
    return NOT_FOR_ROLE.format(tool=spec.name, roles=roles)


def _argument_of(source: Source) -> str:
    return {"event": "eid", "artist": "artist_profile_id", "person": "person_id"}[source]


NOT_UNDERSTOOD = (
    "I could not tell which data you need. Try naming an event (e.g. AB4001), an artist, or "
    "what you want to know (sales, payments, votes, tickets…)."
)
NOT_FOR_ROLE = (
    "That needs `{tool}`, which your role cannot use (it is for: {roles}). Ask someone with "
    "one of those roles, or ask about something your role covers."
)
WRITE_NEEDS_ID = (
    "To make this change I need the exact {arguments}: here is what I found; ask again with "
    "the id and I will prepare it for your confirmation."
)
