"""lookup_artist_profile (tools.md §3.3): find artist profiles and the ids other tools need."""

from __future__ import annotations

from typing import Any, Final

from artbattle_ops.tools.errors import InvalidArgumentsError, NotFoundError
from artbattle_ops.tools.formats import EXAMPLE_UUID, is_uuid, name_words
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, warn_once, word_clauses

MAX_QUERY_WORDS: Final = 8
BIO_CUT_CHARS: Final = 300
MAX_ENTRY_ID_DIGITS: Final = 12

MATCH_BY_MODE: Final = {
    "id": "ap.id = %(uuid)s::uuid",
    "person_id": "ap.person_id = %(uuid)s::uuid",
    "entry_id": "ap.entry_id = %(entry_id)s",
}

# {match} is one fixed fragment (MATCH_BY_MODE or name words); every value is bound.
PROFILES_SQL: Final = """
WITH matched AS (
    SELECT ap.id, ap.entry_id, ap.name, ap.country, ap.abhq_bio, ap.email, ap.phone,
           ap.person_id, ap.superseded_by, ap.created_at, ap.updated_at,
           COALESCE(esbmcp_fold(ap.name) = esbmcp_fold(%(exact)s), false) AS is_exact,
           ev.event_count, count(*) OVER () AS total_matches
    FROM artist_profiles ap
    CROSS JOIN LATERAL (
        SELECT count(DISTINCT a.event_id) AS event_count FROM art a WHERE a.artist_id = ap.id
    ) ev
    WHERE {match}
    ORDER BY ap.superseded_by IS NOT NULL, is_exact DESC, ev.event_count DESC,
             ap.created_at DESC NULLS LAST, ap.id
    LIMIT %(limit)s
)
SELECT m.id, m.entry_id, m.name, m.country, m.abhq_bio, m.email, m.phone, m.person_id,
       m.superseded_by, m.created_at, m.updated_at, m.event_count, m.total_matches,
       pe.id AS pe_id, pe.first_name, pe.last_name, pe.email AS pe_email, pe.phone AS pe_phone,
       last_event.eid AS last_event_eid
FROM matched m
LEFT JOIN people pe ON pe.id = m.person_id
LEFT JOIN LATERAL (
    SELECT e.eid
    FROM art a
    JOIN events e ON e.id = a.event_id
    WHERE a.artist_id = m.id
    ORDER BY e.event_start_datetime DESC NULLS LAST, e.eid DESC
    LIMIT 1
) last_event ON TRUE
ORDER BY m.superseded_by IS NOT NULL, m.is_exact DESC, m.event_count DESC,
         m.created_at DESC NULLS LAST, m.id
"""


def _invalid(message: str) -> InvalidArgumentsError:
    return InvalidArgumentsError(message, argument="query", details=[message])


def _match(mode: str, query: str) -> tuple[str, dict[str, Any]]:
    if mode in ("id", "person_id"):
        if not is_uuid(query):
            raise _invalid(f"query must be a uuid such as {EXAMPLE_UUID} when search_by is {mode}.")
        return MATCH_BY_MODE[mode], {"uuid": query.lower(), "exact": None}
    if mode == "entry_id":
        if not query.isascii() or not query.isdigit() or len(query) > MAX_ENTRY_ID_DIGITS:
            raise _invalid(
                "query must be the artist number (digits only) when search_by is entry_id."
            )
        return MATCH_BY_MODE[mode], {"entry_id": int(query), "exact": None}

    words = name_words(query)[:MAX_QUERY_WORDS]
    sql, params = word_clauses("ap.name", words, "word")
    return sql, {**params, "exact": " ".join(query.split())}


def _bio(text: str | None, *, full: bool) -> str | None:
    if text is None or full or len(text) <= BIO_CUT_CHARS:
        return text
    return text[:BIO_CUT_CHARS] + "…"


def _person(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["pe_id"] is None:
        return None
    return {
        "person_id": str(row["pe_id"]),
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": row["pe_email"],
        "phone": row["pe_phone"],
    }


def _profile(call: ToolCall, row: dict[str, Any], *, full_bio: bool) -> dict[str, Any]:
    superseded_by = None if row["superseded_by"] is None else str(row["superseded_by"])
    return {
        "artist_profile_id": str(row["id"]),
        "entry_id": row["entry_id"],
        "name": row["name"],
        "country": row["country"],
        "is_active": superseded_by is None,
        "superseded_by": superseded_by,
        "abhq_bio": _bio(row["abhq_bio"], full=full_bio),
        "abhq_bio_length": None if row["abhq_bio"] is None else len(row["abhq_bio"]),
        "profile_email": row["email"],
        "profile_phone": row["phone"],
        "person": _person(row),
        "event_count": int(row["event_count"]),
        "last_event_eid": row["last_event_eid"],
        "created_at": display_time(call, row["created_at"]),
        "updated_at": display_time(call, row["updated_at"]),
    }


def _not_found(mode: str, query: str) -> NotFoundError:
    wanted = "artist_profile_id" if mode == "id" else "entry_id"
    return NotFoundError(
        f"No artist profile found with {wanted} {query}.",
        argument="query",
        hint=f"Search by name to find the {wanted}.",
    )


@read_tool("lookup_artist_profile")
async def lookup_artist_profile(call: ToolCall) -> dict[str, Any]:
    """Artist profiles by name, id, person_id or entry_id; active and exact matches first."""
    query, mode = call.arguments["query"], call.arguments["search_by"]
    match_sql, params = _match(mode, query)

    sql = PROFILES_SQL.format(match=match_sql)
    rows = await call.db.fetch_all(sql, {**params, "limit": int(call.arguments["limit"])})
    if not rows and mode in ("id", "entry_id"):
        raise _not_found(mode, query)

    if mode == "id" and rows[0]["superseded_by"] is not None:
        replacement = rows[0]["superseded_by"]
        message = f"Profile {rows[0]['id']} is superseded by {replacement}; use that profile."
        warn_once(call, "superseded_profile", message)
    profiles = [_profile(call, row, full_bio=mode == "id") for row in rows]
    total = int(rows[0]["total_matches"]) if rows else 0
    return {"profiles": block(profiles, total=total)}
