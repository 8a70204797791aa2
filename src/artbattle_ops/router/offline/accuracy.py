"""How the router's tool choice is scored against a labelled question (benchmark and tests).

A question is labelled with the tools that answer it, in plan order. The router's candidate list
is its chosen tools followed by the rest of its ranking. A question is a top-k hit when every
labelled tool is among the first `len(labels) - 1 + k` candidates: for a one-tool question, top-1
means the router chose exactly that tool; for a three-tool question, top-1 means its plan holds
exactly those three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

QUESTIONS = Path(__file__).resolve().parents[4] / "tests" / "data" / "router_questions.yaml"


@dataclass(frozen=True)
class Labelled:
    """One question and the tools that answer it."""

    question: str
    tools: tuple[str, ...]


def load_questions(path: Path = QUESTIONS) -> list[Labelled]:
    """The labelled set (`tests/data/router_questions.yaml`)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Labelled(str(entry["q"]), tuple(entry["tools"])) for entry in entries]


def is_hit(candidates: Sequence[str], expected: Sequence[str], k: int) -> bool:
    """True when every expected tool is among the first `len(expected) - 1 + k` candidates."""
    window = set(candidates[: len(expected) - 1 + k])
    return set(expected) <= window
