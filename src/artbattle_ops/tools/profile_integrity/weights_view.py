"""The size and freshness of the `person_vote_weights` view, for get_vote_weights (tools.md
§4.8) and the refresh's preview and re-read (§4.9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from artbattle_ops.tools.registry import ToolCall

# A view created WITH NO DATA cannot be read until its first refresh.
POPULATED_SQL: Final = """
SELECT c.relispopulated AS populated
FROM pg_class c
WHERE c.oid = 'public.person_vote_weights'::regclass
"""

# The latest stamp reads one entry of an index on last_calculated where there is one (the demo
# schema has it); the count reads every row of the view.
STAMP_SQL: Final = "SELECT max(w.last_calculated) AS last_calculated FROM person_vote_weights w"
COUNT_SQL: Final = "SELECT count(*) AS view_rows FROM person_vote_weights w"


@dataclass(frozen=True)
class ViewState:
    """The size and freshness of `person_vote_weights`."""

    rows: int
    last_calculated: datetime | None


# The view's row count by refresh stamp. The view changes only when it is refreshed, and a
# refresh stamps every row with its own now() (schema.md: last_calculated), so one stamp always
# goes with one count; counting about 100,000 rows costs more than the rest of a call.
_ROWS_BY_STAMP: dict[datetime, int] = {}


async def read_view_state(call: ToolCall) -> ViewState:
    """The view's row count and latest `last_calculated` (0 and None before its first refresh)."""
    populated = await call.db.fetch_one(POPULATED_SQL)
    if populated is None or not populated["populated"]:
        return ViewState(0, None)
    stamp = (await call.db.fetch_one(STAMP_SQL) or {}).get("last_calculated")
    if stamp is not None and stamp in _ROWS_BY_STAMP:
        return ViewState(_ROWS_BY_STAMP[stamp], stamp)
    rows = int((await call.db.fetch_one(COUNT_SQL) or {}).get("view_rows") or 0)
    if stamp is not None:
        _ROWS_BY_STAMP.clear()
        _ROWS_BY_STAMP[stamp] = rows
    return ViewState(rows, stamp)
