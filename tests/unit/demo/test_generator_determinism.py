"""Identical inputs give identical rows; another seed gives other rows (schema.md §8.1)."""

import pytest

from artbattle_ops.demo.dataset import Dataset
from artbattle_ops.demo.generator import generate
from tests.unit.demo.conftest import AS_OF


def test_the_same_scale_seed_and_as_of_give_identical_tables(demo: Dataset) -> None:
    again = generate("demo", 1, AS_OF)

    assert {name: table.rows for name, table in again.tables.items()} == {
        name: table.rows for name, table in demo.tables.items()
    }


def test_the_same_inputs_give_identical_fixtures_and_summary(demo: Dataset) -> None:
    again = generate("demo", 1, AS_OF)

    assert (again.fixtures, again.summary) == (demo.fixtures, demo.summary)


def test_another_seed_gives_other_ids(demo: Dataset) -> None:
    other = generate("demo", 2, AS_OF)

    shared = {r[0] for r in other.tables["votes"].rows} & {r[0] for r in demo.tables["votes"].rows}
    assert shared == set()


def test_another_seed_keeps_the_fixture_eids(demo: Dataset) -> None:
    other = generate("demo", 2, AS_OF)

    assert {k: v["eid"] for k, v in other.fixtures.items() if "eid" in v} == {
        k: v["eid"] for k, v in demo.fixtures.items() if "eid" in v
    }


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        ("auth.users", "people"),
        ("people", "artist_profiles"),
        ("events", "art"),
        ("art", "votes"),
        ("art", "bids"),
        ("sms_marketing_campaigns", "sms_outbound"),
        ("offers", "offer_redemptions"),
        ("sponsorship_invites", "sponsorship_purchases"),
    ],
)
def test_a_parent_table_is_loaded_before_its_child(demo: Dataset, parent: str, child: str) -> None:
    order = list(demo.tables)

    assert order.index(parent) < order.index(child)
