"""Fuzzing every tool's arguments from its manifest schema (issue: bad input).

For any JSON object built from a tool's argument names (and stray keys), validation either
accepts it or refuses it with `invalid_arguments` whose every problem names an argument (or the
object itself, for stray keys and either-or rules). Nothing else is ever raised.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artbattle_ops.tools.arguments import ArgumentProblemsError, validate_arguments
from artbattle_ops.tools.manifest import ToolSpec, load_manifest

MANIFEST = load_manifest()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "AB4001",
            "ab-4001",
            "4001",
            "+1 (416) 555-0199",
            "CAD",
            "2026-03-28",
            "7f3c1e2a-1b2c-4d5e-8f90-123456789abc",
            "AB4001-1-3",
            "",
            "  ",
            "%_\\",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def arguments_for(spec: ToolSpec) -> st.SearchStrategy[dict[str, Any]]:
    names = sorted(spec.parameters.get("properties", {}))
    keys = st.sampled_from(names) if names else st.nothing()
    return st.dictionaries(keys | st.text(min_size=1, max_size=12), values, max_size=6)


@pytest.mark.parametrize("name", sorted(MANIFEST))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_arguments_are_accepted_or_refused_naming_the_argument(
    name: str, data: st.DataObject
) -> None:
    spec = MANIFEST[name]
    raw = data.draw(arguments_for(spec))
    known = set(spec.parameters.get("properties", {}))

    refusal: ArgumentProblemsError | None = None
    try:
        validate_arguments(
            name,
            spec.parameters,
            raw,
            requires_one_of=spec.requires_one_of,
            mutually_exclusive=spec.mutually_exclusive,
        )
    except ArgumentProblemsError as exc:
        refusal = exc
    if refusal is None:
        return

    named = {
        str(error["path"]).split(".")[0].split("[")[0]
        for error in refusal.errors
        if error["rule"] != "unknown"
    }
    assert refusal.code == "invalid_arguments"
    assert named <= known | {""}
    assert all(error["path"] for error in refusal.errors if error["rule"] == "unknown")
    assert len(refusal.details) == len(refusal.errors) > 0
