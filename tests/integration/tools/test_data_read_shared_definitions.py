"""The shared definitions of tools.md §1.5, §1.6 and §1.10 on the seeded demo data."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest

from artbattle_ops.gateway.transaction import ConnectionTransaction
from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.registry import Caller, ToolCall
from artbattle_ops.tools.shared import (
    Event,
    artist_share,
    event_phase,
    fetch_owed_balances,
    resolve_event,
    sale_price,
)
from tests.conftest import SeededDemo

START = datetime(2026, 3, 28, 12, tzinfo=UTC)


async def _with_call(url: str, work: Any) -> Any:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        call = ToolCall(
            spec=load_manifest()["get_artists_owed"],
            arguments={},
            caller=Caller(slack_user_id="UOPS", role="ops", request_id="shared-test"),
            db=ConnectionTransaction(conn),
            now=datetime.now(UTC),
            settings=SimpleNamespace(display_timezone="America/Toronto"),
        )
        return await work(call)


def run(demo: SeededDemo, work: Any) -> Any:
    return asyncio.run(_with_call(demo.url, work))


def test_owed_balances_equal_the_generators_ledger(seeded_demo: SeededDemo) -> None:
    balances = run(seeded_demo, fetch_owed_balances)

    owed = {f"{b.artist_profile_id}:{b.currency}": b.balance for b in balances if b.is_owed}
    assert owed == {
        key: Decimal(value) for key, value in seeded_demo.summary["owed_balances"].items()
    }


def test_owed_balances_can_be_limited_to_some_artists(seeded_demo: SeededDemo) -> None:
    artist = seeded_demo.fixtures["owed_unpaid_artist"]["artist_profile_id"]

    async def work(call: ToolCall) -> list[Any]:
        return await fetch_owed_balances(call, [artist])

    balances = run(seeded_demo, work)

    assert {b.artist_profile_id for b in balances} == {artist}


def test_resolving_an_unknown_eid_raises_not_found(seeded_demo: SeededDemo) -> None:
    async def work(call: ToolCall) -> Event:
        return await resolve_event(call, "AB9999")

    with pytest.raises(NotFoundError) as raised:
        run(seeded_demo, work)

    assert (raised.value.message, raised.value.argument) == (
        "No event found with eid AB9999.",
        "eid",
    )


@pytest.mark.parametrize(
    ("start", "end", "now", "phase"),
    [
        (None, None, START, "unscheduled"),
        (START, None, START - timedelta(minutes=1), "upcoming"),
        (START, None, START + timedelta(hours=4), "in_progress"),
        (START, None, START + timedelta(hours=4, seconds=1), "past"),
        (START, START + timedelta(hours=6), START + timedelta(hours=5), "in_progress"),
    ],
    ids=["no-start", "before", "missing-end-is-4h", "after-4h", "explicit-end"],
)
def test_event_phase_follows_start_and_end(
    start: datetime | None, end: datetime | None, now: datetime, phase: str
) -> None:
    assert event_phase(start, end, now) == phase


@pytest.mark.parametrize(
    ("status", "expected"),
    [("sold", Decimal(120)), ("paid", Decimal(120)), ("closed", None), ("active", None)],
)
def test_only_sold_and_paid_works_have_a_sale_price(status: str, expected: Decimal | None) -> None:
    assert sale_price(status, None, Decimal(120)) == expected


@pytest.mark.parametrize(
    ("portion", "share"),
    [(None, Decimal(60)), (Decimal(0), Decimal(0)), (Decimal(1), Decimal(120))],
    ids=["default-half", "charity", "full"],
)
def test_artist_share_defaults_to_half_the_sale_price(
    portion: Decimal | None, share: Decimal
) -> None:
    assert artist_share(Decimal(120), portion) == share
