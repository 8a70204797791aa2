"""find_duplicate_profiles (tools.md §4.1): groups of artist profiles that share a key."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from artbattle_ops.tools.data_read.people_lookup import search_mode
from artbattle_ops.tools.errors import InvalidArgumentsError
from artbattle_ops.tools.formats import PHONE_KEY_SQL, FormatError, name_words, phone_key
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block
from artbattle_ops.tools.shared import display_time, word_clauses
from artbattle_ops.tools.shared.profiles import resolve_profile

MAX_QUERY_WORDS: Final = 8
FIELDS_BY_MATCH_ON: Final = {
    "phone": ["phone"],
    "email": ["email"],
    "name": ["name"],
    "any": ["same_person", "phone", "email", "name"],
}
CONFIDENCE: Final = {"same_person": "high", "phone": "high", "email": "high", "name": "medium"}
# A full scan gets the slow timeout (§1.8) and, for its transaction only, room to group every
# key in memory (about 10 MB at 25,000 profiles; the server default of 4 MB spills to disk).
FULL_SCAN_SETTINGS: Final = (
    "SELECT set_config('statement_timeout', %(timeout)s, true),"
    " set_config('work_mem', %(work_mem)s, true)"
)
FULL_SCAN_WORK_MEM: Final = "32MB"

# The phone key of §1.2 with a fast path: a phone stored as + and digits only has its digits as
# its key (esbmcp_phone_key gives the same), so one regex test stands in for the function's three.
FAST_PHONE_KEY: Final = (
    "CASE WHEN {column} ~ '^\\+[0-9]+$' THEN substr({column}, 2) ELSE " + PHONE_KEY_SQL + " END"
)
# The name key: esbmcp_fold() with runs of spaces collapsed. esbmcp_fold only maps non-ASCII
# letters before lowering, so an ASCII name folds to lower(name) (most names; far cheaper).
NAME_KEY: Final = (
    "regexp_replace(btrim(CASE WHEN {column} ~ '^[\\x01-\\x7f]*$' THEN lower({column}) "
    "ELSE esbmcp_fold({column}) END), '\\s+', ' ', 'g')"
)

# The ids of the profiles matched by `query` (§1.2 matching for the kind of text), as one SELECT
# per side so that each side uses its own index; a name matches the profile's name only. The
# name form is composed from word placeholders; every value is bound.
QUERY_MATCH: Final = {
    "none": "SELECT NULL::uuid AS id WHERE FALSE",
    "email": """
        SELECT x.id FROM artist_profiles x WHERE lower(x.email) = %(email)s
        UNION
        SELECT x.id FROM people pe JOIN artist_profiles x ON x.person_id = pe.id
        WHERE lower(pe.email) = %(email)s""",
    "phone": """
        SELECT x.id FROM artist_profiles x WHERE """
    + PHONE_KEY_SQL.format(column="x.phone")
    + """ = %(key)s
        UNION
        SELECT x.id FROM people pe JOIN artist_profiles x ON x.person_id = pe.id
        WHERE """
    + PHONE_KEY_SQL.format(column="pe.phone")
    + " = %(key)s",
    "name": "SELECT x.id FROM artist_profiles x WHERE {words}",
}

# Eligible profiles (§4.1 membership) with the columns their keys are computed from.
ELIGIBLE_SQL: Final = """
    SELECT ap.id, ap.name, ap.email, ap.phone, ap.person_id,
           pe.email AS person_email, pe.phone AS person_phone
    FROM artist_profiles ap
    LEFT JOIN people pe ON pe.id = ap.person_id
    WHERE (ap.superseded_by IS NULL OR %(include_superseded)s OR ap.id = %(profile_id)s::uuid)
"""

# Every key of the profiles in {source} (§4.1): a profile has up to two phone and email keys,
# its own and its person's (the person's only where it differs, so no key is listed twice). The
# keys are computed in a subquery that OFFSET 0 keeps from being flattened: inside the LATERAL
# VALUES list the key functions would not be inlined, and calling them there costs about ten
# times as much.
KEYS_SQL: Final = (
    """
    SELECT p.id, k.field, k.value
    FROM (
        SELECT s.id, s.person_id::text AS person_key,
               """
    + FAST_PHONE_KEY.format(column="s.phone")
    + """ AS phone_key,
               """
    + FAST_PHONE_KEY.format(column="s.person_phone")
    + """ AS person_phone_key,
               lower(btrim(s.email)) AS email_key,
               lower(btrim(s.person_email)) AS person_email_key,
               """
    + NAME_KEY.format(column="s.name")
    + """ AS name_key
        FROM {source} s
        OFFSET 0
    ) p
    CROSS JOIN LATERAL (VALUES
        ('same_person', p.person_key),
        ('phone', p.phone_key),
        ('phone', NULLIF(p.person_phone_key, p.phone_key)),
        ('email', p.email_key),
        ('email', NULLIF(p.person_email_key, p.email_key)),
        ('name', p.name_key)
    ) AS k(field, value)
    WHERE k.field = ANY(%(fields)s::text[]) AND k.value <> ''
      AND (k.field <> 'phone' OR length(k.value) BETWEEN 8 AND 15)
      AND (k.field <> 'name' OR length(k.value) >= 4)
