"""`check_rls_policies` (tools.md §7.4): row-level security flags and policies, from the catalogs.

Schema and table names are bound as values and compared with the catalogs, never spliced into
SQL; every lookup is qualified by schema, so a same-named table elsewhere is never mixed in.
"""

from __future__ import annotations

from typing import Any

from artbattle_ops.tools.errors import NotFoundError
from artbattle_ops.tools.registry import ToolCall, read_tool
from artbattle_ops.tools.results import block

EXPRESSION_CHARS = 500
MAX_TABLES = 200

SCHEMA_SQL = "SELECT 1 AS found FROM pg_catalog.pg_namespace WHERE nspname = %(schema)s"

TABLE_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s
   AND c.relname = %(table)s
   AND c.relkind IN ('r', 'p')
"""

POLICIES_SQL = """
SELECT policyname, permissive, roles::text[] AS roles, cmd,
       CASE WHEN length(qual) > %(chars)s
            THEN left(qual, %(chars)s - 1) || '…' ELSE qual END AS qual,
       CASE WHEN length(with_check) > %(chars)s
            THEN left(with_check, %(chars)s - 1) || '…' ELSE with_check END AS with_check
  FROM pg_catalog.pg_policies
 WHERE schemaname = %(schema)s
   AND tablename = %(table)s
 ORDER BY policyname
"""

TABLES_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       (SELECT count(*) FROM pg_catalog.pg_policies p
         WHERE p.schemaname = n.nspname AND p.tablename = c.relname) AS policy_count,
       count(*) OVER () AS total,
       count(*) FILTER (WHERE NOT c.relrowsecurity) OVER () AS rls_disabled,
       count(*) FILTER (WHERE c.relrowsecurity AND NOT EXISTS (
           SELECT 1 FROM pg_catalog.pg_policies p
            WHERE p.schemaname = n.nspname AND p.tablename = c.relname)) OVER ()
         AS rls_enabled_no_policies
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s
   AND c.relkind IN ('r', 'p')
 ORDER BY c.relname
 LIMIT %(limit)s
"""


@read_tool("check_rls_policies")
async def check_rls_policies(call: ToolCall) -> dict[str, Any]:
    """One table's flags and policies, or every table of the schema with its flags."""
    schema, table = split_table_name(call.arguments.get("table_name"), call.arguments)
    if table is None:
        return await _schema_tables(call, schema)

    params = {"schema": schema, "table": table, "chars": EXPRESSION_CHARS}
    row = await call.db.fetch_one(TABLE_SQL, params)
    if row is None:
        raise NotFoundError(
            f"No table {table} found in schema {schema}.",
            argument="table_name",
            hint="Call check_rls_policies without table_name to list the schema's tables.",
        )
    policies = await call.db.fetch_all(POLICIES_SQL, params)
    return {
        "schema": schema,
        "table": table,
        "rls_enabled": row["relrowsecurity"],
        "rls_forced": row["relforcerowsecurity"],
        "policies": block([_policy(policy) for policy in policies]),
    }


def split_table_name(table_name: str | None, arguments: dict[str, Any]) -> tuple[str, str | None]:
    """(schema, table): the schema part of `schema.table` overrides `schema_name`."""
    schema = str(arguments.get("schema_name") or "public")
    if not table_name:
        return schema, None
    if "." in table_name:
        schema, table_name = table_name.split(".", 1)
    return schema, table_name


async def _schema_tables(call: ToolCall, schema: str) -> dict[str, Any]:
    if await call.db.fetch_one(SCHEMA_SQL, {"schema": schema}) is None:
        raise NotFoundError(
            f"No schema {schema} found.",
            argument="schema_name",
            hint="Leave schema_name out to inspect the public schema.",
        )
    rows = await call.db.fetch_all(TABLES_SQL, {"schema": schema, "limit": MAX_TABLES})
    first = rows[0] if rows else {}
    return {
        "schema": schema,
        "tables": block([_table(row) for row in rows], total=int(first.get("total") or 0)),
        "counts": {
            "rls_disabled": int(first.get("rls_disabled") or 0),
            "rls_enabled_no_policies": int(first.get("rls_enabled_no_policies") or 0),
        },
    }


def rls_flag(enabled: bool, policy_count: int) -> str | None:
    """`rls_disabled`, `rls_enabled_no_policies` (only privileged roles can read), or None."""
    if not enabled:
        return "rls_disabled"
    return "rls_enabled_no_policies" if policy_count == 0 else None


def _table(row: dict[str, Any]) -> dict[str, Any]:
    count = int(row["policy_count"])
    return {
        "table": row["relname"],
        "rls_enabled": row["relrowsecurity"],
        "rls_forced": row["relforcerowsecurity"],
        "policy_count": count,
        "flag": rls_flag(row["relrowsecurity"], count),
    }


def _policy(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row["policyname"],
        "permissive": row["permissive"] == "PERMISSIVE",
        "roles": list(row["roles"] or []),
        "command": row["cmd"],
        "using": row["qual"],
        "with_check": row["with_check"],
    }
