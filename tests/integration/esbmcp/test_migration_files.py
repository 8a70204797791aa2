"""sql/001 and sql/002 run with plain psql, are idempotent, reconcile older shapes, fold names
without extensions, touch only esbmcp_ objects and keep Supabase client roles out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors, sql

Connection = psycopg.Connection[tuple[Any, ...]]
RunPsql = Callable[[str, Path, bool], None]
Snapshot = dict[str, list[tuple[Any, ...]]]

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
TRACK_FILES = sorted(SQL_DIR.glob("[0-9][0-9][0-9]_*.sql"))

TABLES = (
    "esbmcp_chat_sessions",
    "esbmcp_tool_executions",
    "esbmcp_tool_errors",
    "esbmcp_audit_log",
    "esbmcp_feedback",
    "esbmcp_confirmations",
    "esbmcp_write_operations",
    "esbmcp_rate_limits",
    "esbmcp_request_nonces",
    "esbmcp_slack_event_claims",
)
VIEWS = (
    "esbmcp_v_tool_usage_30d",
    "esbmcp_v_user_activity_30d",
    "esbmcp_v_error_digest_7d",
    "esbmcp_v_daily_volume",
    "esbmcp_v_hourly_heatmap_7d",
    "esbmcp_v_audit_denials_7d",
    "esbmcp_v_unresolved_errors",
    "esbmcp_v_negative_feedback",
)

SNAPSHOT_QUERIES = {
    "pg_attribute": r"""
        SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
               a.attnotnull, pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum)
        FROM pg_attribute AS a
        JOIN pg_class AS c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relname LIKE 'esbmcp\_%' AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    "pg_constraint": r"""
        SELECT conrelid::regclass::text, conname, contype, convalidated,
               pg_get_constraintdef(oid)
        FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conname LIKE 'esbmcp\_%'
        ORDER BY 1, 2""",
    "pg_indexes": r"""
        SELECT tablename, indexname, indexdef
        FROM pg_indexes
        WHERE schemaname = 'public' AND indexname LIKE 'esbmcp\_%'
        ORDER BY 2""",
    "pg_views": r"""
        SELECT viewname, definition
        FROM pg_views
        WHERE schemaname = 'public' AND viewname LIKE 'esbmcp\_%'
        ORDER BY 1""",
    "pg_proc": r"""
        SELECT proname, pg_get_function_identity_arguments(oid), pg_get_functiondef(oid),
               proacl::text
        FROM pg_proc
        WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'esbmcp\_%'
        ORDER BY 1, 2""",
    "pg_class": r"""
        SELECT relname, relkind, relrowsecurity, relforcerowsecurity, relacl::text,
               obj_description(oid, 'pg_class')
        FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relname LIKE 'esbmcp\_%'
        ORDER BY 1""",
}


def snapshot(url: str) -> Snapshot:
    with psycopg.connect(url) as conn:
        return {name: conn.execute(query).fetchall() for name, query in SNAPSHOT_QUERIES.items()}


def run_track(run_psql: RunPsql, url: str, migrations: tuple[Path, ...], single: bool) -> None:
    for path in migrations:
        run_psql(url, path, single)


# -- Plain psql, twice ----------------------------------------------------------------------


@pytest.mark.parametrize("single", [True, False], ids=["single-transaction", "bare-psql"])
def test_running_both_files_twice_with_psql_leaves_identical_catalogs(
    single: bool, database_url: str, run_psql: RunPsql, migrations: tuple[Path, ...]
) -> None:
    run_track(run_psql, database_url, migrations, single)
    first = snapshot(database_url)

    run_track(run_psql, database_url, migrations, single)

    assert len(first["pg_class"]) > len(TABLES) + len(VIEWS)
    assert snapshot(database_url) == first


def test_every_track_file_starts_with_a_lock_timeout() -> None:
    first_lines = {path.name: path.read_text().splitlines()[0] for path in TRACK_FILES}

    assert first_lines == {path.name: "SET lock_timeout = '5s';" for path in TRACK_FILES}


