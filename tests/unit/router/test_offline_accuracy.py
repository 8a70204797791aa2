"""The labelled question set: its coverage, its independence from the manifest, and the floor."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from artbattle_ops.demo.generator.fixtures import FIXTURE_ARTISTS, FIXTURE_EVENTS
from artbattle_ops.router.offline import OfflineRouter, Vocabulary
from artbattle_ops.router.offline.accuracy import is_hit, load_questions
from artbattle_ops.tools.manifest import Manifest, load_manifest

TOP3_FLOOR = 0.90
NOW = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("America/Toronto"))


def fixture_router() -> OfflineRouter:
    vocabulary = Vocabulary.of(
        cities=[event.city for event in FIXTURE_EVENTS],
        artists=[artist.name for artist in FIXTURE_ARTISTS],
    )
    return OfflineRouter.from_manifest(load_manifest(), vocabulary, clock=lambda: NOW)


def test_the_set_has_at_least_150_questions() -> None:
    assert len(load_questions()) >= 150


def test_the_set_covers_every_tool_of_the_manifest() -> None:
    labelled = {tool for question in load_questions() for tool in question.tools}

    assert set(load_manifest()) <= labelled


def test_the_set_labels_only_tools_that_exist() -> None:
    labelled = {tool for question in load_questions() for tool in question.tools}

    assert labelled <= set(load_manifest())


def test_no_question_copies_a_manifest_example() -> None:
    examples = {
        example.strip().lower() for spec in load_manifest().values() for example in spec.examples
    }

    copied = [q.question for q in load_questions() if q.question.strip().lower() in examples]

    assert copied == []


def test_the_set_has_multi_tool_questions_typos_and_lower_case_eids() -> None:
    questions = load_questions()

    assert sum(len(q.tools) > 1 for q in questions) >= 10
    assert any("ab40" in q.question for q in questions)
    assert any("revnue" in q.question or "artsits" in q.question for q in questions)


def test_top_3_accuracy_on_the_labelled_set_is_at_least_90_percent() -> None:
    router = fixture_router()
    tools = load_manifest().names
    questions = load_questions()

    hits = [is_hit(router.plan(q.question, tools).candidates, q.tools, 3) for q in questions]

    assert sum(hits) / len(hits) >= TOP3_FLOOR


def test_a_one_tool_question_is_a_top_1_hit_only_when_chosen_first() -> None:
    assert is_hit(["a", "b"], ["a"], 1)
    assert not is_hit(["b", "a"], ["a"], 1)
    assert is_hit(["b", "c", "a"], ["a"], 3)


def test_a_three_tool_question_is_a_top_1_hit_when_the_plan_holds_all_three() -> None:
    assert is_hit(["x", "y", "z", "w"], ["z", "x", "y"], 1)
    assert not is_hit(["x", "y", "w", "z"], ["z", "x", "y"], 1)


def test_no_labelled_question_is_refused_to_a_role_that_has_its_tools() -> None:
    router = fixture_router()
    manifest = load_manifest()
    roles = ("event-producer", "finance", "marketing", "viewer")

    refused = [
        (role, question.question)
        for question in load_questions()
        for role in roles
        if all(role in manifest[tool].allowed_roles for tool in question.tools)
        and (
            router.plan(question.question, _tools_of(manifest, role)).clarification or ""
        ).startswith("That needs")
    ]

    assert refused == []


def _tools_of(manifest: Manifest, role: str) -> list[str]:
    return [name for name, spec in manifest.items() if role in spec.allowed_roles]