"""
)

# The groups in order, with their total, from `groups (field, value, member_ids)`.
ORDERED_GROUPS_SQL: Final = """
SELECT g.field, g.value, g.member_ids, count(*) OVER () AS total_groups
FROM groups g
WHERE (%(profile_id)s::uuid IS NULL OR %(profile_id)s::uuid = ANY(g.member_ids))
  AND (NOT %(by_query)s OR g.member_ids && ARRAY(SELECT m.id FROM matched m))
ORDER BY g.field = 'name', cardinality(g.member_ids) DESC, g.value, g.field
LIMIT %(limit)s
"""

# Without `artist_profile_id` or `query`: the keys of all eligible profiles (a full scan). The
# groups are counted first and their members collected for the returned ones only: collecting
# member arrays for every key (about 75,000 at 25,000 profiles) would spill to disk.
ALL_GROUPS_SQL: Final = (
    "WITH eligible AS ("
    + ELIGIBLE_SQL
    + "), keys AS MATERIALIZED ("
    + KEYS_SQL.format(source="eligible")
    + """), sized AS (
    SELECT k.field, k.value, count(*) AS size
    FROM keys k
    GROUP BY k.field, k.value
    HAVING count(*) >= 2
), returned AS (
    SELECT s.field, s.value, s.size, count(*) OVER () AS total_groups
    FROM sized s
    ORDER BY s.field = 'name', s.size DESC, s.value, s.field
    LIMIT %(limit)s
)
SELECT r.field, r.value, array_agg(k.id) AS member_ids, r.total_groups
FROM returned r
JOIN keys k ON k.field = r.field AND k.value = r.value
GROUP BY r.field, r.value, r.size, r.total_groups
ORDER BY r.field = 'name', r.size DESC, r.value, r.field
"""
)

# The profiles whose keys every returned group shares one of: the given profile, else the matched.
SEED_BY_ID: Final = "ap.id = %(profile_id)s::uuid"
SEED_BY_QUERY: Final = "ap.id IN (SELECT m.id FROM matched m)"

# `k.value` escaped for LIKE. With each space made a `%`, every folded name whose name key is
# `k.value` matches it, so the trigram index on esbmcp_fold(name) finds the candidates.
LIKE_KEY: Final = r"regexp_replace(k.value, '([\\%%_])', '\\\1', 'g')"

# With `artist_profile_id` or `query`: every returned group holds the given profile or a matched
# one, so only their keys (seed_keys) can form groups. The profiles sharing a seed key are found
# through one index lookup per key kind (person_id, phone keys, email keys, folded name), then
# their keys are computed exactly as for a full scan and kept when they are seed keys; the
# groups are therefore the same as those of ALL_GROUPS_SQL.
SEEDED_GROUPS_SQL: Final = (
    "WITH matched AS ({match}), seeds AS ("
    + ELIGIBLE_SQL
    + """  AND {seed}
), seed_keys AS ("""
    + KEYS_SQL.format(source="seeds")
    + """), sharing AS (
    SELECT x.id FROM seeds s JOIN artist_profiles x ON x.person_id = s.person_id
    WHERE 'same_person' = ANY(%(fields)s::text[])
    UNION
    SELECT x.id FROM seed_keys k JOIN artist_profiles x
        ON k.field = 'phone' AND """
    + PHONE_KEY_SQL.format(column="x.phone")
    + """ = k.value
    UNION
    SELECT x.id FROM seed_keys k
    JOIN people pe ON k.field = 'phone' AND """
    + PHONE_KEY_SQL.format(column="pe.phone")
    + """ = k.value
    JOIN artist_profiles x ON x.person_id = pe.id
    UNION
    SELECT x.id FROM seed_keys k JOIN artist_profiles x
        ON k.field = 'email' AND lower(btrim(x.email)) = k.value
    UNION
    SELECT x.id FROM seed_keys k
    JOIN people pe ON k.field = 'email' AND lower(btrim(pe.email)) = k.value
    JOIN artist_profiles x ON x.person_id = pe.id
    UNION
    SELECT x.id FROM seed_keys k JOIN artist_profiles x
        ON k.field = 'name'
        AND esbmcp_fold(x.name) LIKE '%%' || replace("""
    + LIKE_KEY
    + """, ' ', '%%') || '%%'
), candidates AS ("""
    + ELIGIBLE_SQL
    + """  AND ap.id IN (SELECT s.id FROM sharing s)
), keys AS ("""
    + KEYS_SQL.format(source="candidates")
    + """), groups AS (
    SELECT k.field, k.value, array_agg(k.id) AS member_ids
    FROM keys k
    WHERE (k.field, k.value) IN (SELECT s.field, s.value FROM seed_keys s)
    GROUP BY k.field, k.value
    HAVING count(*) >= 2
)"""
    + ORDERED_GROUPS_SQL
)

MEMBERS_SQL: Final = """
SELECT ap.id, ap.entry_id, ap.name, ap.country, ap.superseded_by, ap.person_id, ap.created_at,
       COALESCE(NULLIF(btrim(ap.email), ''), pe.email) AS email,
       COALESCE(NULLIF(btrim(ap.phone), ''), pe.phone) AS phone,
       works.art_rows, works.event_count, last_event.eid AS last_event_eid
