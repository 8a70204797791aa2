"""Pending write actions: stored for 5 minutes, consumed once by the same user for the same tool
and arguments, refused with the reason codes of the `confirmation_required` audit event."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from artbattle_ops.db.pool import Database
from artbattle_ops.policy.confirmations import (
    ConfirmationStore,
    ConsumeResult,
    PendingConfirmation,
    RefusalReason,
)
from artbattle_ops.policy.limits import StateUnavailableError

ARGUMENTS = {"artist_profile_id": "7f3c0000-0000-0000-0000-000000000001", "country": "CA"}
TOOL = "update_artist_country"
WAIT_SEC = 30


@pytest.fixture
def store(database: Database) -> ConfirmationStore:
    return ConfirmationStore(database)


async def create(store: ConfirmationStore, **overrides: Any) -> PendingConfirmation:
    values: dict[str, Any] = {
        "tool_name": TOOL,
        "requested_by": "U1",
        "request_id": "a" * 32,
        "session_id": None,
        "arguments": ARGUMENTS,
        "arguments_hash": "k1:args",
        "state_hash": "k1:state",
        "idempotency_key": "idem-1",
        "preview": {"summary": "Change country"},
        **overrides,
    }
    return await store.create(**values)


async def consume(
    store: ConfirmationStore, confirmation_id: uuid.UUID | str, **overrides: str
) -> ConsumeResult:
    values = {"requested_by": "U1", "tool_name": TOOL, "arguments_hash": "k1:args", **overrides}
    return await store.consume(confirmation_id, **values)


async def test_a_confirmation_expires_five_minutes_after_it_is_created(
    store: ConfirmationStore,
) -> None:
    pending = await create(store)

    assert pending.expires_at - pending.created_at == timedelta(minutes=5)


async def test_a_confirmation_hands_back_what_the_write_needs(store: ConfirmationStore) -> None:
    pending = await create(store)

    used = await consume(store, pending.id)

    assert used.ok
    assert (used.confirmation_id, used.arguments) == (pending.id, ARGUMENTS)
    assert (used.state_hash, used.idempotency_key) == ("k1:state", "idem-1")


async def test_a_confirmation_is_consumed_once(store: ConfirmationStore) -> None:
    pending = await create(store)
    await consume(store, pending.id)

    again = await consume(store, pending.id)

    assert again == ConsumeResult.refused("confirmation_invalid")


async def test_a_confirmation_id_may_be_given_as_text(store: ConfirmationStore) -> None:
    pending = await create(store)

    used = await consume(store, str(pending.id))

    assert used.ok


@pytest.mark.parametrize(
    ("asked", "reason"),
    [
        ({"requested_by": "U2"}, "confirmation_invalid"),
        ({"tool_name": "update_artist_name"}, "confirmation_mismatch"),
        ({"arguments_hash": "k1:other"}, "confirmation_mismatch"),
    ],
    ids=["another-user", "another-tool", "other-arguments"],
)
async def test_a_confirmation_is_refused_to_another_user_tool_or_arguments(
    asked: dict[str, str], reason: RefusalReason, store: ConfirmationStore
) -> None:
    pending = await create(store)

    refused = await consume(store, pending.id, **asked)

    assert refused == ConsumeResult.refused(reason)


async def test_a_refused_attempt_leaves_the_confirmation_usable(
    store: ConfirmationStore,
) -> None:
    pending = await create(store)
    await consume(store, pending.id, requested_by="U2")

    used = await consume(store, pending.id)

    assert used.ok


async def expire(database: Database, confirmation_id: uuid.UUID) -> None:
    await database.execute(
        """
        UPDATE public.esbmcp_confirmations
        SET created_at = now() - interval '6 minutes', expires_at = now() - interval '1 minute'
        WHERE id = %s
        """,
        (confirmation_id,),
    )


async def test_an_expired_confirmation_is_refused_as_expired(
    database: Database, store: ConfirmationStore
) -> None:
    pending = await create(store)
    await expire(database, pending.id)

    refused = await consume(store, pending.id)

    assert refused == ConsumeResult.refused("confirmation_expired")


async def test_another_users_expired_confirmation_is_refused_as_invalid(
    database: Database, store: ConfirmationStore
) -> None:
    pending = await create(store)
    await expire(database, pending.id)

    refused = await consume(store, pending.id, requested_by="U2")

    assert refused == ConsumeResult.refused("confirmation_invalid")


@pytest.mark.parametrize(
    "confirmation_id",
    ["not-a-uuid", "", "7f3c0000-0000-0000-0000", str(uuid.uuid4())],
    ids=["text", "empty", "truncated", "unknown"],
)
async def test_a_malformed_or_unknown_id_is_refused_as_invalid(
    confirmation_id: str, store: ConfirmationStore
) -> None:
    refused = await consume(store, confirmation_id)

    assert refused == ConsumeResult.refused("confirmation_invalid")


async def test_concurrent_consumers_use_a_confirmation_exactly_once(
    store: ConfirmationStore,
) -> None:
    pending = await create(store)

    results = await asyncio.wait_for(
        asyncio.gather(*(consume(store, pending.id) for _ in range(10))), WAIT_SEC
    )

    assert sum(result.ok for result in results) == 1
    assert {r.reason for r in results if not r.ok} == {"confirmation_invalid"}


async def test_a_missing_confirmation_table_fails_closed(
    database: Database, store: ConfirmationStore
) -> None:
    await database.execute("DROP TABLE public.esbmcp_confirmations CASCADE")

    with pytest.raises(StateUnavailableError):
        await create(store)
