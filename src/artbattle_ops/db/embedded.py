"""The embedded PostgreSQL server used when no database URL is configured."""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started."""


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL 16 server run from the `pgserver` wheel, data kept in `data_dir`.

    Several processes may open the same data folder: the server is shared, and it stops when the
    last process that opened it calls `stop()` or exits.
    """

    data_dir: Path
    _server: Any = None

    def start(self) -> str:
        """Start (or attach to) the server and return a libpq URL for database `postgres`."""
        if self._server is not None:
            return str(self._server.get_uri())
        started = time.perf_counter()
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless.
                warnings.simplefilter("ignore")
                import pgserver

                self._server = pgserver.get_server(self.data_dir.resolve(), cleanup_mode="stop")
        except Exception as exc:
            raise EmbeddedServerError(
                f"embedded PostgreSQL failed to start in {self.data_dir}: {exc}"
            ) from exc
        duration_ms = round((time.perf_counter() - started) * 1000)
        fields = {"data_dir": str(self.data_dir), "duration_ms": duration_ms}
        logger.info("embedded_db_started", extra=fields)
        return str(self._server.get_uri())

    def url(self, database: str = "postgres") -> str:
        """The libpq URL of `database` on the running server."""
        if self._server is None:
            raise EmbeddedServerError("embedded PostgreSQL is not running")
        return str(self._server.get_uri(database))

    def stop(self) -> None:
        """Release this process's hold on the server; the last holder shuts it down."""
        if self._server is None:
            return
        self._server.cleanup()
        self._server = None
        logger.info("embedded_db_stopped", extra={"data_dir": str(self.data_dir)})
