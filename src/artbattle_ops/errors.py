"""The project's root error and the errors every layer shares.

Each error has a stable `code`, the HTTP `status` it maps to, and a message that is safe to show.
Internal detail goes to logs and audit, never into the message.
"""

from __future__ import annotations


class OpsError(Exception):
    """Root of every error the project raises on purpose."""

    code = "internal_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(OpsError):
    """A setting is missing, malformed or unsafe for the current mode."""

    code = "config_error"


class DatabaseError(OpsError):
    """A database operation failed; `kind` classifies it by SQLSTATE."""

    code = "upstream_error"
    status = 502

    def __init__(self, message: str, *, kind: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.sqlstate = sqlstate


class MigrationError(OpsError):
    """A migration could not be applied, or a shipped one was edited."""

    code = "migration_error"


class DemoDataError(OpsError):
    """The demo schema or data could not be created, or the target is not a demo database."""

    code = "demo_data_error"
