"""Ranking tools against a question: BM25 over the manifest's text, typo-tolerant.

Each tool's document is its name, description, example questions and the router's keywords
(`lexicon.KEYWORDS`); examples and keywords count twice, the name three times. A question word the
index does not know is replaced by the closest known word (character trigrams, then an edit
distance of at most 2), so "revnue" still finds revenue. The index is built once per router.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from artbattle_ops.router.offline.lexicon import KEYWORDS, SYNONYMS
from artbattle_ops.router.offline.text import edit_distance, stem, terms, trigrams
from artbattle_ops.tools.manifest import ToolSpec

K1 = 1.2
B = 0.6
SYNONYM_WEIGHT = 0.5
MIN_TYPO_LENGTH = 4


def _synonyms() -> dict[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = defaultdict(list)
    for word, others in SYNONYMS.items():
        merged[stem(word)].extend(stem(other) for other in others)
    return {key: tuple(dict.fromkeys(values)) for key, values in merged.items()}


STEM_SYNONYMS = _synonyms()


def tool_document(spec: ToolSpec) -> list[str]:
    """The terms of one tool's document, with the repetition that weights them."""
    name_terms = terms(spec.name.replace("_", " "))
    example_terms = [term for example in spec.examples for term in terms(example)]
    keyword_terms = terms(KEYWORDS.get(spec.name, ""))
    return name_terms * 3 + terms(spec.description) + example_terms * 2 + keyword_terms * 2


@dataclass(frozen=True)
class Ranked:
    """One tool's score for a question."""

    tool: str
    score: float


class ToolIndex:
    """BM25 scores of the manifest's tools for a question's terms."""

    def __init__(self, specs: Iterable[ToolSpec]) -> None:
        documents = {spec.name: Counter(tool_document(spec)) for spec in specs}
        self._documents = documents
        self._lengths = {name: sum(counts.values()) for name, counts in documents.items()}
        self._average = sum(self._lengths.values()) / max(len(documents), 1)
        frequency: Counter[str] = Counter()
        for counts in documents.values():
            frequency.update(counts.keys())
        total = len(documents)
        self._idf = {
            term: math.log(1 + (total - seen + 0.5) / (seen + 0.5))
            for term, seen in frequency.items()
        }
        self._by_trigram: dict[str, set[str]] = defaultdict(set)
        for term in self._idf:
            for gram in trigrams(term):
                self._by_trigram[gram].add(term)

    def known(self, term: str) -> bool:
        """True when some tool's document holds `term`."""
        return term in self._idf

    def correct(self, term: str) -> str | None:
        """The known term closest to an unknown one, or None when nothing is close enough."""
        if self.known(term):
            return term
        if len(term) < MIN_TYPO_LENGTH or term.isdigit():
            return None
        grams = trigrams(term)
        overlap: Counter[str] = Counter()
        for gram in grams:
            overlap.update(self._by_trigram.get(gram, ()))
        limit = 1 if len(term) < 6 else 2
        best: tuple[int, int, str] | None = None
        for candidate, shared in overlap.most_common(12):
            distance = edit_distance(term, candidate, limit)
            if distance <= limit and (best is None or (distance, -shared) < best[:2]):
                best = (distance, -shared, candidate)
        return best[2] if best else None

    def query_weights(self, text: str) -> dict[str, float]:
        """The question's known terms (typos corrected) and their synonyms, with weights."""
        weights: dict[str, float] = {}
        for raw in terms(text):
            term = self.correct(raw)
            if term is not None:
                weights[term] = weights.get(term, 0.0) + 1.0
            for synonym in STEM_SYNONYMS.get(term or raw, ()):
                if self.known(synonym):
                    weights[synonym] = max(weights.get(synonym, 0.0), SYNONYM_WEIGHT)
        return weights

    def scores(self, weights: Mapping[str, float], tools: Iterable[str]) -> dict[str, float]:
        """BM25 score of each of `tools` (those in the index) for weighted query terms."""
        result: dict[str, float] = {}
        for tool in tools:
            counts = self._documents.get(tool)
            if counts is None:
                continue
            norm = K1 * (1 - B + B * self._lengths[tool] / self._average)
            score = 0.0
            for term, weight in weights.items():
                seen = counts.get(term, 0)
                if seen:
                    score += weight * self._idf[term] * seen * (K1 + 1) / (seen + norm)
            result[tool] = score
        return result
