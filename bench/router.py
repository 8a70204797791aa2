"""The offline router on the labelled question set: top-1 and top-3 tool accuracy, plan latency.

Issue 7 sets the targets: top-3 at least 90%, under 20 ms per question. The vocabulary is the
demo data's (cities, events, active artist names), taken from the generator in memory, so no
database is needed; the figures are for `OfflineRouter.plan` (ranking, extraction, planning),
with every tool of the manifest available, after one warm-up pass over the set.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from artbattle_ops.demo.generator import generate
from artbattle_ops.router.offline import OfflineRouter, Vocabulary
from artbattle_ops.router.offline.accuracy import Labelled, is_hit, load_questions
from artbattle_ops.tools.manifest import load_manifest
from bench.gateway import percentile
from bench.report import write_section

PASSES = 5
AS_OF = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
TOP3_TARGET = 0.90
LATENCY_TARGET_MS = 20.0


def demo_vocabulary() -> Vocabulary:
    """The vocabulary `load_vocabulary` would read from a freshly seeded demo database."""
    tables = generate("demo", 1, AS_OF).tables
    cities = _column(tables["cities"], "name")
    events = dict(
        zip(_column(tables["events"], "eid"), _column(tables["events"], "name"), strict=True)
    )
    profiles = tables["artist_profiles"]
    names = _column(profiles, "name")
    superseded = _column(profiles, "superseded_by")
    artists = [name for name, gone in zip(names, superseded, strict=True) if gone is None]
    return Vocabulary.of(cities=cities, events=events, artists=artists)


def _column(table: object, name: str) -> list[str]:
    columns = table.columns  # type: ignore[attr-defined]
    index = columns.index(name)
    return [row[index] for row in table.rows]  # type: ignore[attr-defined]


def run() -> None:
    """Measure and write the `router` section of docs/benchmarks.md."""
    manifest = load_manifest()
    vocabulary = demo_vocabulary()
    now = AS_OF.astimezone(ZoneInfo("America/Toronto"))
    started = time.perf_counter()
    router = OfflineRouter.from_manifest(manifest, vocabulary, clock=lambda: now)
    build_ms = (time.perf_counter() - started) * 1000
    questions = load_questions()

    latencies: list[float] = []
    for _ in range(PASSES + 1):
        latencies = _pass(router, questions, manifest.names, latencies)
    latencies = latencies[len(questions) :]
    top1, top3, misses = _accuracy(router, questions, manifest.names)
    _write(len(questions), build_ms, latencies, top1, top3, misses, len(vocabulary.artists))


def _pass(
    router: OfflineRouter, questions: list[Labelled], tools: tuple[str, ...], latencies: list[float]
) -> list[float]:
    for question in questions:
        started = time.perf_counter()
        router.plan(question.question, tools)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _accuracy(
    router: OfflineRouter, questions: list[Labelled], tools: tuple[str, ...]
) -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    misses: list[str] = []
    for question in questions:
        candidates = router.plan(question.question, tools).candidates
        top1 += is_hit(candidates, question.tools, 1)
        hit3 = is_hit(candidates, question.tools, 3)
        top3 += hit3
        if not hit3:
            got = ", ".join(candidates[: len(question.tools) + 2])
            misses.append(
                f"- “{question.question}”: expected {', '.join(question.tools)}; got {got}"
            )
    return top1 / len(questions), top3 / len(questions), misses


def _write(
    count: int,
    build_ms: float,
    latencies: list[float],
    top1: float,
    top3: float,
    misses: list[str],
    artists: int,
) -> None:
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    lines = [
        "## Offline router (issue 7)",
        "",
        f"`OfflineRouter.plan` on the {count} labelled questions of "
        "`tests/data/router_questions.yaml` (paraphrases, typos, lower-case EIDs, multi-tool "
        f"questions), all 49 tools available, demo vocabulary ({artists} artist names). A "
        "question is a top-k hit when every labelled tool is among the first (labels − 1 + k) "
        "candidates (chosen tools, then the rest of the ranking).",
        "",
        "| measure | figure | target |",
        "|---|---:|---:|",
        f"| top-1 accuracy | {top1:.1%} | |",
        f"| top-3 accuracy | {top3:.1%} | ≥ {TOP3_TARGET:.0%} |",
        f"| plan latency p50 (ms) | {p50:.2f} | |",
        f"| plan latency p95 (ms) | {p95:.2f} | < {LATENCY_TARGET_MS:.0f} |",
        f"| plan latency max (ms) | {max(latencies):.2f} | |",
        f"| plan latency mean (ms) | {statistics.fmean(latencies):.2f} | |",
        f"| index build at start-up (ms) | {build_ms:.1f} | |",
        "",
        f"Latency over {PASSES} passes after one warm-up pass. The set was written alongside the "
        "router's lexicon, so these figures are an upper bound for unseen phrasing.",
    ]
    if misses:
        lines += ["", "Top-3 misses:", "", *misses]
    write_section("router", "\n".join(lines))
    print("\n".join(lines))
