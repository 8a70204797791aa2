"""Typed settings, read from the environment (and a `.env` file) once per process."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from artbattle_ops.config.secrets import placeholder_reason
from artbattle_ops.errors import ConfigError


class AppEnv(StrEnum):
    """Where the process runs; only local and test accept generated or placeholder secrets."""

    PRODUCTION = "production"
    LOCAL = "local"
    TEST = "test"


class LogLevel(StrEnum):
    """Threshold of the JSON log lines."""

    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


PositiveInt = Annotated[int, Field(gt=0)]
S = TypeVar("S", bound=BaseSettings)


class CommonSettings(BaseSettings):
    """Settings every process reads: mode, logging, data folder and the database."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    app_env: AppEnv = Field(AppEnv.PRODUCTION, alias="APP_ENV")
    log_level: LogLevel = Field(LogLevel.INFO, alias="LOG_LEVEL")
    data_dir: Path = Field(Path(".data"), alias="DATA_DIR")

    supabase_db_url: SecretStr | None = Field(None, alias="SUPABASE_DB_URL")
    db_pool_min_size: int = Field(1, ge=0, alias="DB_POOL_MIN_SIZE")
    db_pool_max_size: PositiveInt = Field(10, alias="DB_POOL_MAX_SIZE")
    db_pool_max_idle_sec: PositiveInt = Field(300, alias="DB_POOL_MAX_IDLE_SEC")
    db_connect_timeout_sec: PositiveInt = Field(10, alias="DB_CONNECT_TIMEOUT_SEC")
    db_statement_timeout_ms: PositiveInt = Field(10_000, alias="DB_STATEMENT_TIMEOUT_MS")
    db_prepared_statements: bool = Field(False, alias="DB_PREPARED_STATEMENTS")

    @field_validator("supabase_db_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_pool_bounds(self) -> CommonSettings:
        if self.db_pool_min_size > self.db_pool_max_size:
            raise ValueError("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE")
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> CommonSettings:
        if self.is_development:
            return self
        for name, value in self.secret_values().items():
            reason = placeholder_reason(name, value)
            if reason:
                raise ValueError(f"{name} {reason}; set a real value (APP_ENV={self.app_env})")
        return self

    @property
    def is_development(self) -> bool:
        """Local and test modes: the embedded database and generated secrets are allowed."""
        return self.app_env in (AppEnv.LOCAL, AppEnv.TEST)

    @property
    def uses_embedded_db(self) -> bool:
        """No database URL is configured and the mode allows the embedded server."""
        return self.supabase_db_url is None and self.is_development

    def secret_values(self) -> dict[str, str | None]:
        """Environment name to value of every secret this process reads (None when unset)."""
        return {"SUPABASE_DB_URL": _reveal(self.supabase_db_url)}

    @property
    def embedded_db_dir(self) -> Path:
        """Data folder of the embedded PostgreSQL server."""
        return self.data_dir / "postgres"


def _reveal(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def load(cls: type[S], **overrides: Any) -> S:
    """Build settings of `cls` from the environment, turning validation errors into one line.

    Raises:
        ConfigError: a variable is malformed or unsafe; the message names it.
    """
    try:
        return cls(**overrides)
    except ValidationError as exc:
        raise ConfigError(_first_problem(exc)) from exc


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    names = [str(part) for part in error.get("loc", ()) if str(part)]
    message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if not names:
        return f"invalid settings: {message}"
    return f"{names[-1]}: {message}"


def env_names(cls: type[BaseSettings]) -> set[str]:
    """Every environment variable a settings class reads."""
    return {field.alias or name.upper() for name, field in cls.model_fields.items()}
