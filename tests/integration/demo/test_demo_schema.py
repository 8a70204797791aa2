"""The demo schema files of sql/demo build what the tools need (schema.md §2-§6, tools.md §9).

Most checks read the catalog of one module-wide database built by applying the files directly,
after the esbmcp_ migrations, exactly as the loader orders them (with no data in between).
Tests that change data use a fresh database of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from artbattle_ops.db.migrations import list_files, migrate
from artbattle_ops.demo.catalog import DEMO_SQL_DIR

DEMO_FILES = list_files(DEMO_SQL_DIR)

EXPECTED_FILES = [
    "001_guard_and_meta.sql",
    "002_roles_and_auth.sql",
    "003_types.sql",
    "010_reference.sql",
    "020_people_and_artists.sql",
    "030_events_and_live.sql",
    "040_artist_pipeline.sql",
    "050_payments.sql",
    "060_ticketing_and_ads.sql",
    "070_messaging_and_ops.sql",
    "080_functions.sql",
    "090_rls.sql",
    "100_secondary_indexes.sql",
    "110_search_indexes.sql",
    "120_finalize.sql",
]

# tools.md §9.1, plus the columns schema.md §4 and §7 give the writers and the emulator.
# Types are families: text covers varchar and char, int covers integer and bigint.
REQUIRED_COLUMNS: dict[str, str] = {
    "events": "id uuid, eid text, name text, event_start_datetime timestamptz, "
    "event_end_datetime timestamptz, timezone_icann text, enabled bool, show_in_app bool, "
    "currency text, event_level event_level_type, eventbrite_id text, meta_ads_budget numeric, "
    "other_ads_budget numeric, capacity int, city_id uuid, venue_id uuid, "
    "artist_auction_portion numeric, tax numeric, enable_auction bool, "
    "auction_start_bid numeric, min_bid_increment numeric, auction_close_starts_at timestamptz, "
    "auction_close_round_delay int, current_round int, expected_number_of_rounds int, "
    "target_artists_booked int, applications_open bool, door_time time, paint_time time, "
    "showtime time, stripe_account_region text, ticket_link text, timezone_id uuid, "
    "created_at timestamptz, updated_at timestamptz",
    "cities": "id uuid, name text, country_id uuid, timezone_id uuid",
    "countries": "id uuid, name text, code text, currency_code text",
    "timezones": "id uuid, icann text",
    "venues": "id uuid, name text, address text",
    "people": "id uuid, first_name text, last_name text, name text, email text, phone text, "
    "message_blocked int, superseded_by uuid, auth_user_id uuid, is_artist bool, "
    "created_at timestamptz",
    "artist_profiles": "id uuid, entry_id int, name text, person_id uuid, abhq_bio text, "
    "country text, email text, phone text, superseded_by uuid, created_at timestamptz, "
    "updated_at timestamptz",
    "art": "id uuid, event_id uuid, artist_id uuid, art_code text, round int, easel int, "
    "status art_status, current_bid numeric, final_price numeric, closing_time timestamptz, "
    "auction_extended bool, extension_count int, winner_id uuid, created_at timestamptz",
    "bids": "id uuid, art_id uuid, person_id uuid, amount numeric, created_at timestamptz",
    "votes": "id uuid, event_id uuid, art_uuid uuid, art_id text, round int, person_id uuid, "
    "vote_factor numeric, created_at timestamptz",
    "vote_weights": "id uuid, event_id uuid, person_id uuid, vote_factor numeric, "
    "from_source text, created_at timestamptz",
    "rounds": "id uuid, event_id uuid, round_number int, is_finished bool, "
    "closing_time timestamptz, created_at timestamptz",
    "round_contestants": "id uuid, round_id uuid, artist_id uuid, art_id uuid, "
    "easel_number int, is_winner int",
    "endpoint_cache_versions": "endpoint_path text, event_eid text, last_updated timestamptz",
    "eventbrite_api_cache": "id uuid, event_id uuid, eid text, eventbrite_id text, "
    "eventbrite_event_name text, fetched_at timestamp, expires_at timestamp, "
    "total_tickets_sold int, total_capacity int, gross_revenue numeric, ticket_revenue numeric, "
    "taxes_collected numeric, eventbrite_fees numeric, payment_processing_fees numeric, "
    "total_fees numeric, net_deposit numeric, currency_code text, ticket_classes jsonb, "
    "api_response_status text, data_quality_score int, data_quality_flags jsonb",
    "artist_invitations": "id uuid, event_eid text, artist_profile_id uuid, artist_number text, "
    "status invitation_status, message_from_producer text, accepted_at timestamptz, "
    "entry_date timestamptz, metadata jsonb, created_at timestamptz",
    "artist_confirmations": "id uuid, event_eid text, artist_profile_id uuid, "
    "artist_number text, confirmation_status text, created_at timestamptz",
    "artist_applications": "id uuid, event_eid text, artist_profile_id uuid, "
    "application_status text, applied_at timestamptz",
    "qr_codes": "id uuid, code text, event_id uuid, generated_at timestamptz, "
    "expires_at timestamptz, is_active bool",
    "people_qr_scans": "id uuid, person_id uuid, event_id uuid, qr_code text, "
    "scan_timestamp timestamptz, is_valid bool",
    "person_vote_weights": "person_id uuid, phone text, base_weight numeric, "
    "artist_bonus numeric, vote_history_bonus numeric, bid_history_bonus numeric, "
    "total_weight numeric, last_calculated timestamptz",
    "artist_global_payments": "id uuid, artist_profile_id uuid, status text, "
    "stripe_recipient_id text, country text, default_currency text, updated_at timestamptz",
    "artist_stripe_accounts": "id uuid, artist_profile_id uuid, stripe_account_id text, "
    "onboarding_status text, charges_enabled bool, payouts_enabled bool, country text, "
    "updated_at timestamptz",
    "artist_payments": "id uuid, artist_profile_id uuid, art_id uuid, gross_amount numeric, "
    "net_amount numeric, platform_fee numeric, stripe_fee numeric, currency text, status text, "
    "payment_type text, payment_method text, description text, reason_category text, "
    "stripe_transfer_id text, error_message text, metadata jsonb, created_by text, "
    "created_at timestamptz, paid_at timestamptz",
    "exchange_rates": "currency_code text, rate_to_usd numeric, last_updated timestamptz, "
    "source text",
    "artist_manual_payment_requests": "id uuid, artist_profile_id uuid, "
    "requested_amount numeric, preferred_currency text, payment_method text, "
    "payment_details text, status text, admin_notes text, events_referenced text[], "
    "created_at timestamptz, processed_at timestamptz",
    "payment_setup_invitations": "id uuid, artist_profile_id uuid, invitation_method text, "
    "invitation_type text, recipient_email text, recipient_phone text, sent_by text, "
    "sent_at timestamptz, status text, error_message text",
    "payment_reminders": "id uuid, art_id uuid, event_id uuid, person_id uuid, "
    "admin_user_id uuid, admin_note text, message_body text, sms_status text, "
    "sent_at timestamptz",
    "ai_analysis_cache": "event_id text, analysis_type text, result jsonb, "
    "created_at timestamptz, expires_at timestamptz",
    "meta_ads_cache_cron_log": "id uuid, executed_at timestamptz, status text, "
    "total_events int, successful int, failed int, skipped int",
    "sms_marketing_campaigns": "id uuid, event_id uuid, name text, status text, metadata jsonb, "
    "targeting_criteria jsonb, scheduled_at timestamptz, started_at timestamptz, "
    "completed_at timestamptz, total_recipients int, messages_sent int, "
    "messages_delivered int, messages_failed int, replies_received int, opt_outs int, "
    "total_cost_cents int, created_at timestamptz",
    "sms_outbound": "id uuid, campaign_id uuid, to_phone text, from_phone text, "
    "message_body text, status text, error_message text, metadata jsonb, sent_at timestamptz, "
    "created_at timestamptz",
    "sms_inbound": "id uuid, from_phone text, message_body text, processed bool, "
    "is_stop_request bool, created_at timestamptz",
    "message_queue": "id uuid, channel text, status message_status, metadata jsonb, "
    "created_at timestamptz",
    "offers": "id uuid, name text, description text, type text, value numeric, currency text, "
    "total_inventory int, active bool, start_date timestamptz, end_date timestamptz, "
    "geography_scope text[], created_at timestamptz",
    "offer_redemptions": "id uuid, offer_id uuid",
    "sponsorship_invites": "id uuid, event_id uuid, prospect_name text, prospect_email text, "
    "prospect_company text, discount_percent numeric, valid_until timestamptz, max_uses int, "
    "use_count int, view_count int, last_viewed_at timestamptz, notes text, "
    "created_at timestamptz",
    "sponsorship_purchases": "id uuid, event_id uuid, buyer_name text, buyer_email text, "
    "buyer_company text, package_details jsonb, total_amount numeric, currency text, "
    "payment_status text, fulfillment_status text, created_at timestamptz, paid_at timestamptz",
    "slack_notifications": "id uuid, event_id uuid, channel_id text, message_type text, "
    "status text, attempts int, error text, created_at timestamptz, sent_at timestamptz",
    "email_logs": "id uuid, recipient text, sender text, subject text, status text, "
    "method text, error_message text, event_id uuid, sent_at timestamptz, "
    "created_at timestamptz",
    "system_logs": "id uuid, service text, operation text, level text, message text, "
    "duration_ms int, request_data jsonb, created_at timestamptz",
    "abhq_admin_users": "id uuid, user_id uuid, email text, level text, active bool",
    "auth.users": "id uuid, email text, phone text, created_at timestamptz",
    "demo_meta": "key text, value jsonb, updated_at timestamptz",
}

TYPE_FAMILIES = {
    "text": "text",
    "character varying": "text",
    "character": "text",
    "integer": "int",
    "bigint": "int",
    "smallint": "int",
    "numeric": "numeric",
    "boolean": "bool",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time without time zone": "time",
    "text[]": "text[]",
    "character varying[]": "text[]",
}

ENUMS = {
    "event_level_type": ["REGULAR", "CHAMPION_CITY", "CHAMPION_NATIONAL", "PRIVATE", "SPECIAL"],
    "art_status": ["inactive", "active", "closed", "sold", "cancelled", "paid"],
    "invitation_status": ["pending", "accepted", "declined", "withdrawn", "expired"],
    "message_status": ["pending", "processing", "sent", "failed"],
}

# schema.md §3: columns that must not exist, so that no tool can come to rely on them.
ABSENT_COLUMNS = [
    ("message_queue", "campaign_id"),
    ("message_queue", "event_id"),
    ("offers", "event_id"),
    ("payment_setup_invitations", "event_id"),
    ("payment_setup_invitations", "event_eid"),
]

# (table, column) -> referenced table; None means the column has no foreign key at all.
FOREIGN_KEYS: dict[tuple[str, str], str | None] = {
    ("votes", "art_uuid"): "art",
    ("votes", "art_id"): None,
    ("bids", "art_id"): "art",
    ("art", "artist_id"): "artist_profiles",
    ("art", "winner_id"): "people",
    ("artist_invitations", "event_eid"): None,
    ("artist_confirmations", "event_eid"): None,
    ("artist_applications", "event_eid"): None,
    ("people_qr_scans", "qr_code"): None,
    ("sms_marketing_campaigns", "event_id"): None,
    ("sms_outbound", "campaign_id"): "sms_marketing_campaigns",
    ("endpoint_cache_versions", "event_eid"): None,
    ("round_contestants", "art_id"): "art",
    ("artist_payments", "art_id"): "art",
    ("people", "auth_user_id"): "users",
}

# (table, index definition fragment) for the secondary and search-independent indexes of §4.
INDEXES = [
    ("people", "(lower(email))"),
    ("people", "(phone)"),
    ("people", "(auth_user_id)"),
    ("artist_profiles", "(entry_id)"),
    ("artist_profiles", "(lower(email))"),
    ("artist_profiles", "(phone)"),
    ("abhq_admin_users", "(lower(email))"),
    ("events", "(eid)"),
    ("events", "(enabled, show_in_app)"),
    ("events", "(eventbrite_id) WHERE (eventbrite_id IS NOT NULL)"),
    ("rounds", "(event_id, round_number)"),
    ("art", "(event_id, round, easel)"),
    ("art", "(event_id, status)"),
    ("round_contestants", "(round_id, easel_number) WHERE (easel_number IS NOT NULL)"),
    ("bids", "(art_id, amount DESC)"),
    ("votes", "(event_id, round, person_id)"),
    ("votes", "(art_uuid)"),
    ("votes", "(event_id, created_at)"),
    ("person_vote_weights", "(person_id)"),
    ("person_vote_weights", "(phone)"),
    ("people_qr_scans", "(person_id, event_id) WHERE is_valid"),
    ("people_qr_scans", "(event_id, scan_timestamp DESC)"),
    ("artist_invitations", "(artist_number, event_eid)"),
    ("artist_applications", "(artist_profile_id, event_id)"),
    ("artist_payments", "(status, created_at DESC)"),
    ("artist_manual_payment_requests", "(artist_profile_id) WHERE ((status)::text = 'pending'"),
    ("artist_manual_payment_requests", "USING gin (events_referenced)"),
    ("eventbrite_api_cache", "(eid, fetched_at DESC)"),
    ("message_queue", "((metadata ->> 'event_id'::text))"),
    ("slack_notifications", "(created_at) WHERE ((status)::text = 'pending'"),
    ("email_logs", "(created_at DESC)"),
    ("system_logs", "(service, created_at DESC)"),
]

# schema.md §6.3: (table, policy, command, roles).
POLICIES = [
    ("events", "Public read events", "SELECT", "{anon,authenticated}"),
    ("art", "Public read art", "SELECT", "{anon,authenticated}"),
    ("round_contestants", "Public read round contestants", "SELECT", "{anon,authenticated}"),
    ("vote_weights", "Public read vote weights", "SELECT", "{anon,authenticated}"),
    ("people", "Users read own record", "SELECT", "{authenticated}"),
    ("people", "Users update own record", "UPDATE", "{authenticated}"),
    ("artist_invitations", "Artists read own invitations", "SELECT", "{authenticated}"),
    ("artist_applications", "Artists create own applications", "INSERT", "{authenticated}"),
    ("qr_codes", "Public read active qr codes", "SELECT", "{anon,authenticated}"),
    ("artist_global_payments", "Artists read own payout account", "SELECT", "{authenticated}"),
    ("artist_payments", "artists_own_payments", "SELECT", "{authenticated}"),
    ("artist_payments", "admins_view_event_artist_payments", "SELECT", "{authenticated}"),
    (
        "artist_manual_payment_requests",
        "Users can create their own manual payment requests",
        "INSERT",
        "{authenticated}",
    ),
    ("eventbrite_api_cache", "Admin read eventbrite cache", "SELECT", "{authenticated}"),
    ("sms_outbound", "Service role full access sms_outbound", "ALL", "{service_role}"),
    ("offers", "Public read active offers", "SELECT", "{anon,authenticated}"),
    ("sponsorship_invites", "Public read sponsorship invites", "SELECT", "{anon}"),
    ("abhq_admin_users", "Admins read own admin record", "SELECT", "{authenticated}"),
]

RLS_WITHOUT_POLICIES = [
    "exchange_rates",
    "payment_setup_invitations",
    "eventbrite_orders_cache",
    "ai_analysis_cache",
    "meta_ads_cache_cron_log",
    "message_queue",
    "email_logs",
    "slack_notifications",
    "system_logs",
    "sponsorship_purchases",
]

RLS_OFF = ["payment_reminders", "timezones", "demo_meta"]

CATALOG_SNAPSHOT = """
SELECT 'column', c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname IN ('public', 'auth') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index', indexdef FROM pg_indexes WHERE schemaname IN ('public', 'auth')
UNION ALL
SELECT 'constraint', conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace IN ('public'::regnamespace, 'auth'::regnamespace)
UNION ALL
SELECT 'policy', tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text
       || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
