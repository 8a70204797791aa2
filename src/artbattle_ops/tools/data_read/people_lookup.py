"""lookup_person (tools.md §3.2): find people by name, email or phone, exact matches first."""

from __future__ import annotations

import re
from typing import Any, Final

from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.formats import (
    PHONE_KEY_SQL,
    FormatError,
    escape_like,
    name_words,
    phone_key,
)
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, word_clauses

MAX_QUERY_WORDS: Final = 8
MAX_PROFILES: Final = 5
PHONE_SHAPE: Final = re.compile(r"[0-9\s+().\-/]+")
PHONE_SHAPE_MIN_DIGITS: Final = 7

# The exact expression the people name indexes use (schema.md §4.2, §4.10).
FULL_NAME: Final = "coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')"

EXACT_BY_MODE: Final = {
    "name": (
        f"(esbmcp_fold({FULL_NAME}) = esbmcp_fold(%(exact)s)"
        " OR esbmcp_fold(p.name) = esbmcp_fold(%(exact)s))"
    ),
    "email": "(lower(p.email) = %(exact)s)",
    "phone": "TRUE",
}

# {exact} and {match} are the fixed fragments above; every value is bound.
PEOPLE_SQL: Final = """
WITH matched AS (
    SELECT p.id, p.first_name, p.last_name, p.name, p.email, p.phone, p.created_at,
           p.superseded_by, {exact} AS is_exact, count(*) OVER () AS total_matches
    FROM people p
    WHERE {match}
    ORDER BY is_exact DESC, p.superseded_by IS NOT NULL, p.created_at DESC NULLS LAST, p.id
    LIMIT %(limit)s
)
SELECT m.id, m.first_name, m.last_name, m.name, m.email, m.phone, m.created_at,
       m.superseded_by, m.total_matches, prof.total AS profile_total, prof.items AS profiles
FROM matched m
LEFT JOIN LATERAL (
    SELECT count(*) AS total,
           COALESCE(jsonb_agg(jsonb_build_object('artist_profile_id', ap.id::text,
                                                 'name', ap.name)
                              ORDER BY ap.name, ap.id) FILTER (WHERE ap.position <= {cap}),
                    '[]'::jsonb) AS items
    FROM (
        SELECT x.id, x.name, row_number() OVER (ORDER BY x.name, x.id) AS position
        FROM artist_profiles x
        WHERE x.person_id = m.id
    ) ap
) prof ON TRUE
ORDER BY m.is_exact DESC, m.superseded_by IS NOT NULL, m.created_at DESC NULLS LAST, m.id
"""


def search_mode(query: str, search_by: str | None) -> str:
    """The search kind (§3.2): as asked, else email with `@`, phone by shape, else name."""
    if search_by:
        return search_by
    if "@" in query:
        return "email"
    digits = sum(ch.isdigit() for ch in query)
    if PHONE_SHAPE.fullmatch(query) and digits >= PHONE_SHAPE_MIN_DIGITS:
        return "phone"
    return "name"


def _match(mode: str, query: str) -> tuple[str, dict[str, Any]]:
    if mode == "phone":
        try:
            key = phone_key(query, "phone")
        except FormatError as error:
            raise InvalidArgumentsError(
                error.message, argument="query", details=[error.message]
            ) from error
        return PHONE_KEY_SQL.format(column="p.phone") + " = %(key)s", {"key": key}
    if mode == "email":
        email = query.strip().lower()
        pattern = escape_like(email) if "@" in email else f"%{escape_like(email)}%"
        return "p.email ILIKE %(pattern)s", {"pattern": pattern, "exact": email}

    words = name_words(query)[:MAX_QUERY_WORDS]
    full_sql, full_params = word_clauses(FULL_NAME, words, "full_word")
    name_sql, name_params = word_clauses("p.name", words, "name_word")
    exact = " ".join(query.split())
    return f"({full_sql} OR {name_sql})", {**full_params, **name_params, "exact": exact}


def _person(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    profiles = list(row["profiles"] or [])
    return {
        "person_id": str(row["id"]),
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "created_at": display_time(call, row["created_at"]),
        "is_active": row["superseded_by"] is None,
        "superseded_by": None if row["superseded_by"] is None else str(row["superseded_by"]),
        "artist_profiles": block(profiles, total=int(row["profile_total"] or 0)),
    }


@read_tool("lookup_person")
async def lookup_person(call: ToolCall) -> dict[str, Any]:
    """People matching a name, an email or a phone key, exact matches first."""
    query = call.arguments["query"]
    mode = search_mode(query, call.arguments.get("search_by"))
    match_sql, params = _match(mode, query)

    sql = PEOPLE_SQL.format(exact=EXACT_BY_MODE[mode], match=match_sql, cap=MAX_PROFILES)
    rows = await call.db.fetch_all(sql, {**params, "limit": int(call.arguments["limit"])})

    total = int(rows[0]["total_matches"]) if rows else 0
    people = [_person(call, row) for row in rows]
    return {"search_by_used": mode, "people": block(people, total=total)}
