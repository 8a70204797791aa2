"""Pending write actions in `esbmcp_confirmations` (tools.md §1.9, observability.md §8).

A confirmation is stored when a write is previewed and consumed at most once, atomically, by the
same user for the same tool and arguments hash, within 5 minutes. A refused consumption says why,
with the `reason` codes of the gateway's `confirmation_required` audit event.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from artbattle_ops.db import state_sql
from artbattle_ops.db.pool import Database
from artbattle_ops.errors import DatabaseError
from artbattle_ops.policy.limits import StateUnavailableError

INVALID: Final = "confirmation_invalid"
EXPIRED: Final = "confirmation_expired"
MISMATCH: Final = "confirmation_mismatch"
RefusalReason = Literal["confirmation_invalid", "confirmation_expired", "confirmation_mismatch"]


@dataclass(frozen=True)
class PendingConfirmation:
    """A stored pending action: the id the caller confirms with, and when it lapses."""

    id: uuid.UUID
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ConsumeResult:
    """A consumed confirmation with what the write needs, or the reason it was refused."""

    ok: bool
    reason: RefusalReason | None = None
    confirmation_id: uuid.UUID | None = None
    arguments: dict[str, Any] | None = None
    state_hash: str | None = None
    idempotency_key: str | None = None
    created_at: datetime | None = None
    used_at: datetime | None = None

    @classmethod
    def refused(cls, reason: RefusalReason) -> ConsumeResult:
        """A refusal for `reason`."""
        return cls(ok=False, reason=reason)


class ConfirmationStore:
    """Creates and consumes confirmations, each in one statement."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def create(
        self,
        tool_name: str,
        requested_by: str,
        request_id: str,
        session_id: uuid.UUID | str | None,
        arguments: Mapping[str, Any],
        arguments_hash: str,
        state_hash: str,
        idempotency_key: str,
        preview: Mapping[str, Any],
    ) -> PendingConfirmation:
        """Store a pending action that expires 5 minutes from now (database clock).

        Raises:
            StateUnavailableError: the database could not be reached.
        """
        params = {
            "tool_name": tool_name,
            "requested_by": requested_by,
            "request_id": request_id,
            "session_id": session_id,
            "arguments": Jsonb(dict(arguments)),
            "arguments_hash": arguments_hash,
            "state_hash": state_hash,
            "idempotency_key": idempotency_key,
            "preview": Jsonb(dict(preview)),
            "ttl_sec": state_sql.CONFIRMATION_TTL_SEC,
        }
        row = await self._write(state_sql.INSERT_CONFIRMATION, params)
        if row is None:
            raise StateUnavailableError()
        return PendingConfirmation(row["id"], row["created_at"], row["expires_at"])

    async def consume(
        self,
        confirmation_id: uuid.UUID | str,
        requested_by: str,
        tool_name: str,
        arguments_hash: str,
    ) -> ConsumeResult:
        """Use the confirmation once; any later or concurrent attempt is `confirmation_invalid`.

        Raises:
            StateUnavailableError: the database could not be reached.
        """
        parsed = parse_confirmation_id(confirmation_id)
        if parsed is None:
            return ConsumeResult.refused(INVALID)

        params = {
            "confirmation_id": parsed,
            "requested_by": requested_by,
            "tool_name": tool_name,
            "arguments_hash": arguments_hash,
        }
        row = await self._write(state_sql.CONSUME_CONFIRMATION, params)
        if row is not None:
            return _consumed(row)

        stored = await self._read(parsed)
        return ConsumeResult.refused(refusal_reason(stored, params))

    async def _write(self, query: str, params: dict[str, Any]) -> dict[str, Any] | None:
        try:
            async with self._database.transaction() as conn:
                cursor = conn.cursor(row_factory=dict_row)
                await cursor.execute(query, params)
                return await cursor.fetchone()
        except DatabaseError as exc:
            raise StateUnavailableError() from exc

    async def _read(self, confirmation_id: uuid.UUID) -> dict[str, Any] | None:
        params = {"confirmation_id": confirmation_id}
        try:
            return await self._database.fetch_one(state_sql.READ_CONFIRMATION, params)
        except DatabaseError as exc:
            raise StateUnavailableError() from exc


def parse_confirmation_id(value: uuid.UUID | str) -> uuid.UUID | None:
    """The confirmation id as a uuid, or None when it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


def refusal_reason(stored: Mapping[str, Any] | None, asked: Mapping[str, Any]) -> RefusalReason:
    """Why a consumption found no usable row.

    Another user's confirmation is `confirmation_invalid` whatever its state, so a caller learns
    nothing about actions that are not theirs.
    """
    if stored is None or stored["requested_by"] != asked["requested_by"]:
        return INVALID
    if stored["status"] == "used":
        return INVALID
    if stored["status"] == "expired" or stored["is_expired"]:
        return EXPIRED
    if (stored["tool_name"], stored["arguments_hash"]) != (
        asked["tool_name"],
        asked["arguments_hash"],
    ):
        return MISMATCH
    return INVALID


def _consumed(row: Mapping[str, Any]) -> ConsumeResult:
    return ConsumeResult(
        ok=True,
        confirmation_id=row["id"],
        arguments=row["arguments"],
        state_hash=row["state_hash"],
        idempotency_key=row["idempotency_key"],
        created_at=row["created_at"],
        used_at=row["used_at"],
    )
