"""The envelope's size cap (tools.md §1.3) and the recorded result size."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.gateway.envelope import (
    TRIM_WARNING,
    encoded_size,
    success,
    success_size,
    trim_to_size,
)


def block(items: list[Any]) -> dict[str, Any]:
    return {"items": items, "count": len(items), "total": len(items), "truncated": False}


def size(value: Any) -> int:
    """The compact UTF-8 JSON size, computed here independently of the gateway."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def test_data_under_the_cap_is_kept_whole_with_its_size() -> None:
    data = {"bids": block([{"amount": n} for n in range(10)])}

    kept, trimmed, data_size = trim_to_size(data, 10_000)

    assert (kept["bids"]["count"], trimmed, data_size) == (10, False, size(data))


def test_the_longest_block_is_cut_from_its_end_and_keeps_its_total() -> None:
    data = {
        "bids": block([{"note": "é" * 40, "n": n} for n in range(100)]),
        "rounds": block([{"n": n} for n in range(3)]),
        "totals_by_currency": block([{"currency": "CAD", "amount": 1.0}] * 40),
    }

    kept, trimmed, data_size = trim_to_size(data, 2_000)

    bids = kept["bids"]
    assert trimmed is True
    assert data_size == size(kept) <= 2_000
    assert bids["items"] == [{"note": "é" * 40, "n": n} for n in range(bids["count"])]
    assert (bids["total"], bids["truncated"]) == (100, True)
    assert (kept["rounds"]["count"], kept["totals_by_currency"]["count"]) == (3, 40)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_the_recorded_size_is_the_size_of_the_whole_envelope(data: dict[str, Any]) -> None:
    meta = {"request_id": "r-1", "execution_id": None, "generated_at": "x", "duration_ms": 3}
    body = success("get_bid_history", data, [TRIM_WARNING], meta)

    assert success_size(body, encoded_size(data)) == size(body)
