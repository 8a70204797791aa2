"""The objects the demo schema owns: what a rebuild drops, and what the guards look for."""

from __future__ import annotations

from pathlib import Path

from psycopg import sql

from artbattle_ops.db.migrations import SQL_DIR

DEMO_SQL_DIR: Path = SQL_DIR / "demo"
TRACK = "demo"

# Files numbered below this run before the bulk load, the others after it (schema.md §1.5).
POST_LOAD_FROM = 100
SEARCH_INDEX_FILE = 110

# Every demo table, schema-qualified, referenced tables first (schema.md §4).
DEMO_TABLES: tuple[str, ...] = (
    "public.demo_meta",
    "auth.users",
    "public.countries",
    "public.timezones",
    "public.cities",
    "public.venues",
    "public.exchange_rates",
    "public.people",
    "public.artist_profiles",
    "public.abhq_admin_users",
    "public.events",
    "public.rounds",
    "public.art",
    "public.round_contestants",
    "public.bids",
    "public.votes",
    "public.vote_weights",
    "public.endpoint_cache_versions",
    "public.qr_codes",
    "public.people_qr_scans",
    "public.artist_invitations",
    "public.artist_confirmations",
    "public.artist_applications",
    "public.artist_stripe_accounts",
    "public.artist_global_payments",
    "public.artist_payments",
    "public.artist_manual_payment_requests",
    "public.payment_setup_invitations",
    "public.payment_reminders",
    "public.eventbrite_api_cache",
    "public.eventbrite_orders_cache",
    "public.meta_ads_cache_cron_log",
    "public.ai_analysis_cache",
    "public.sms_marketing_templates",
    "public.sms_marketing_campaigns",
    "public.sms_outbound",
    "public.sms_inbound",
    "public.message_queue",
    "public.offers",
    "public.offer_redemptions",
    "public.sponsorship_invites",
    "public.sponsorship_purchases",
    "public.slack_notifications",
    "public.email_logs",
    "public.system_logs",
)

# Dropping the tables takes the materialized view, triggers, policies and the owned entry_id
# sequence with them. Roles are cluster-wide and the auth.* functions are replaced in place,
# so neither is dropped. The pg_trgm extension stays: other databases' objects may not use
# it, but this database's next build will.
DROP_ROUTINES_AND_TYPES = """
DROP FUNCTION IF EXISTS
    public.manual_refresh_vote_weights(),
    public.refresh_vote_weights(),
    public.get_next_entry_id(),
    public.set_updated_at();
DROP SEQUENCE IF EXISTS public.artist_profiles_entry_id_seq;
DROP TYPE IF EXISTS
    public.event_level_type,
    public.art_status,
    public.invitation_status,
    public.message_status;
"""


def qualified(name: str) -> str:
    """`events` becomes `public.events`; `auth.users` stays as it is."""
    return name if "." in name else f"public.{name}"


def identifier(name: str) -> sql.Identifier:
    """The quoted, schema-qualified identifier of a table name as the dataset spells it."""
    schema, table = qualified(name).split(".", 1)
    return sql.Identifier(schema, table)


def drop_tables_statement() -> sql.Composed:
    """`DROP TABLE IF EXISTS … CASCADE` over every demo table."""
    tables = sql.SQL(", ").join(identifier(name) for name in reversed(DEMO_TABLES))
    return sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(tables)
