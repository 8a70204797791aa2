"""What the three profile edits share (tools.md §4.2-4.4): the profile they may edit, its label,
the compare-and-set update and the idempotency key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from artbattle_ops.tools.errors import ConflictError
from artbattle_ops.tools.registry import ToolCall, WritePreview
from artbattle_ops.tools.shared import display_time
from artbattle_ops.tools.shared.profiles import resolve_profile

CHANGED_SINCE: Final = "The record changed since you confirmed; ask again to see the new preview."
MAX_SUPERSEDED_HOPS: Final = 20

EDITABLE_SQL: Final = """
SELECT ap.id, ap.entry_id, ap.name, ap.abhq_bio, ap.country, ap.updated_at
FROM artist_profiles ap
WHERE ap.id = %(profile_id)s::uuid
"""

# Follows superseded_by to the end of the chain: the profile that is active now (§1.10).
ACTIVE_SQL: Final = """
WITH RECURSIVE chain AS (
    SELECT ap.id, ap.entry_id, ap.name, ap.superseded_by, 1 AS hops
    FROM artist_profiles ap
    WHERE ap.id = %(replacement)s::uuid
    UNION ALL
    SELECT next.id, next.entry_id, next.name, next.superseded_by, chain.hops + 1
    FROM chain
    JOIN artist_profiles next ON next.id = chain.superseded_by
    WHERE chain.hops < %(max_hops)s
)
SELECT id, entry_id, name FROM chain ORDER BY hops DESC LIMIT 1
"""


@dataclass(frozen=True)
class EditableProfile:
    """An active artist profile with the fields the edits change."""

    id: str
    entry_id: int
    name: str | None
    abhq_bio: str | None
    country: str | None
    updated_at: datetime | None

    @property
    def label(self) -> str:
        """How summaries and messages name the profile: `Jane Roe (#310245)`."""
        return profile_label(self.name, self.entry_id)

    def target(self) -> dict[str, Any]:
        """The `target` of a preview."""
        return {"artist_profile_id": self.id, "entry_id": self.entry_id, "name": self.name}


def profile_label(name: str | None, entry_id: int) -> str:
    """`Jane Roe (#310245)`, or `#310245` for a profile without a name."""
    return f"{name} (#{entry_id})" if name else f"#{entry_id}"


async def read_editable_profile(call: ToolCall) -> EditableProfile:
    """The profile named by `artist_profile_id`, which must exist and be active.

    Raises:
        NotFoundError: no profile has this id.
        ConflictError: the profile is superseded; the message names the active profile.
    """
    profile = await resolve_profile(call, call.arguments["artist_profile_id"])
    if profile.superseded_by is not None:
        raise await _superseded(call, profile.id, profile.superseded_by)

    row = await call.db.fetch_one(EDITABLE_SQL, {"profile_id": profile.id})
    if row is None:  # deleted between the two statements
        raise ConflictError(CHANGED_SINCE)
    return EditableProfile(
        id=str(row["id"]),
        entry_id=int(row["entry_id"]),
        name=row["name"],
        abhq_bio=row["abhq_bio"],
        country=row["country"],
        updated_at=row["updated_at"],
    )


async def _superseded(call: ToolCall, profile_id: str, replacement: str) -> ConflictError:
    params = {"replacement": replacement, "max_hops": MAX_SUPERSEDED_HOPS}
    active = await call.db.fetch_one(ACTIVE_SQL, params) or {"id": replacement}
    active_id = str(active["id"])
    shown = active_id
    if active.get("entry_id") is not None:
        shown = f"{profile_label(active['name'], int(active['entry_id']))}, {active_id}"
    message = (
        f"Artist profile {profile_id} is superseded: editing it has no visible effect. "
        f"The active profile is {shown}."
    )
    hint = f"Call again with artist_profile_id {active_id}."
    return ConflictError(message, argument="artist_profile_id", hint=hint)


async def compare_and_set(call: ToolCall, statement: str, params: dict[str, Any]) -> datetime:
    """Run an `UPDATE ... WHERE <previewed value> RETURNING updated_at`; its new updated_at.

    Raises:
        ConflictError: no row matched, so the value changed since it was read.
    """
    row = await call.db.fetch_one(statement, params)
    if row is None:
        raise ConflictError(CHANGED_SINCE)
    updated_at: datetime = row["updated_at"]
    return updated_at


async def apply_value_edit(
    call: ToolCall, preview: WritePreview, field: str, statement: str
) -> dict[str, Any]:
    """Set `field` to the previewed new value unless the stored one changed since the preview;
    the result of a name or country edit.

    Raises:
        ConflictError: the stored value is no longer the previewed one.
    """
    profile_id = preview.target["artist_profile_id"]
    params = {
        "profile_id": profile_id,
        "new": preview.after[field],
        "previewed": preview.before[field],
    }
    updated_at = await compare_and_set(call, statement, params)
    return {
        "artist_profile_id": profile_id,
        "entry_id": preview.target["entry_id"],
        "changed": True,
        "before": preview.before,
        "after": preview.after,
        "updated_at": display_time(call, updated_at),
        "idempotency_key": preview.idempotency_key,
    }


def idempotency_key(tool: str, profile: EditableProfile, value: str) -> str:
    """The key of a profile edit: SHA-256 (hex) of `tool|profile id|value|updated_at`.

    tools.md §4.2-4.4 key an edit by the profile and the new value only. The ledger replays a
    key that succeeded once, so with that key a name changed to A, then to B, could never be
    changed back to A: the confirmed call would answer "replayed" and change nothing. The
    profile's `updated_at` as previewed (every edit moves it) makes the key name one change from
    one version: two confirmations of the same preview still run once, a later change runs.
    """
    version = "" if profile.updated_at is None else profile.updated_at.astimezone(UTC).isoformat()
    fields = (tool, profile.id, value, version)
    return hashlib.sha256("|".join(fields).encode()).hexdigest()


def result_fields(call: ToolCall, profile: EditableProfile, key: str) -> dict[str, Any]:
    """The fields every edit's result starts with, for a profile that is not changed."""
    return {
        "artist_profile_id": profile.id,
        "entry_id": profile.entry_id,
        "updated_at": display_time(call, profile.updated_at),
        "idempotency_key": key,
    }