FROM artist_profiles ap
LEFT JOIN people pe ON pe.id = ap.person_id
CROSS JOIN LATERAL (
    SELECT count(a.id) AS art_rows, count(DISTINCT a.event_id) AS event_count
    FROM art a WHERE a.artist_id = ap.id
) works
LEFT JOIN LATERAL (
    SELECT e.eid
    FROM art a
    JOIN events e ON e.id = a.event_id
    WHERE a.artist_id = ap.id
    ORDER BY e.event_start_datetime DESC NULLS LAST, e.eid DESC
    LIMIT 1
) last_event ON TRUE
WHERE ap.id = ANY(%(ids)s::uuid[])
"""


def _query_match(query: str | None) -> tuple[str, dict[str, Any]]:
    if query is None:
        return QUERY_MATCH["none"], {}
    mode = search_mode(query, None)
    if mode == "email":
        return QUERY_MATCH["email"], {"email": query.strip().lower()}
    if mode == "phone":
        try:
            return QUERY_MATCH["phone"], {"key": phone_key(query, "query")}
        except FormatError as error:
            raise InvalidArgumentsError(
                error.message, argument="query", details=[error.message]
            ) from error
    words, params = word_clauses("x.name", name_words(query)[:MAX_QUERY_WORDS], "word")
    return QUERY_MATCH["name"].format(words=words), params


def _groups_sql(profile_id: str | None, query: str | None, match_sql: str) -> str:
    if profile_id is None and query is None:
        return ALL_GROUPS_SQL
    seed = SEED_BY_ID if profile_id is not None else SEED_BY_QUERY
    return SEEDED_GROUPS_SQL.format(match=match_sql, seed=seed)


def _rank(member: dict[str, Any]) -> tuple[int, bool, datetime | None, str]:
    """Most art rows first, then the earliest created, then the id (§4.1 suggested primary)."""
    created: datetime | None = member["created_at"]
    return (-int(member["art_rows"]), created is None, created, str(member["id"]))


def _profile(call: ToolCall, row: dict[str, Any]) -> dict[str, Any]:
    superseded_by = None if row["superseded_by"] is None else str(row["superseded_by"])
    return {
        "artist_profile_id": str(row["id"]),
        "entry_id": row["entry_id"],
        "name": row["name"],
        "country": row["country"],
        "is_active": superseded_by is None,
        "superseded_by": superseded_by,
        "person_id": None if row["person_id"] is None else str(row["person_id"]),
        "email": row["email"],
        "phone": row["phone"],
        "event_count": int(row["event_count"]),
        "last_event_eid": row["last_event_eid"],
        "created_at": display_time(call, row["created_at"]),
    }


def _match_value(field: str, value: str) -> str:
    return f"+{value}" if field == "phone" else value


def _group(call: ToolCall, row: dict[str, Any], members: dict[str, Any]) -> dict[str, Any]:
    rows = sorted((members[str(i)] for i in row["member_ids"]), key=_rank)
    return {
        "match_field": row["field"],
        "match_value": _match_value(row["field"], row["value"]),
        "confidence": CONFIDENCE[row["field"]],
        "suggested_primary_id": str(rows[0]["id"]),
        "profiles": block([_profile(call, member) for member in rows]),
    }


async def _prepare_full_scan(call: ToolCall) -> None:
    timeout = call.spec.slow_statement_timeout_ms
    if timeout is not None:
        await call.db.fetch_one(
            FULL_SCAN_SETTINGS, {"timeout": f"{timeout}ms", "work_mem": FULL_SCAN_WORK_MEM}
        )


@read_tool("find_duplicate_profiles")
async def find_duplicate_profiles(call: ToolCall) -> dict[str, Any]:
    """Groups of profiles sharing a person, phone key, email or folded name; changes nothing."""
    profile_id, query = call.arguments.get("artist_profile_id"), call.arguments.get("query")
    if profile_id is not None:
        await resolve_profile(call, profile_id)
    match_sql, match_params = _query_match(query)
    if profile_id is None and query is None:
        await _prepare_full_scan(call)

    params = {
        **match_params,
        "profile_id": profile_id,
        "by_query": query is not None,
        "include_superseded": bool(call.arguments["include_superseded"]),
        "fields": FIELDS_BY_MATCH_ON[call.arguments["match_on"]],
        "limit": int(call.arguments["limit"]),
    }
    groups = await call.db.fetch_all(_groups_sql(profile_id, query, match_sql), params)

    ids = sorted({str(i) for row in groups for i in row["member_ids"]})
    rows = await call.db.fetch_all(MEMBERS_SQL, {"ids": ids}) if ids else []
    members = {str(row["id"]): row for row in rows}
    total = int(groups[0]["total_groups"]) if groups else 0
    return {"groups": block([_group(call, row, members) for row in groups], total=total)}
