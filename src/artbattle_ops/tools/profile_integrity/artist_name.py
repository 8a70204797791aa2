"""update_artist_name (tools.md §4.2): correct an artist's display name."""

from __future__ import annotations

import string
import unicodedata
from typing import Any, Final, NoReturn

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.formats import escape_like
from artbattle_ops.tools.profile_integrity.profile_edits import (
    EditableProfile,
    apply_value_edit,
    idempotency_key,
    read_editable_profile,
    result_fields,
)
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview, write_tool

TOOL: Final = "update_artist_name"
MAX_NAME_CHARS: Final = 200
# Tab, newlines and the like are whitespace to collapse; every other control character is refused.
_WHITESPACE_CONTROLS: Final = frozenset("\t\n\v\f\r")

# Other active profiles whose name, normalised the same way, equals the new one. Such a name
# folds to the new name's words in order, so the LIKE on esbmcp_fold(name) (a trigram index
# lookup where pg_trgm is installed) finds the candidates that the exact test then checks.
SHARED_NAME_SQL: Final = r"""
SELECT count(*) AS others
FROM artist_profiles ap
WHERE ap.superseded_by IS NULL
  AND ap.id <> %(profile_id)s::uuid
  AND esbmcp_fold(ap.name) LIKE esbmcp_fold(%(pattern)s)
  AND btrim(regexp_replace(ap.name, '\s+', ' ', 'g')) = %(name)s
"""

RENAME_SQL: Final = """
UPDATE artist_profiles
SET name = %(new)s, updated_at = now()
WHERE id = %(profile_id)s::uuid AND name IS NOT DISTINCT FROM %(previewed)s
RETURNING updated_at
"""


def normalize_name(value: str) -> str:
    """The name trimmed, with runs of whitespace as one space (tools.md §4.2).

    Raises:
        InvalidArgumentsError: a control character, no letters, or not 1-200 characters.
    """
    if any(_is_control(char) for char in value):
        _refuse("new_name contains a control character; send the name as plain text.")
    name = " ".join(value.split())
    if not name:
        _refuse("new_name is required.")
    if len(name) > MAX_NAME_CHARS:
        _refuse(f"new_name is {len(name)} characters; the limit is {MAX_NAME_CHARS}.")
    if all(_is_digit_or_punctuation(char) for char in name if char != " "):
        _refuse("new_name is only digits and punctuation; a name needs letters.")
    return name


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cs"} and char not in _WHITESPACE_CONTROLS


def _is_digit_or_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in {"N", "P"} or char in string.punctuation


def _refuse(message: str) -> NoReturn:
    raise InvalidArgumentsError(message, argument="new_name", details=[message])


def _shared_name_warning(others: int, name: str) -> list[str]:
    if not others:
        return []
    profiles = "profile already uses" if others == 1 else "profiles already use"
    return [
        f"{others} other active {profiles} the name '{name}'; check for duplicates with "
        "find_duplicate_profiles."
    ]


def _preview(profile: EditableProfile, name: str, key: str, others: int) -> WritePreview:
    return WritePreview(
        summary=f"Rename {profile.label} to '{name}'.",
        target=profile.target(),
        before={"name": profile.name},
        after={"name": name},
        effects=["Updates artist_profiles.name and updated_at."],
        idempotency_key=key,
        warnings=_shared_name_warning(others, name),
    )


class UpdateArtistName:
    """Rename an active profile, compare-and-set on the previewed name."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """The before/after names, with a warning when other active profiles share the name."""
        name = normalize_name(call.arguments["new_name"])
        profile = await read_editable_profile(call)
        key = idempotency_key(TOOL, profile, name)
        if profile.name == name:
            before = {"name": profile.name}
            return Unchanged(
                result_fields(call, profile, key) | {"before": before, "after": before}
            )

        pattern = "%" + "%".join(escape_like(word) for word in name.split(" ")) + "%"
        params = {"profile_id": profile.id, "name": name, "pattern": pattern}
        row = await call.db.fetch_one(SHARED_NAME_SQL, params) or {"others": 0}
        return _preview(profile, name, key, int(row["others"]))

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Set the name unless it changed since the re-read."""
        return await apply_value_edit(call, preview, "name", RENAME_SQL)


write_tool(TOOL, UpdateArtistName())
