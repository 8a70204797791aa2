"""The events of a list of rows (scans, invitations), resolved once each for their time zones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from artbattle_ops.tools.registry import ToolCall
from artbattle_ops.tools.shared import EVENT_SELECT, Event

EVENTS_BY_ID_SQL: Final = EVENT_SELECT + "WHERE e.id = ANY(%(ids)s::uuid[])"
EVENTS_BY_EID_SQL: Final = EVENT_SELECT + "WHERE e.eid = ANY(%(eids)s::text[])"


async def events_by_id(call: ToolCall, ids: Iterable[object]) -> dict[str, Event]:
    """Event id -> `Event` for the distinct non-null ids given."""
    wanted = sorted({str(i) for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await call.db.fetch_all(EVENTS_BY_ID_SQL, {"ids": wanted})
    return {str(row["id"]): Event.from_row(row) for row in rows}


async def events_by_eid(call: ToolCall, eids: Iterable[str | None]) -> dict[str, Event]:
    """EID -> `Event` for the EIDs that name an event; unknown EIDs are left out."""
    wanted = sorted({eid for eid in eids if eid is not None})
    if not wanted:
        return {}
    rows = await call.db.fetch_all(EVENTS_BY_EID_SQL, {"eids": wanted})
    return {row["eid"]: Event.from_row(row) for row in rows}