def test_no_track_file_holds_transaction_statements_or_psql_meta_commands() -> None:
    # A plpgsql block's BEGIN is followed by statements, a transaction's by a semicolon.
    pattern = re.compile(
        r"^\s*(BEGIN\s*(WORK|TRANSACTION)?\s*;|COMMIT\b|ROLLBACK\b|START\s+TRANSACTION|\\)",
        re.I | re.M,
    )

    offenders = [path.name for path in TRACK_FILES if pattern.search(path.read_text())]

    assert offenders == []


# -- Reconciliation of an older shape ---------------------------------------------------------

LEGACY_SHAPE = """
CREATE TABLE public.esbmcp_chat_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slack_user_id text NOT NULL,
    user_prompt text NOT NULL,
    status varchar(20) NOT NULL DEFAULT 'completed',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_chat_sessions_status_chk
        CHECK (status IN ('completed', 'error', 'denied', 'rate_limited'))
);
CREATE TABLE public.esbmcp_tool_executions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid REFERENCES public.esbmcp_chat_sessions (id),
    slack_user_id text NOT NULL,
    tool_name text NOT NULL,
    risk_level text NOT NULL,
    ok boolean NOT NULL DEFAULT true,
    duration_ms int NOT NULL DEFAULT 0,
    error_message text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT esbmcp_tool_executions_risk_chk CHECK (risk_level IN ('low', 'medium', 'high'))
);
CREATE TABLE public.esbmcp_tool_errors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid REFERENCES public.esbmcp_chat_sessions (id),
    tool_name text NOT NULL,
    error_type text NOT NULL,
    error_message text NOT NULL,
    resolved boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE public.esbmcp_audit_log (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid REFERENCES public.esbmcp_chat_sessions (id) ON DELETE CASCADE,
    event_type text NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW public.esbmcp_v_tool_usage_30d AS
    SELECT tool_name, count(*) AS calls FROM public.esbmcp_tool_executions GROUP BY tool_name;

WITH s AS (
    INSERT INTO public.esbmcp_chat_sessions (slack_user_id, user_prompt)
    VALUES ('U1', 'hello') RETURNING id
), e AS (
    INSERT INTO public.esbmcp_tool_executions
        (session_id, slack_user_id, tool_name, risk_level, ok, error_message)
    SELECT id, 'U1', 'lookup_event', 'high', false, 'boom' FROM s
), r AS (
    INSERT INTO public.esbmcp_tool_errors (session_id, tool_name, error_type, error_message)
    SELECT id, 'lookup_event', 'db_error', 'boom' FROM s
)
INSERT INTO public.esbmcp_audit_log (session_id, event_type)
SELECT id, 'Legacy Event' FROM s;
"""


@pytest.fixture
def legacy_url(database_url: str, run_psql: RunPsql, migrations: tuple[Path, ...]) -> str:
    """A database with older-shaped esbmcp_ tables and rows, then 001 and 002 applied."""
    with psycopg.connect(database_url) as conn:
        conn.execute(LEGACY_SHAPE.encode())
    run_track(run_psql, database_url, migrations, True)
    return database_url


@pytest.fixture
def fresh_url(
    make_database: Callable[[], str], run_psql: RunPsql, migrations: tuple[Path, ...]
) -> str:
    url = make_database()
    run_track(run_psql, url, migrations, True)
    return url


