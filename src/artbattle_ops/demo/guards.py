"""The guards that keep the demo loader away from production (schema.md §1.3)."""

from __future__ import annotations

import enum

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict

from artbattle_ops.demo.catalog import DEMO_TABLES
from artbattle_ops.errors import DemoDataError

# Direct and pooler hosts alike end in one of these. No flag overrides the refusal.
SUPABASE_HOST_SUFFIXES = ("supabase.co", "supabase.com")

READ_GUARD_STATE = """
SELECT to_regclass('public.events') IS NOT NULL,
       to_regclass('public.demo_meta') IS NOT NULL
"""

READ_MARKER = "SELECT value = 'true'::jsonb FROM public.demo_meta WHERE key = 'marker'"

FIND_EXISTING = """
SELECT name FROM unnest(%s::text[]) AS t (name)
WHERE to_regclass(name) IS NOT NULL
"""


class DemoTargetRefusedError(DemoDataError):
    """The target is not a database the demo loader may rebuild."""

    code = "demo_target_refused"


class DatabaseKind(enum.Enum):
    """What the guards found: an empty database, or one the loader built before."""

    EMPTY = "empty"
    DEMO = "demo"


def check_target(url: str) -> None:
    """Refuse a URL that points at a Supabase host, before any connection is made.

    Raises:
        DemoTargetRefusedError: a host ends in supabase.co or supabase.com.
        DemoDataError: the URL cannot be parsed.
    """
    for host in target_hosts(url):
        if host.lower().rstrip(".").endswith(SUPABASE_HOST_SUFFIXES):
            raise DemoTargetRefusedError(
                f"refusing to load demo data into a Supabase host ({host}): "
                "the demo schema is for local and test databases only"
            )


def target_hosts(url: str) -> list[str]:
    """Every host and host address the URL names, or libpq's default when it names none."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        # The parser's message may quote the URL, password included: keep it out.
        raise DemoDataError("the database URL is not a valid PostgreSQL connection string") from exc
    named = [str(params.get(key) or "") for key in ("host", "hostaddr")]
    if not any(named):
        named = [_libpq_default("host"), _libpq_default("hostaddr")]
    return [host.strip() for value in named for host in value.split(",") if host.strip()]


def _libpq_default(keyword: str) -> str:
    for option in pq.Conninfo.get_defaults():
        if option.keyword.decode() == keyword and option.val:
            return option.val.decode()
    return ""


def inspect_database(conn: psycopg.Connection) -> DatabaseKind:
    """Classify the target, refusing anything that is neither empty nor a demo database.

    Raises:
        DemoTargetRefusedError: a real Art Battle database, a demo_meta without the marker,
            or demo table names already taken in a database the loader did not build.
    """
    row = conn.execute(READ_GUARD_STATE).fetchone()
    has_events, has_meta = bool(row and row[0]), bool(row and row[1])
    if has_events and not has_meta:
        raise DemoTargetRefusedError(
            "refusing to seed: public.events exists but public.demo_meta does not "
            "(this looks like a real Art Battle database)"
        )
    if has_meta:
        return _check_marker(conn)

    taken = [str(r[0]) for r in conn.execute(FIND_EXISTING, (list(DEMO_TABLES),)).fetchall()]
    if taken:
        raise DemoTargetRefusedError(
            f"refusing to seed: {', '.join(taken)} already exist in a database without demo "
            "data; use an empty database"
        )
    return DatabaseKind.EMPTY


def _check_marker(conn: psycopg.Connection) -> DatabaseKind:
    row = conn.execute(READ_MARKER).fetchone()
    if row is None or row[0] is not True:
        raise DemoTargetRefusedError(
            "refusing to seed: public.demo_meta has no marker = true row, so the demo loader "
            "did not build this database"
        )
    return DatabaseKind.DEMO
