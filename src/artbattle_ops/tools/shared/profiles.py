"""Artist profiles given by id (tools.md §1.10, active profile): not_found, or found with a
superseded warning naming the replacement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.formats import lookup_hint
from artbattle_ops.tools.registry import ToolCall
from artbattle_ops.tools.shared.events import warn_once

PROFILE_SQL: Final = """
SELECT ap.id, ap.entry_id, ap.superseded_by
FROM artist_profiles ap
WHERE ap.id = %(profile_id)s::uuid
"""


@dataclass(frozen=True)
class Profile:
    """The identity of one artist profile."""

    id: str
    entry_id: int
    superseded_by: str | None


async def resolve_profile(call: ToolCall, profile_id: str) -> Profile:
    """The profile with this id; a superseded one adds a `superseded_profile` warning.

    Raises:
        NotFoundError: no profile has this id.
    """
    row = await call.db.fetch_one(PROFILE_SQL, {"profile_id": profile_id})
    if row is None:
        raise NotFoundError(
            f"No artist profile found with artist_profile_id {profile_id}.",
            argument="artist_profile_id",
            hint=lookup_hint("artist_profile_id", "lookup_artist_profile"),
        )

    replacement = None if row["superseded_by"] is None else str(row["superseded_by"])
    if replacement is not None:
        message = f"Profile {profile_id} is superseded by {replacement}; use that profile."
        warn_once(call, "superseded_profile", message)
    return Profile(id=str(row["id"]), entry_id=int(row["entry_id"]), superseded_by=replacement)