def columns(url: str) -> set[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT table_name, column_name, data_type
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name LIKE 'esbmcp\\_%'
            """
        ).fetchall()
    return {(str(t), str(c), str(d)) for t, c, d in rows}


def constraints(url: str) -> dict[str, tuple[bool, str]]:
    """Constraint name -> (validated, definition without NOT VALID)."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT conname, convalidated,
                   regexp_replace(pg_get_constraintdef(oid), ' NOT VALID$', '')
            FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace
            """
        ).fetchall()
    return {str(name): (bool(valid), str(definition)) for name, valid, definition in rows}


def test_reconciliation_adds_every_column_of_a_fresh_database(
    legacy_url: str, fresh_url: str
) -> None:
    def names(url: str) -> set[tuple[str, str]]:
        return {(table, column) for table, column, _ in columns(url)}

    assert names(legacy_url) == names(fresh_url)


def test_reconciliation_leaves_existing_column_types_alone(legacy_url: str) -> None:
    types = {(t, c): d for t, c, d in columns(legacy_url)}

    assert types[("esbmcp_chat_sessions", "status")] == "character varying"


def test_reconciliation_adds_not_null_columns_without_default_as_nullable(
    legacy_url: str,
) -> None:
    with psycopg.connect(legacy_url) as conn:
        row = conn.execute(
            """
            SELECT is_nullable FROM information_schema.columns
            WHERE table_name = 'esbmcp_tool_executions' AND column_name = 'service_version'
            """
        ).fetchone()

    assert row == ("YES",)


def test_reconciliation_drops_foreign_keys_from_gateway_tables_to_sessions(
    legacy_url: str,
) -> None:
    with psycopg.connect(legacy_url) as conn:
        rows = conn.execute(
            """
            SELECT conrelid::regclass::text FROM pg_constraint
            WHERE contype = 'f' AND confrelid = 'public.esbmcp_chat_sessions'::regclass
            """
        ).fetchall()

    assert rows == [("esbmcp_feedback",)]


def test_reconciliation_replaces_an_older_risk_check_not_valid(
    legacy_url: str, fresh_url: str
) -> None:
    fresh_definition = constraints(fresh_url)["esbmcp_tool_executions_risk_chk"][1]

    reconciled = constraints(legacy_url)["esbmcp_tool_executions_risk_chk"]

    assert reconciled == (False, fresh_definition)


@pytest.mark.parametrize(
    "name",
    [
        "esbmcp_tool_executions_outcome_chk",
        "esbmcp_tool_errors_type_chk",
        "esbmcp_audit_log_event_type_chk",
        "esbmcp_chat_sessions_tools_called_chk",
    ],
)
def test_reconciliation_adds_missing_checks_not_valid_on_tables_with_rows(
    name: str, legacy_url: str
) -> None:
    validated, _ = constraints(legacy_url)[name]

    assert validated is False


def test_reconciliation_keeps_a_matching_check_on_a_legacy_column_type(legacy_url: str) -> None:
    validated, _ = constraints(legacy_url)["esbmcp_chat_sessions_status_chk"]

    assert validated is True


def test_reconciliation_converges_to_the_fresh_constraint_names(
    legacy_url: str, fresh_url: str
) -> None:
    def names(url: str) -> set[str]:
        return {name for name in constraints(url) if name.startswith("esbmcp_")}

    assert names(legacy_url) == names(fresh_url)


def test_reconciliation_converges_to_the_fresh_index_names(legacy_url: str, fresh_url: str) -> None:
    def names(url: str) -> list[tuple[Any, ...]]:
        return [row[:2] for row in snapshot(url)["pg_indexes"]]

    assert names(legacy_url) == names(fresh_url)


def test_reconciliation_replaces_older_views_with_the_specified_columns(
    legacy_url: str, fresh_url: str
) -> None:
    def view_columns(url: str) -> set[tuple[str, str]]:
        return {(t, c) for t, c, _ in columns(url) if t.startswith("esbmcp_v_")}

    assert view_columns(legacy_url) == view_columns(fresh_url)
    assert {t for t, _ in view_columns(legacy_url)} == set(VIEWS)


def test_reconciled_tables_keep_old_rows_and_refuse_new_rows_that_break_the_spec(
    legacy_url: str,
) -> None:
    with psycopg.connect(legacy_url) as conn:
        kept = conn.execute("SELECT risk_level FROM public.esbmcp_tool_executions").fetchall()
        with pytest.raises(errors.CheckViolation):
            conn.execute(
                """
                INSERT INTO public.esbmcp_tool_executions
                    (slack_user_id, tool_name, risk_level, request_id, user_role, domain,
                     arguments_hash, queued_at, started_at, duration_ms, service_version)
                VALUES ('U1', 'lookup_event', 'high', 'r', 'ops', 'data-read',
                        'k1:00', now(), now(), 1, 'test')
                """
            )

    assert kept == [("high",)]


def test_a_second_run_over_a_reconciled_database_changes_nothing(
    legacy_url: str, run_psql: RunPsql, migrations: tuple[Path, ...]
) -> None:
    first = snapshot(legacy_url)

    run_track(run_psql, legacy_url, migrations, True)

    assert snapshot(legacy_url) == first


# -- esbmcp_fold ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Montréal", "montreal"),
        ("Zoë ÆLFRIC Straße", "zoe aelfric strasse"),
        ("Łódź Ørsted ŞİŞLİ", "lodz orsted sisli"),
        (None, None),
    ],
    ids=["acute", "diaeresis-ligature-sharp-s", "stroke-cedilla-dotted-i", "null"],
)
def test_esbmcp_fold_gives_the_known_answers(
    value: str | None, folded: str | None, db: Connection
) -> None:
    row = db.execute("SELECT public.esbmcp_fold(%s::text)", (value,)).fetchone()

    assert row == (folded,)


@pytest.fixture
def folded_names(db: Connection) -> Connection:
    """A table of names with a text_pattern_ops expression index on esbmcp_fold(name)."""
    db.execute("CREATE TABLE public.esbmcp_fold_probe (name text NOT NULL)")
    db.execute(
        """
        INSERT INTO public.esbmcp_fold_probe
        SELECT 'Artist ' || g FROM generate_series(1, 2000) AS g
        UNION ALL SELECT 'Montréal Painter'
        """
    )
    db.execute(
        """
        CREATE INDEX esbmcp_fold_probe_idx
            ON public.esbmcp_fold_probe (public.esbmcp_fold(name) text_pattern_ops)
        """
    )
    db.execute("ANALYZE public.esbmcp_fold_probe")
    return db


PREFIX_QUERY = """
SELECT name FROM public.esbmcp_fold_probe WHERE public.esbmcp_fold(name) LIKE 'montreal%'
"""
EXPLAIN_PREFIX_QUERY = """
EXPLAIN SELECT name FROM public.esbmcp_fold_probe WHERE public.esbmcp_fold(name) LIKE 'montreal%'
"""


def test_an_expression_index_on_esbmcp_fold_serves_a_prefix_like(folded_names: Connection) -> None:
    folded_names.execute("SET enable_seqscan = off")

    plan = "\n".join(str(row[0]) for row in folded_names.execute(EXPLAIN_PREFIX_QUERY))

    assert "esbmcp_fold_probe_idx" in plan


def test_a_prefix_like_on_esbmcp_fold_finds_accented_names(folded_names: Connection) -> None:
    rows = folded_names.execute(PREFIX_QUERY).fetchall()

    assert rows == [("Montréal Painter",)]


# -- Scope: only esbmcp_ objects ----------------------------------------------------------------

_NAME = r"(?:public\.|pg_temp\.)?\"?(?P<name>%I|%s|[A-Za-z_][A-Za-z0-9_]*)\"?"
_KINDS = (
    r"(?:TABLE|VIEW|MATERIALIZED\s+VIEW|INDEX|FUNCTION|PROCEDURE|TRIGGER|TYPE|DOMAIN|SEQUENCE"
    r"|SCHEMA|EXTENSION|ROLE|POLICY|RULE|AGGREGATE|OPERATOR|PUBLICATION|EVENT\s+TRIGGER)"
)
SCOPE_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:TEMP(?:ORARY)?\s+)?"
        + _KINDS
        + r"\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"
        + _NAME,
        r"\bALTER\s+" + _KINDS + r"\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?" + _NAME,
        r"\bALTER\s+(?:DEFAULT\s+PRIVILEGES|DATABASE|SYSTEM)\b(?P<name>)",
        r"\bDROP\s+" + _KINDS + r"\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?" + _NAME,
        r"\b(?:ADD\s+|DROP\s+)?CONSTRAINT\s+(?:IF\s+EXISTS\s+)?" + _NAME,
        r"\bINDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+(?:ONLY\s+)?" + _NAME,
        r"\bREFERENCES\s+" + _NAME,
        r"\bCOMMENT\s+ON\s+" + _KINDS + r"\s+" + _NAME,
        r"\bCOMMENT\s+ON\s+COLUMN\s+" + _NAME,
        r"\bTRUNCATE\s+(?:TABLE\s+)?" + _NAME,
    )
]


def out_of_scope_names(text: str) -> list[str]:
    """Names of objects the SQL creates, alters or drops that are not esbmcp_ objects.

    Dynamic names (`%I`, `%s` in format strings) are built from esbmcp_ lists in the files.
    """
    code = re.sub(r"--[^\n]*", "", text)
    found = []
    for pattern in SCOPE_PATTERNS:
        for match in pattern.finditer(code):
            name = match.group("name")
            if name in ("%I", "%s") or name.lower().startswith("esbmcp_"):
                continue
            found.append(match.group(0))
    return found


@pytest.mark.parametrize("path", TRACK_FILES, ids=[p.name for p in TRACK_FILES])
def test_track_files_create_alter_or_drop_only_esbmcp_objects(path: Path) -> None:
    assert out_of_scope_names(path.read_text()) == []


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE public.events (id int);",
        "ALTER TABLE public.art ADD COLUMN x int;",
        "DROP VIEW IF EXISTS public.v_sales;",
        "CREATE INDEX IF NOT EXISTS esbmcp_art_idx ON public.art (id);",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
        "ALTER TABLE public.esbmcp_feedback ADD CONSTRAINT feedback_fk CHECK (true);",
        "COMMENT ON TABLE public.people IS 'x';",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon;",
    ],
)
def test_the_scope_check_flags_statements_on_other_objects(statement: str) -> None:
    assert out_of_scope_names(statement) != []


def test_a_migrated_database_holds_only_esbmcp_objects_in_public(db: Connection) -> None:
    rows = db.execute(
        r"""
        SELECT 'class', relname FROM pg_class WHERE relnamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'proc', proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'constraint', conname FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'type', typname FROM pg_type WHERE typnamespace = 'public'::regnamespace
        """
    ).fetchall()

    assert [r for r in rows if not str(r[1]).lstrip("_").startswith("esbmcp_")] == []


def test_no_track_file_requires_an_extension() -> None:
    pattern = re.compile(r"\b(unaccent|similarity|gin_trgm_ops|gist_trgm_ops|crypt|gen_salt)\s*\(")

    assert [p.name for p in TRACK_FILES if pattern.search(p.read_text())] == []


# -- Access ---------------------------------------------------------------------------------


def test_every_table_has_row_level_security_without_force_or_policies(db: Connection) -> None:
    rows = db.execute(
        """
        SELECT relname, relrowsecurity, relforcerowsecurity,
               (SELECT count(*) FROM pg_policy WHERE polrelid = c.oid)
        FROM pg_class AS c
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
        ORDER BY relname
        """
    ).fetchall()

    assert rows == [(table, True, False, 0) for table in sorted(TABLES)]


def read_as(conn: Connection, role: str, relation: str) -> str | int:
    """Rows `role` sees in `relation`, or "denied"."""
    try:
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", relation))
            ).fetchone()
    except errors.InsufficientPrivilege:
        return "denied"
    assert row is not None
    return int(row[0])


@pytest.fixture
def supabase_like_url(
    database_url: str, supabase_roles: tuple[str, ...], apply_migrations: Callable[[str], None]
) -> str:
    """A migrated database whose default privileges grant everything to the client roles, as
    Supabase's do, holding a row in every record table."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated"
        )
        conn.execute(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            "GRANT EXECUTE ON FUNCTIONS TO anon, authenticated"
        )
    apply_migrations(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SEED_ONE_OF_EACH)
    return database_url


