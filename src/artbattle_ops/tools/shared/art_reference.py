"""Art references (tools.md §1.2): an `art_id` as a uuid or an art code, within its event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from artbattle_ops.tools.errors import InvalidArgumentsError, NotFoundError
from artbattle_ops.tools.formats import is_art_code, lookup_hint
from artbattle_ops.tools.registry import ToolCall

ART_LOOKUP_TOOL: Final = "lookup_artwork_bids"

ART_BY_ID_SQL: Final = """
SELECT a.id, a.art_code, e.eid
FROM art a
JOIN events e ON e.id = a.event_id
WHERE a.id = %(reference)s
"""

ART_BY_CODE_SQL: Final = """
SELECT a.id, a.art_code, e.eid
FROM art a
JOIN events e ON e.id = a.event_id
WHERE a.art_code = %(reference)s
"""


@dataclass(frozen=True)
class ArtReference:
    """The artwork an `art_id` argument names."""

    id: str
    art_code: str
    eid: str


async def resolve_art_reference(
    call: ToolCall, reference: str, eid: str | None = None, argument: str = "art_id"
) -> ArtReference:
    """The artwork named by a normalised uuid or art code; with `eid`, it must be of that event.

    Raises:
        NotFoundError: no artwork has this id or code.
        InvalidArgumentsError: the artwork belongs to another event than `eid`.
    """
    query = ART_BY_CODE_SQL if is_art_code(reference) else ART_BY_ID_SQL
    row = await call.db.fetch_one(query, {"reference": reference})
    if row is None:
        hint = lookup_hint(argument, ART_LOOKUP_TOOL, art_code=True)
        message = f"No artwork found with {argument} {reference}."
        raise NotFoundError(message, argument=argument, hint=hint)

    art = ArtReference(id=str(row["id"]), art_code=row["art_code"], eid=row["eid"])
    if eid is not None and art.eid != eid:
        message = f"{argument} {art.art_code} does not belong to {eid}."
        raise InvalidArgumentsError(message, argument=argument, details=[message])
    return art
