"""update_artist_bio (tools.md §4.3): replace or clear the bio that Art Battle HQ curates."""

from __future__ import annotations

import hashlib
from typing import Any, Final

from artbattle_ops.tools.errors import ConflictError, InvalidArgumentsError
from artbattle_ops.tools.profile_integrity.profile_edits import (
    CHANGED_SINCE,
    EditableProfile,
    compare_and_set,
    idempotency_key,
    read_editable_profile,
    result_fields,
)
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview, write_tool
from artbattle_ops.tools.shared import display_time

TOOL: Final = "update_artist_bio"
MAX_BIO_CHARS: Final = 2000
EXCERPT_CHARS: Final = 200

STORED_BIO_SQL: Final = """
SELECT ap.abhq_bio FROM artist_profiles ap WHERE ap.id = %(profile_id)s::uuid
"""

# The artist's own `bio` column is never touched.
SET_BIO_SQL: Final = """
UPDATE artist_profiles
SET abhq_bio = %(new)s, updated_at = now()
WHERE id = %(profile_id)s::uuid AND abhq_bio IS NOT DISTINCT FROM %(previewed)s
RETURNING updated_at
"""


def normalize_bio(value: str) -> str:
    """CRLF as LF, trimmed; an empty result means clear (tools.md §4.3).

    Raises:
        InvalidArgumentsError: more than 2000 code points after normalisation.
    """
    bio = value.replace("\r\n", "\n").strip()
    if len(bio) > MAX_BIO_CHARS:
        message = f"new_bio is {len(bio)} characters; the limit is {MAX_BIO_CHARS}."
        raise InvalidArgumentsError(message, argument="new_bio", details=[message])
    return bio


def bio_digest(bio: str | None) -> str | None:
    """The SHA-256 (hex) of a stored bio, None for NULL: the state a preview is confirmed on."""
    return None if bio is None else hashlib.sha256(bio.encode()).hexdigest()


def excerpt(bio: str | None) -> str | None:
    """The first 200 characters, marked with `…` when the bio is longer; None when empty."""
    if not bio:
        return None
    return bio if len(bio) <= EXCERPT_CHARS else bio[:EXCERPT_CHARS] + "…"


def _summary(profile: EditableProfile, bio: str) -> str:
    before = len(profile.abhq_bio or "")
    if not bio:
        return f"Clear the HQ bio of {profile.label} ({before} characters)."
    return (
        f"Replace the HQ bio of {profile.label} ({before} characters) "
        f"with a new one of {len(bio)} characters."
    )


def _preview(profile: EditableProfile, bio: str, key: str) -> WritePreview:
    stored = profile.abhq_bio
    return WritePreview(
        summary=_summary(profile, bio),
        target=profile.target(),
        before={
            "abhq_bio": excerpt(stored),
            "length": len(stored or ""),
            "sha256": bio_digest(stored),
        },
        after={"abhq_bio": excerpt(bio), "length": len(bio), "clears_bio": not bio},
        effects=[
            "Updates artist_profiles.abhq_bio and updated_at; the artist's own bio is untouched."
        ],
        idempotency_key=key,
    )


class UpdateArtistBio:
    """Replace or clear `abhq_bio`, compare-and-set on the previewed bio."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """Lengths and the first 200 characters before and after; NULL equals an empty bio."""
        bio = normalize_bio(call.arguments["new_bio"])
        profile = await read_editable_profile(call)
        key = idempotency_key(TOOL, profile, hashlib.sha256(bio.encode()).hexdigest())
        if (profile.abhq_bio or "") == bio:
            length = len(bio)
            lengths = {"previous_length": length, "new_length": length}
            return Unchanged(result_fields(call, profile, key) | {"cleared": False, **lengths})
        return _preview(profile, bio, key)

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Store the bio (NULL to clear) unless the stored one changed since the re-read."""
        profile_id = preview.target["artist_profile_id"]
        row = await call.db.fetch_one(STORED_BIO_SQL, {"profile_id": profile_id})
        stored = None if row is None else row["abhq_bio"]
        if bio_digest(stored) != preview.before["sha256"]:
            raise ConflictError(CHANGED_SINCE)

        bio = normalize_bio(call.arguments["new_bio"])
        params = {"profile_id": profile_id, "new": bio or None, "previewed": stored}
        updated_at = await compare_and_set(call, SET_BIO_SQL, params)
        return {
            "artist_profile_id": profile_id,
            "entry_id": preview.target["entry_id"],
            "changed": True,
            "cleared": not bio,
            "previous_length": preview.before["length"],
            "new_length": len(bio),
            "updated_at": display_time(call, updated_at),
            "idempotency_key": preview.idempotency_key,
        }


write_tool(TOOL, UpdateArtistBio())
