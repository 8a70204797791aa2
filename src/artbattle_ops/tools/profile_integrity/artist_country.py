"""update_artist_country (tools.md §4.4): set an artist's country to an assigned ISO code."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.profile_integrity.country_codes import (
    Country,
    assigned_country,
    suggest_country,
)
from artbattle_ops.tools.profile_integrity.profile_edits import (
    EditableProfile,
    apply_value_edit,
    idempotency_key,
    read_editable_profile,
    result_fields,
)
from artbattle_ops.tools.registry import ToolCall, Unchanged, WritePreview, write_tool

TOOL: Final = "update_artist_country"

HAS_EVENTS_SQL: Final = """
SELECT EXISTS (SELECT 1 FROM countries c WHERE c.code = %(code)s) AS listed
"""

SET_COUNTRY_SQL: Final = """
UPDATE artist_profiles
SET country = %(new)s, updated_at = now()
WHERE id = %(profile_id)s::uuid AND country IS NOT DISTINCT FROM %(previewed)s
RETURNING updated_at
"""


def check_country(value: str) -> Country:
    """The assigned country of an ISO 3166-1 alpha-2 code; the value is never converted.

    Raises:
        InvalidArgumentsError: not an assigned code; the hint names the code meant, if any.
    """
    text = value.strip()
    country = assigned_country(text.upper())
    if country is not None:
        return country

    message = f"new_country must be an ISO 3166-1 alpha-2 code such as CA; '{text}' is not one."
    meant = suggest_country(text)
    hint = None
    if meant is not None:
        hint = f"Did you mean {meant.alpha2} ({meant.name})? Call again with that code."
    raise InvalidArgumentsError(message, argument="new_country", hint=hint, details=[message])


def _shown(stored: str | None) -> str:
    return "no country" if stored is None else f"'{stored}'"


def _no_events_warning(country: Country) -> str:
    return (
        f"There are no events in {country.name}: {country.alpha2} is not in the countries "
        "table. The change is still allowed."
    )


def _preview(profile: EditableProfile, country: Country, key: str, listed: bool) -> WritePreview:
    return WritePreview(
        summary=f"Change country of {profile.label} from {_shown(profile.country)} to "
        f"'{country.alpha2}'.",
        target=profile.target(),
        before={"country": profile.country},
        after={"country": country.alpha2, "country_name": country.name},
        effects=["Updates artist_profiles.country and updated_at."],
        idempotency_key=key,
        warnings=[] if listed else [_no_events_warning(country)],
    )


class UpdateArtistCountry:
    """Set the country code of an active profile, compare-and-set on the previewed value."""

    async def preview(self, call: ToolCall) -> WritePreview | Unchanged:
        """The stored value as it is, the new code with its English name."""
        country = check_country(call.arguments["new_country"])
        profile = await read_editable_profile(call)
        key = idempotency_key(TOOL, profile, country.alpha2)
        after = {"country": country.alpha2, "country_name": country.name}
        if profile.country == country.alpha2:
            before = {"country": profile.country}
            return Unchanged(result_fields(call, profile, key) | {"before": before, "after": after})

        row = await call.db.fetch_one(HAS_EVENTS_SQL, {"code": country.alpha2})
        return _preview(profile, country, key, bool(row and row["listed"]))

    async def apply(self, call: ToolCall, preview: WritePreview) -> dict[str, Any]:
        """Set the code unless the stored country changed since the re-read."""
        return await apply_value_edit(call, preview, "country", SET_COUNTRY_SQL)


write_tool(TOOL, UpdateArtistCountry())
