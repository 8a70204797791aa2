"""The self-check: every invariant of schema.md §8.17, verified on the generated rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from artbattle_ops.demo.dataset import Dataset, Row
from artbattle_ops.demo.generator.scales import EXACT_DEMO_TABLES, ScaleSpec
from artbattle_ops.errors import DemoDataError

EID_PATTERN = re.compile(r"^AB\d{4,}$")


class GeneratorInvariantError(DemoDataError):
    """Generated demo data breaks an invariant of schema.md §8.17; names it and an example row."""

    code = "generator_invariant"

    def __init__(self, invariant: str, example: object) -> None:
        super().__init__(
            f"generated demo data breaks invariant {invariant!r}; example: {example!r}"
        )
        self.invariant = invariant
        self.example = example


class View:
    """Read access to a dataset's rows by table and column name."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.spec: ScaleSpec | None = None
        self._by_id: dict[str, dict[Any, Row]] = {}

    def rows(self, table: str) -> list[Row]:
        """All rows of a table (empty when the table was not generated)."""
        data = self.dataset.tables.get(table)
        return data.rows if data else []

    def col(self, table: str, column: str) -> int:
        """The position of a column in a table's rows."""
        return self.dataset.tables[table].columns.index(column)

    def values(self, table: str, *columns: str) -> Iterator[tuple[Any, ...]]:
        """The given columns of every row."""
        positions = [self.col(table, c) for c in columns]
        for row in self.rows(table):
            yield tuple(row[p] for p in positions)

    def by_id(self, table: str) -> dict[Any, Row]:
        """Rows keyed by their `id` column (cached)."""
        if table not in self._by_id:
            position = self.col(table, "id")
            self._by_id[table] = {row[position]: row for row in self.rows(table)}
        return self._by_id[table]


def require(condition: bool, invariant: str, example: object) -> None:
    """Raise GeneratorInvariantError naming the invariant when `condition` is false."""
    if not condition:
        raise GeneratorInvariantError(invariant, example)


Check = Callable[[View], None]


def check_dataset(dataset: Dataset, spec: ScaleSpec) -> None:
    """Run every check of §8.17 on a generated dataset.

    Raises:
        GeneratorInvariantError: the first invariant that does not hold.
    """
    from artbattle_ops.demo.generator.fixture_checks import FIXTURE_CHECKS
    from artbattle_ops.demo.generator.ledger_checks import LEDGER_CHECKS
    from artbattle_ops.demo.generator.night_checks import NIGHT_CHECKS

    view = View(dataset)
    view.spec = spec
    check_unique_keys(view)
    check_eids(view)
    check_row_counts(view, spec.targets, spec.is_demo)
    for check in (*NIGHT_CHECKS, *LEDGER_CHECKS, *FIXTURE_CHECKS):
        check(view)


# Keys the demo schema declares unique (schema.md §4); a duplicate would fail the load.
UNIQUE_KEYS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("events", ("eid",), None),
    ("people", ("phone",), None),
    ("people", ("hash",), None),
    ("artist_profiles", ("entry_id",), None),
    ("art", ("art_code",), None),
    ("art", ("event_id", "round", "easel"), None),
    ("rounds", ("event_id", "round_number"), None),
    ("round_contestants", ("round_id", "easel_number"), "easel_number"),
    ("votes", ("event_id", "round", "person_id"), None),
    ("qr_codes", ("code",), None),
    ("people_qr_scans", ("person_id", "event_id"), "is_valid"),
    ("artist_applications", ("artist_profile_id", "event_id"), None),
    ("artist_stripe_accounts", ("artist_profile_id",), None),
    ("artist_stripe_accounts", ("stripe_account_id",), None),
    ("artist_global_payments", ("stripe_recipient_id",), "stripe_recipient_id"),
    ("eventbrite_orders_cache", ("order_id",), None),
    ("sms_inbound", ("telnyx_message_id",), None),
    ("sponsorship_invites", ("hash",), None),
    ("sponsorship_purchases", ("stripe_payment_intent_id",), None),
    ("ai_analysis_cache", ("event_id", "analysis_type"), None),
    ("endpoint_cache_versions", ("endpoint_path",), None),
    ("exchange_rates", ("currency_code",), None),
)


def check_unique_keys(view: View) -> None:
    """Every `id`, and every key the schema declares unique, is unique (NULLs excepted)."""
    for name, table in view.dataset.tables.items():
        if "id" in table.columns:
            ids = [row for (row,) in view.values(name, "id")]
            require(len(ids) == len(set(ids)), f"unique.{name}.id", name)
    for name, columns, when in UNIQUE_KEYS:
        if name not in view.dataset.tables:
            continue
        seen: set[tuple[Any, ...]] = set()
        guard = view.col(name, when) if when else None
        positions = [view.col(name, c) for c in columns]
        for row in view.rows(name):
            if guard is not None and not row[guard]:
                continue
            key = tuple(row[p] for p in positions)
            if None in key:
                continue
            require(key not in seen, f"unique.{name}.{'_'.join(columns)}", key)
            seen.add(key)
    emails = [e.lower() for (e,) in view.values("people", "email") if e]
    require(len(emails) == len(set(emails)), "unique.people.lower_email", len(emails))
    pending = [
        a
        for a, s in view.values("artist_manual_payment_requests", "artist_profile_id", "status")
        if s == "pending"
    ]
    require(len(pending) == len(set(pending)), "unique.manual_requests.pending", len(pending))


def check_eids(view: View) -> None:
    """Every EID is unique and matches ^AB\\d{4,}$."""
    eids = [eid for (eid,) in view.values("events", "eid")]
    require(len(eids) == len(set(eids)), "eids.unique", sorted(eids)[:5])
    for eid in eids:
        require(bool(EID_PATTERN.match(eid)), "eids.format", eid)


def check_row_counts(view: View, targets: Mapping[str, int], exact: bool) -> None:
    """Each table is within ±10% of its target; `exact` pins events and exchange rates."""
    for table, target in targets.items():
        if table not in view.dataset.tables:
            continue
        n = len(view.rows(table))
        if exact and table in EXACT_DEMO_TABLES:
            require(n == target, f"row_counts.{table}.exact", (n, target))
            continue
        require(abs(n - target) * 10 <= target, f"row_counts.{table}", (n, target))