SEED_ONE_OF_EACH = """
WITH s AS (
    INSERT INTO public.esbmcp_chat_sessions
        (request_id, slack_user_id, user_prompt, service_version, status, error_message)
    VALUES ('r', 'U1', 'p', 'v', 'error', 'E: x') RETURNING id
), e AS (
    INSERT INTO public.esbmcp_tool_executions
        (session_id, request_id, slack_user_id, user_role, tool_name, domain, risk_level,
         arguments_hash, ok, result_code, error_type, error_message, queued_at, started_at,
         duration_ms, service_version)
    SELECT id, 'r', 'U1', 'ops', 't', 'd', 'read', 'k1:0', false, 'internal_error',
           'unknown', 'x', now(), now(), 1, 'v' FROM s
    RETURNING id, session_id
), f AS (
    INSERT INTO public.esbmcp_feedback (session_id, slack_user_id, rating, slack_message_ts)
    SELECT id, 'U2', -1, '1.2' FROM s
), a AS (
    INSERT INTO public.esbmcp_audit_log (source, event_type, decision, service_version)
    VALUES ('gateway', 'role_denied', 'deny', 'v')
)
INSERT INTO public.esbmcp_tool_errors
    (execution_id, session_id, request_id, slack_user_id, user_role, tool_name, domain,
     arguments_hash, error_type, error_message, error_pattern, service_version)
SELECT id, session_id, 'r', 'U1', 'ops', 't', 'd', 'k1:0', 'unknown', 'x', 'x', 'v' FROM e
"""


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_supabase_client_roles_read_nothing_from_any_table_or_view(
    role: str, supabase_like_url: str
) -> None:
    with psycopg.connect(supabase_like_url, autocommit=True) as conn:
        seen = {relation: read_as(conn, role, relation) for relation in TABLES + VIEWS}

    assert {r: v for r, v in seen.items() if v not in ("denied", 0)} == {}


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_row_level_security_hides_every_row_even_from_a_role_granted_select(
    role: str, supabase_like_url: str
) -> None:
    with psycopg.connect(supabase_like_url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(
                sql.SQL("GRANT SELECT ON {} TO {}").format(
                    sql.Identifier("public", table), sql.Identifier(role)
                )
            )
        seen = {table: read_as(conn, role, table) for table in TABLES}

    assert seen == dict.fromkeys(TABLES, 0)


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_supabase_client_roles_cannot_execute_the_cleanup_function(
    role: str, supabase_like_url: str
) -> None:
    with psycopg.connect(supabase_like_url) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))

        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT public.esbmcp_cleanup_old_data(90)")


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_revokes_take_back_what_supabase_default_privileges_granted(
    role: str, supabase_like_url: str
) -> None:
    with psycopg.connect(supabase_like_url) as conn:
        rows = conn.execute(
            """
            SELECT relname FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v')
              AND (has_table_privilege(%(role)s, oid, 'SELECT')
                   OR has_table_privilege(%(role)s, oid, 'INSERT')
                   OR has_table_privilege(%(role)s, oid, 'UPDATE')
                   OR has_table_privilege(%(role)s, oid, 'DELETE'))
            """,
            {"role": role},
        ).fetchall()

    assert rows == []


def test_every_table_and_column_carries_a_comment(db: Connection) -> None:
    rows = db.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_class AS c
        LEFT JOIN pg_attribute AS a
            ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
          AND (obj_description(c.oid, 'pg_class') IS NULL
               OR col_description(c.oid, a.attnum) IS NULL)
        """
    ).fetchall()

    assert rows == []


def test_every_view_runs_with_the_invokers_rights(db: Connection) -> None:
    rows = db.execute(
        """
        SELECT relname, reloptions FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'v'
        ORDER BY relname
        """
    ).fetchall()

    assert rows == [(view, ["security_invoker=true"]) for view in sorted(VIEWS)]
