"""check_rls_policies (tools.md §7.4) on the demo database, against independent catalog SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.integration.tools.conftest import DemoGateway

TOOL = "check_rls_policies"


@pytest.fixture
def same_name_in_other_schema(demo_gateway: DemoGateway) -> Iterator[str]:
    """A schema holding its own `artist_payments` with RLS off and no policies; dropped after."""
    schema = f"probe_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        conn.execute(
            sql.SQL("CREATE TABLE {}.artist_payments (id int)").format(sql.Identifier(schema))
        )
    yield schema
    with psycopg.connect(demo_gateway.demo.url) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def _policy_names(demo_gateway: DemoGateway, schema: str, table: str) -> list[str]:
    rows = demo_gateway.sql(
        "SELECT policyname FROM pg_policies WHERE schemaname = %s AND tablename = %s"
        " ORDER BY policyname",
        (schema, table),
    )
    return [row[0] for row in rows]


def test_a_table_lists_its_policies_by_name(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"table_name": "artist_payments"})

    policies = envelope["data"]["policies"]["items"]
    assert [p["name"] for p in policies] == _policy_names(demo_gateway, "public", "artist_payments")


def test_a_table_reports_its_rls_flags(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"table_name": "events"})

    [(enabled, forced)] = demo_gateway.sql(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
        " WHERE oid = 'public.events'::regclass"
    )
    data = envelope["data"]
    assert (data["schema"], data["table"], data["rls_enabled"], data["rls_forced"]) == (
        "public",
        "events",
        enabled,
        forced,
    )


def test_a_policy_shows_command_roles_and_expression(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"table_name": "events"})

    [(roles, cmd, qual)] = demo_gateway.sql(
        "SELECT roles::text[], cmd, qual FROM pg_policies"
        " WHERE schemaname = 'public' AND tablename = 'events'"
        " AND policyname = 'Public read events'"
    )
    [policy] = [
        p for p in envelope["data"]["policies"]["items"] if p["name"] == "Public read events"
    ]
    assert policy == {
        "name": "Public read events",
        "permissive": True,
        "roles": roles,
        "command": cmd,
        "using": qual,
        "with_check": None,
    }


def test_payment_reminders_is_reported_with_rls_disabled(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    tables = {t["table"]: t for t in envelope["data"]["tables"]["items"]}
    assert (tables["payment_reminders"]["rls_enabled"], tables["payment_reminders"]["flag"]) == (
        False,
        "rls_disabled",
    )


def test_the_schema_listing_holds_every_table_by_name(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"schema_name": "public"})

    rows = demo_gateway.sql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    tables = envelope["data"]["tables"]
    assert ([t["table"] for t in tables["items"]], tables["total"]) == (
        [row[0] for row in rows],
        len(rows),
    )


def test_counts_name_tables_with_rls_off_or_without_policies(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    [(disabled, no_policies)] = demo_gateway.sql(
        "SELECT count(*) FILTER (WHERE NOT c.relrowsecurity),"
        " count(*) FILTER (WHERE c.relrowsecurity AND NOT EXISTS (SELECT 1 FROM pg_policies p"
        "  WHERE p.schemaname = 'public' AND p.tablename = c.relname))"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    )
    assert envelope["data"]["counts"] == {
        "rls_disabled": disabled,
        "rls_enabled_no_policies": no_policies,
    }


def test_a_table_with_rls_and_no_policies_is_flagged(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {})

    tables = {t["table"]: t for t in envelope["data"]["tables"]["items"]}
    assert (tables["email_logs"]["policy_count"], tables["email_logs"]["flag"]) == (
        0,
        "rls_enabled_no_policies",
    )


def test_schema_qualified_name_never_mixes_in_the_public_table(
    demo_gateway: DemoGateway, same_name_in_other_schema: str
) -> None:
    envelope = demo_gateway.call(
        TOOL, {"table_name": f"{same_name_in_other_schema}.artist_payments"}
    )

    data = envelope["data"]
    assert (data["schema"], data["rls_enabled"], data["policies"]["total"]) == (
        same_name_in_other_schema,
        False,
        0,
    )


def test_an_unknown_table_is_not_found_naming_table_and_schema(
    demo_gateway: DemoGateway,
) -> None:
    envelope = demo_gateway.call(TOOL, {"table_name": "no_such_table"})

    error = envelope["error"]
    assert (error["code"], error["argument"], "no_such_table" in error["message"]) == (
        "not_found",
        "table_name",
        True,
    )


def test_a_table_name_that_is_sql_stays_a_value(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {"table_name": "events; drop table events"})

    assert envelope["error"]["code"] == "invalid_arguments"


@pytest.mark.parametrize(
    "arguments",
    [
        {"table_name": "Events"},
        {"table_name": "a.b.c"},
        {"schema_name": "public schema"},
        {"table_name": 7},
    ],
    ids=["upper-case", "two-dots", "space-in-schema", "number"],
)
def test_bad_arguments_are_invalid_arguments(
    demo_gateway: DemoGateway, arguments: dict[str, Any]
) -> None:
    envelope = demo_gateway.call(TOOL, arguments)

    assert envelope["error"]["code"] == "invalid_arguments"


def test_roles_other_than_ops_are_denied(demo_gateway: DemoGateway) -> None:
    envelope = demo_gateway.call(TOOL, {}, role="viewer")

    assert envelope["error"]["code"] == "role_denied"
