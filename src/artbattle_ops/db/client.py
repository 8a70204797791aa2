"""Creating a service's database client at start, with the log events operators rely on."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from artbattle_ops.config.settings import CommonSettings
from artbattle_ops.db.pool import Database, open_database
from artbattle_ops.db.target import DatabaseTarget, resolve_target
from artbattle_ops.errors import OpsError

logger = logging.getLogger(__name__)


@dataclass
class DatabaseClient:
    """A service's pool and the target it points at; `database` is None when skipped."""

    database: Database | None
    target: DatabaseTarget | None
    skipped_reason: str | None = None

    async def close(self) -> None:
        """Close the pool and release the embedded server."""
        if self.database is not None:
            await self.database.close()
        if self.target is not None:
            self.target.close()


async def create_db_client(settings: CommonSettings, *, component: str) -> DatabaseClient:
    """Open the service's pool, logging `db_client_created` or `db_client_skipped`.

    A service without a database still starts (its readiness then reports why), so failures
    here are logged with their reason rather than raised.
    """
    try:
        target = resolve_target(settings)
    except OpsError as exc:
        return _skipped(component, "no_database_configured", exc)
    try:
        database = await open_database(target.url, settings, name=component)
    except OpsError as exc:
        target.close()
        return _skipped(component, getattr(exc, "kind", "connection_failed"), exc)
    logger.info(
        "db_client_created",
        extra={
            "component": component,
            "source": target.source,
            "pool_max_size": settings.db_pool_max_size,
            "prepared_statements": settings.db_prepared_statements,
        },
    )
    return DatabaseClient(database, target)


def _skipped(component: str, reason: str, exc: OpsError) -> DatabaseClient:
    logger.warning(
        "db_client_skipped", extra={"component": component, "reason": reason, "detail": exc.message}
    )
    return DatabaseClient(None, None, skipped_reason=reason)