FROM pg_policies
UNION ALL
SELECT 'trigger', tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'rls', relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
UNION ALL
SELECT 'grant', table_name || ' ' || grantee || ' ' || privilege_type
FROM information_schema.role_table_grants WHERE table_schema IN ('public', 'auth')
ORDER BY 1, 2
"""


def _url_for(server_url: str, name: str) -> str:
    params: dict[str, Any] = conninfo_to_dict(server_url)
    params["dbname"] = name
    return make_conninfo(**params)


def build_schema(url: str) -> None:
    """The esbmcp_ migrations, then every demo file in its own transaction."""
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        for file in DEMO_FILES:
            with conn.transaction():
                conn.execute(file.sql)


def scalar(conn: psycopg.Connection, query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def snapshot(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return [(str(kind), str(text)) for kind, text in conn.execute(CATALOG_SNAPSHOT).fetchall()]


@pytest.fixture(scope="module")
def schema_url(server_url: str) -> Iterator[str]:
    """A database holding the demo schema and no data, shared by the read-only tests."""
    name = f"t_schema_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    url = _url_for(server_url, name)
    build_schema(url)
    yield url
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def schema(schema_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(schema_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def built_url(database_url: str) -> str:
    """A fresh database with the demo schema, for tests that write."""
    build_schema(database_url)
    return database_url


def test_the_demo_track_holds_exactly_the_files_of_the_spec() -> None:
    assert [f.name for f in DEMO_FILES] == EXPECTED_FILES


def test_no_demo_file_manages_transactions_or_uses_psql_commands() -> None:
    offenders = [
        f.name
        for f in DEMO_FILES
        for line in f.sql.splitlines()
        if line.lstrip().startswith("\\") or line.strip().upper() in ("BEGIN;", "COMMIT;")
    ]

    assert offenders == []


def test_every_demo_file_applies_twice_in_a_row_on_an_empty_database(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(conn)
        for file in DEMO_FILES:
            for _ in range(2):
                with conn.transaction():
                    conn.execute(file.sql)

        tables = scalar(conn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")

    assert tables > 40


def test_applying_every_file_again_changes_no_catalog_object(built_url: str) -> None:
    with psycopg.connect(built_url, autocommit=True) as conn:
        before = snapshot(conn)
        for file in DEMO_FILES:
            with conn.transaction():
                conn.execute(file.sql)

        after = snapshot(conn)

    assert after == before


@pytest.mark.parametrize("table", sorted(REQUIRED_COLUMNS))
def test_table_has_the_columns_the_tools_use_with_their_types(
    schema: psycopg.Connection, table: str
) -> None:
    rows = schema.execute(
        """
        SELECT a.attname, CASE WHEN t.typtype = 'e' THEN t.typname
                               ELSE format_type(a.atttypid, NULL) END
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
        """,
        (table if "." in table else f"public.{table}",),
    ).fetchall()
    actual = {str(name): TYPE_FAMILIES.get(str(kind), str(kind)) for name, kind in rows}

    expected = dict(part.strip().split(" ", 1) for part in REQUIRED_COLUMNS[table].split(","))

    assert {c: actual.get(c) for c in expected} == expected


@pytest.mark.parametrize("enum_name", sorted(ENUMS))
def test_enum_has_the_production_values_in_order(
    schema: psycopg.Connection, enum_name: str
) -> None:
    rows = schema.execute(
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = to_regtype(%s) ORDER BY enumsortorder",
        (f"public.{enum_name}",),
    ).fetchall()

    assert [str(r[0]) for r in rows] == ENUMS[enum_name]


@pytest.mark.parametrize(("table", "column"), ABSENT_COLUMNS, ids=lambda v: str(v))
def test_column_that_production_lacks_is_absent(
    schema: psycopg.Connection, table: str, column: str
) -> None:
    found = scalar(
        schema,
        "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = %s",
        (f"public.{table}", column),
    )

    assert found == 0


@pytest.mark.parametrize(("table", "column"), sorted(FOREIGN_KEYS), ids=lambda v: str(v))
def test_foreign_key_targets_follow_the_naming_traps(
    schema: psycopg.Connection, table: str, column: str
) -> None:
    rows = schema.execute(
        """
        SELECT c.confrelid::regclass::text
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.conrelid = to_regclass(%s) AND a.attname = %s
        """,
        (f"public.{table}", column),
    ).fetchall()
    targets = [str(r[0]).split(".")[-1] for r in rows]

    expected = FOREIGN_KEYS[(table, column)]
    assert targets == ([] if expected is None else [expected])


def test_art_winner_foreign_key_has_its_production_name(schema: psycopg.Connection) -> None:
    target = scalar(
        schema,
        "SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'art_winner_id_fkey'",
    )

    assert target == "people"


def test_invitations_allow_repeated_artist_and_event(schema: psycopg.Connection) -> None:
    unique = scalar(
        schema,
        """
        SELECT count(*) FROM pg_index
        WHERE indrelid = 'public.artist_invitations'::regclass AND indisunique
          AND NOT indisprimary
        """,
    )

    assert unique == 0


@pytest.mark.parametrize(("table", "fragment"), INDEXES, ids=lambda v: str(v))
def test_index_from_the_spec_exists(schema: psycopg.Connection, table: str, fragment: str) -> None:
    definitions = [
        str(r[0])
        for r in schema.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s",
            (table,),
        ).fetchall()
    ]

    assert any(fragment in d for d in definitions), definitions


def test_every_table_with_updated_at_has_the_maintainer_trigger(
    schema: psycopg.Connection,
) -> None:
    missing = schema.execute(
        """
        SELECT c.relname FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at'
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
          AND c.relname NOT LIKE 'esbmcp%%'
          AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                          WHERE t.tgrelid = c.oid AND t.tgname = 'set_updated_at')
        """
    ).fetchall()

    assert missing == []


def test_roles_exist_with_their_supabase_attributes(schema: psycopg.Connection) -> None:
    rows = schema.execute(
        """
        SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles
        WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY rolname
        """
    ).fetchall()

    assert rows == [
        ("anon", False, False),
        ("authenticated", False, False),
        ("service_role", False, True),
    ]


@pytest.mark.parametrize(("table", "policy", "command", "roles"), POLICIES, ids=lambda v: str(v))
def test_look_alike_policy_exists(
    schema: psycopg.Connection, table: str, policy: str, command: str, roles: str
) -> None:
    row = schema.execute(
        "SELECT cmd, roles::text FROM pg_policies WHERE tablename = %s AND policyname = %s",
        (table, policy),
    ).fetchone()

    assert row == (command, roles)


@pytest.mark.parametrize("table", RLS_WITHOUT_POLICIES)
def test_service_only_table_has_rls_and_no_policy(schema: psycopg.Connection, table: str) -> None:
    row = schema.execute(
        """
        SELECT c.relrowsecurity, (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname)
        FROM pg_class c WHERE c.oid = to_regclass(%s)
        """,
        (f"public.{table}",),
    ).fetchone()

    assert row == (True, 0)


@pytest.mark.parametrize("table", RLS_OFF)
def test_table_has_rls_disabled(schema: psycopg.Connection, table: str) -> None:
    enabled = scalar(
        schema,
        "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(%s)",
        (f"public.{table}",),
    )

    assert enabled is False


def test_no_demo_table_forces_rls(schema: psycopg.Connection) -> None:
    forced = scalar(
        schema,
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
        "AND relforcerowsecurity",
    )

    assert forced == 0


def test_auth_functions_read_the_jwt_claims(schema: psycopg.Connection) -> None:
    claims = '{"sub": "6f1c3a1e-0000-4000-8000-000000000001", "role": "authenticated"}'
    with schema.transaction(force_rollback=True):
        schema.execute("SELECT set_config('request.jwt.claims', %s, true)", (claims,))

        row = schema.execute(
            "SELECT auth.uid()::text, auth.role(), auth.jwt() ->> 'sub'"
        ).fetchone()

    sub = "6f1c3a1e-0000-4000-8000-000000000001"
    assert row == (sub, "authenticated", sub)


def test_auth_functions_answer_null_without_claims(schema: psycopg.Connection) -> None:
    row = schema.execute("SELECT auth.uid(), auth.role(), auth.jwt()").fetchone()

    assert row == (None, None, {})


def test_anon_sees_only_visible_events(built_url: str) -> None:
    with psycopg.connect(built_url) as conn:
        conn.execute(
            """
            INSERT INTO events (eid, enabled, show_in_app) VALUES
                ('AB4001', true, true), ('AB4006', true, false), ('AB4011', false, false)
            """
        )
        conn.execute("SET LOCAL ROLE anon")

        rows = conn.execute("SELECT eid FROM events ORDER BY eid").fetchall()

    assert rows == [("AB4001",)]


def test_production_guard_refuses_a_database_with_events_and_no_demo_meta(
    database_url: str,
) -> None:
    guard = DEMO_FILES[0]
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.events (id uuid PRIMARY KEY)")

        with pytest.raises(psycopg.errors.RaiseException, match="real Art Battle database"):
            conn.execute(guard.sql)


def test_entry_id_defaults_to_the_sequence_from_310000(built_url: str) -> None:
    with psycopg.connect(built_url) as conn:
        entry_id = scalar(
            conn, "INSERT INTO artist_profiles (name) VALUES ('New') RETURNING entry_id"
        )

    assert entry_id == 310000


def test_manual_refresh_vote_weights_refreshes_and_logs(built_url: str) -> None:
    with psycopg.connect(built_url) as conn:
        conn.execute("INSERT INTO people (phone) VALUES ('+14165550134'), ('+14165550135')")

        message = scalar(conn, "SELECT manual_refresh_vote_weights()")
        logged = conn.execute(
            "SELECT service, operation, level, message, request_data FROM system_logs"
        ).fetchall()

    assert message.startswith("Vote weights refreshed successfully: 2 rows in 00:00:")
    assert logged == [
        (
            "vote_weights",
            "refresh_materialized_view",
            "info",
            message,
            {"rows": 2, "concurrent": True},
        )
    ]


def test_manual_refresh_vote_weights_refreshes_plainly_a_never_populated_view(
    built_url: str,
) -> None:
    with psycopg.connect(built_url) as conn:
        conn.execute("REFRESH MATERIALIZED VIEW person_vote_weights WITH NO DATA")

        conn.execute("SELECT manual_refresh_vote_weights()")
        concurrent = scalar(conn, "SELECT request_data -> 'concurrent' FROM system_logs")

    assert concurrent is False


def test_manual_refresh_vote_weights_has_no_event_overload(built_url: str) -> None:
    with psycopg.connect(built_url) as conn, pytest.raises(psycopg.errors.UndefinedFunction):
        conn.execute("SELECT manual_refresh_vote_weights(%s::uuid)", (uuid.uuid4(),))


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_manual_refresh_vote_weights_is_not_executable_by_public_roles(
    schema: psycopg.Connection, role: str
) -> None:
    allowed = scalar(
        schema,
        "SELECT has_function_privilege(%s, 'public.manual_refresh_vote_weights()', 'EXECUTE')",
        (role,),
    )

    assert allowed is False


def test_person_vote_weights_computes_the_capped_components(built_url: str) -> None:
    artist, event, art = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(built_url) as conn:
        conn.execute(
            "INSERT INTO people (id, phone, is_artist) VALUES (%s, '+14165550134', true)",
            (artist,),
        )
        conn.execute("INSERT INTO people (phone) VALUES (NULL), ('')")
        conn.execute("INSERT INTO events (id, eid) VALUES (%s, 'AB4001')", (event,))
        conn.execute(
            "INSERT INTO art (id, art_code, event_id, round, easel) "
            "VALUES (%s, 'AB4001-1-1', %s, 1, 1)",
            (art, event),
        )
        conn.execute(
            "INSERT INTO bids (art_id, person_id, amount) VALUES (%s, %s, 500)", (art, artist)
        )
        conn.execute(
            "INSERT INTO votes (event_id, round, art_uuid, person_id) VALUES (%s, 1, %s, %s)",
            (event, art, artist),
        )
        conn.execute("SELECT manual_refresh_vote_weights()")

        rows = conn.execute(
            """
            SELECT person_id, base_weight::text, artist_bonus::text, vote_history_bonus::text,
                   bid_history_bonus::text, total_weight::text
            FROM person_vote_weights
            """
        ).fetchall()

    assert rows == [(artist, "1.00", "1.00", "0.10", "0.50", "2.60")]


def test_updated_at_trigger_moves_the_timestamp(built_url: str) -> None:
    with psycopg.connect(built_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO events (eid, updated_at) VALUES ('AB4001', '2020-01-01T00:00:00Z')"
        )

        conn.execute("UPDATE events SET name = 'Renamed' WHERE eid = 'AB4001'")
        updated = scalar(conn, "SELECT updated_at > now() - interval '1 minute' FROM events")

    assert updated is True


def test_search_indexes_use_trigrams_when_pg_trgm_is_available(
    schema: psycopg.Connection,
) -> None:
    if not scalar(schema, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'"):
        pytest.skip("this server has no pg_trgm (the embedded server)")

    trigram = scalar(
        schema, "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%%gin_trgm_ops%%'"
    )
    mode = scalar(schema, "SELECT value FROM demo_meta WHERE key = 'search_index_mode'")

    assert (trigram, mode) == (6, "trigram")


def test_search_indexes_fall_back_to_btree_without_pg_trgm(schema: psycopg.Connection) -> None:
    if scalar(schema, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'"):
        pytest.skip("this server has pg_trgm, so the trigram indexes are built instead")

    pattern = scalar(
        schema, "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%%text_pattern_ops%%'"
    )
    mode = scalar(schema, "SELECT value FROM demo_meta WHERE key = 'search_index_mode'")

    assert (pattern, mode) == (6, "btree_fallback")


def test_folded_name_search_finds_accented_city_names(built_url: str) -> None:
    with psycopg.connect(built_url) as conn:
        conn.execute("INSERT INTO cities (name) VALUES ('Montréal'), ('Toronto')")

        rows = conn.execute(
            "SELECT name FROM cities WHERE esbmcp_fold(name) LIKE '%%' || esbmcp_fold(%s) || '%%'",
            ("MONTREAL",),
        ).fetchall()

    assert rows == [("Montréal",)]


def test_folded_name_prefix_search_can_use_a_search_index(schema: psycopg.Connection) -> None:
    with schema.transaction(force_rollback=True):
        schema.execute("SET LOCAL enable_seqscan = off")

        plan = "\n".join(
            str(r[0])
            for r in schema.execute(
                "EXPLAIN SELECT id FROM people WHERE esbmcp_fold(name) LIKE 'mont%%'"
            ).fetchall()
        )

    assert "people_name_fold" in plan
