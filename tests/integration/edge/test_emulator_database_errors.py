"""A database error rolls the whole call back and answers 500 with its SQLSTATE (§7.0).

The last table each function writes is held in SHARE mode by another session, so the emulator
(with a short statement timeout) writes its first rows and then fails on the last insert.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.integration.edge.conftest import Edge, serving
from tests.integration.edge.test_emulator_invitation import fresh_pair, invite_body
from tests.integration.edge.test_emulator_payment import payable
from tests.integration.edge.test_emulator_reminder import remindable

QUERY_CANCELED = "57014"


@pytest.fixture(scope="module")
def hasty_edge(edge_db: str) -> Iterator[Edge]:
    """An emulator whose statements time out after 300 ms."""
    with serving(edge_db, DB_STATEMENT_TIMEOUT_MS="300") as running:
        yield running


@contextmanager
def table_held(db_url: str, table: str) -> Iterator[None]:
    """Block inserts into `table` (reads still work) until the block ends."""
    with psycopg.connect(db_url) as conn:
        conn.execute(sql.SQL("LOCK TABLE public.{} IN SHARE MODE").format(sql.Identifier(table)))
        yield
        conn.rollback()


def _call(edge: Edge, function: str, body: dict[str, Any], held: str) -> Any:
    with table_held(edge.db_url, held):
        return edge.post(function, body)


def test_a_failed_invitation_answers_500_with_the_sqlstate_and_writes_nothing(
    hasty_edge: Edge, unchanged: None
) -> None:
    pair = fresh_pair(hasty_edge, 20)

    response = _call(hasty_edge, "admin-send-invitation", invite_body(pair), "email_logs")

    assert (response.status_code, response.json()) == (
        500,
        {"error": "Internal error", "details": QUERY_CANCELED},
    )


def test_a_failed_payment_answers_500_with_the_sqlstate_and_writes_nothing(
    hasty_edge: Edge, unchanged: None
) -> None:
    target = payable(hasty_edge, 10)
    body = {"artist_profile_id": str(target["artist_id"]), "amount": 3}

    response = _call(hasty_edge, "process-artist-payment", body, "system_logs")

    assert (response.status_code, response.json()) == (
        500,
        {"error": "Internal error", "details": QUERY_CANCELED},
    )


def test_a_failed_reminder_answers_500_in_its_shape_and_writes_nothing(
    hasty_edge: Edge, unchanged: None
) -> None:
    art = remindable(hasty_edge, 6)

    response = _call(
        hasty_edge, "admin-send-payment-reminder", {"art_id": art["art_code"]}, "payment_reminders"
    )

    assert (response.status_code, response.json()) == (
        500,
        {"success": False, "error": "Internal error"},
    )
