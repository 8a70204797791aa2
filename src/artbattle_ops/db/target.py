"""Which PostgreSQL a process uses: the configured URL, or the embedded server in dev modes."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from artbattle_ops.config.settings import CommonSettings
from artbattle_ops.db.embedded import EmbeddedPostgres
from artbattle_ops.errors import ConfigError

EMBEDDED_DATABASE = "artbattle"


@dataclass
class DatabaseTarget:
    """A resolved database: its URL, where it came from, and the embedded server if any."""

    url: str
    source: str  # "configured" or "embedded"
    embedded: EmbeddedPostgres | None = None

    def close(self) -> None:
        """Release the embedded server (the last process holding it stops it)."""
        if self.embedded is not None:
            self.embedded.stop()


def resolve_target(settings: CommonSettings) -> DatabaseTarget:
    """The configured database, or the embedded one started now.

    Raises:
        ConfigError: no URL is configured and the mode does not allow the embedded server.
        EmbeddedServerError: the embedded server could not start.
    """
    if settings.supabase_db_url is not None:
        return DatabaseTarget(settings.supabase_db_url.get_secret_value(), "configured")
    if not settings.uses_embedded_db:
        raise ConfigError(
            "SUPABASE_DB_URL is not set; set it, or set APP_ENV=local to use the embedded database"
        )
    server = EmbeddedPostgres(settings.embedded_db_dir)
    admin_url = server.start()
    _ensure_database(admin_url, EMBEDDED_DATABASE)
    return DatabaseTarget(server.url(EMBEDDED_DATABASE), "embedded", server)


def _ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
