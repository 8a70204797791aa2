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


# A published, fixed key for development and test only (observability.md §6.2); production refuses
# to start without a real one.
DEV_ARGUMENTS_HASH_KEY = "artbattle-ops-development-arguments-hash-key-v1"


class SharedPolicySettings(CommonSettings):
    """Settings both services read: roles, the arguments-hash key, Redis and the display zone."""

    rbac_mode: str = Field("static", pattern="^(static|directory)$", alias="RBAC_MODE")
    rbac_user_map_json: str = Field("{}", alias="RBAC_USER_MAP_JSON")
    rbac_directory_url: str | None = Field(None, alias="RBAC_DIRECTORY_URL")
    rbac_directory_token: SecretStr | None = Field(None, alias="RBAC_DIRECTORY_TOKEN")
    rbac_directory_timeout_ms: PositiveInt = Field(1500, alias="RBAC_DIRECTORY_TIMEOUT_MS")
    rbac_directory_cache_sec: PositiveInt = Field(300, alias="RBAC_DIRECTORY_CACHE_SEC")
    open_viewer_channels: str = Field("", alias="OPEN_VIEWER_CHANNELS")

    arguments_hash_key: SecretStr | None = Field(None, alias="ARGUMENTS_HASH_KEY")
    arguments_hash_key_id: str = Field(
        "k1", pattern="^[a-z0-9]{1,16}$", alias="ARGUMENTS_HASH_KEY_ID"
    )
    redis_url: SecretStr | None = Field(None, alias="REDIS_URL")
    display_timezone: str = Field("America/Toronto", alias="DISPLAY_TIMEZONE")

    @field_validator("rbac_directory_url", "redis_url", "arguments_hash_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_hash_key(self) -> SharedPolicySettings:
        key = _reveal(self.arguments_hash_key)
        if not self.is_development and (key is None or len(key.encode()) < 32):
            raise ValueError("ARGUMENTS_HASH_KEY must hold at least 32 bytes outside local/test")
        return self

    @property
    def hash_key(self) -> bytes:
        """The arguments-hash key; the published development key in local and test modes."""
        key = _reveal(self.arguments_hash_key)
        return (key or DEV_ARGUMENTS_HASH_KEY).encode()

    def secret_values(self) -> dict[str, str | None]:
        """Secrets of both services, checked for placeholders and scrubbed from storage."""
        return super().secret_values() | {
            "ARGUMENTS_HASH_KEY": _reveal(self.arguments_hash_key),
            "RBAC_DIRECTORY_TOKEN": _reveal(self.rbac_directory_token)
            if self.rbac_mode == "directory"
            else None,
            "REDIS_URL": _reveal(self.redis_url),
        }


class GatewaySettings(SharedPolicySettings):
    """Settings of the MCP gateway (orchestration-supervisor)."""

    gateway_host: str = Field("127.0.0.1", alias="GATEWAY_HOST")
    gateway_port: int = Field(8081, ge=1, le=65535, alias="GATEWAY_PORT")
    gateway_allowed_hosts: str = Field(
        "127.0.0.1:*,localhost:*,[::1]:*", alias="GATEWAY_ALLOWED_HOSTS"
    )
    mcp_gateway_auth_token: SecretStr | None = Field(None, alias="MCP_GATEWAY_AUTH_TOKEN")
    mcp_request_signing_secret: SecretStr | None = Field(None, alias="MCP_REQUEST_SIGNING_SECRET")
    mcp_request_signing_secret_previous: SecretStr | None = Field(
        None, alias="MCP_REQUEST_SIGNING_SECRET_PREVIOUS"
    )
    mcp_request_signature_max_age_sec: PositiveInt = Field(
        300, alias="MCP_REQUEST_SIGNATURE_MAX_AGE_SEC"
    )
    request_max_body_bytes: PositiveInt = Field(131072, alias="REQUEST_MAX_BODY_BYTES")
    mcp_personal_access_tokens_json: SecretStr | None = Field(
        None, alias="MCP_PERSONAL_ACCESS_TOKENS_JSON"
    )
    gateway_caller_rate_limit_max: int = Field(0, ge=0, alias="GATEWAY_CALLER_RATE_LIMIT_MAX")
    gateway_caller_rate_limit_window_sec: PositiveInt = Field(
        60, alias="GATEWAY_CALLER_RATE_LIMIT_WINDOW_SEC"
    )

    enable_mutating_tools: bool = Field(False, alias="ENABLE_MUTATING_TOOLS")
    tool_statement_timeout_ms: PositiveInt = Field(8000, alias="TOOL_STATEMENT_TIMEOUT_MS")
    redaction_exempt_roles: str = Field("ops", alias="REDACTION_EXEMPT_ROLES")
    result_max_bytes: PositiveInt = Field(49152, alias="RESULT_MAX_BYTES")
    audit_queue_capacity: PositiveInt = Field(10000, alias="AUDIT_QUEUE_CAPACITY")

    supabase_url: str | None = Field(None, alias="SUPABASE_URL")
    supabase_service_role_key: SecretStr | None = Field(None, alias="SUPABASE_SERVICE_ROLE_KEY")
    supabase_edge_admin_token: SecretStr | None = Field(None, alias="SUPABASE_EDGE_ADMIN_TOKEN")
    edge_timeout_ms: PositiveInt = Field(25000, alias="EDGE_TIMEOUT_MS")

    @field_validator(
        "supabase_url",
        "mcp_request_signing_secret_previous",
        "mcp_personal_access_tokens_json",
        "supabase_edge_admin_token",
        mode="before",
    )
    @classmethod
    def _blank_gateway_value_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def secret_values(self) -> dict[str, str | None]:
        """The gateway's secrets: required ones are refused when empty outside local/test."""
        return super().secret_values() | {
            "MCP_GATEWAY_AUTH_TOKEN": _reveal(self.mcp_gateway_auth_token) or "",
            "MCP_REQUEST_SIGNING_SECRET": _reveal(self.mcp_request_signing_secret) or "",
            "MCP_REQUEST_SIGNING_SECRET_PREVIOUS": _reveal(
                self.mcp_request_signing_secret_previous
            ),
            "SUPABASE_SERVICE_ROLE_KEY": _reveal(self.supabase_service_role_key),
            "SUPABASE_EDGE_ADMIN_TOKEN": _reveal(self.supabase_edge_admin_token),
        }

    @property
    def allowed_hosts(self) -> list[str]:
        """Host headers the MCP transport accepts (DNS-rebinding protection)."""
        return [h.strip() for h in self.gateway_allowed_hosts.split(",") if h.strip()]

    @property
    def exempt_roles(self) -> frozenset[str]:
        """Roles that see personal data unmasked."""
        return frozenset(r.strip() for r in self.redaction_exempt_roles.split(",") if r.strip())


class EdgeSettings(CommonSettings):
    """Settings of the local Edge Function emulator (`artbattle-ops edge`, schema.md §7)."""

    edge_host: str = Field("127.0.0.1", alias="EDGE_HOST")
    edge_port: int = Field(54321, ge=1, le=65535, alias="EDGE_PORT")
    supabase_jwt_secret: SecretStr | None = Field(None, alias="SUPABASE_JWT_SECRET")
    edge_auto_complete_payouts: bool = Field(False, alias="EDGE_AUTO_COMPLETE_PAYOUTS")

    def secret_values(self) -> dict[str, str | None]:
        """The emulator's secret: the JWT secret is required outside local/test."""
        return super().secret_values() | {
            "SUPABASE_JWT_SECRET": _reveal(self.supabase_jwt_secret) or "",
        }


class OperatorSettings(CommonSettings):
    """Settings of operator commands that talk to a running gateway (`artbattle-ops call`)."""

    mcp_gateway_url: str = Field("http://127.0.0.1:8081/mcp", alias="MCP_GATEWAY_URL")
    mcp_gateway_auth_token: SecretStr | None = Field(None, alias="MCP_GATEWAY_AUTH_TOKEN")
    mcp_request_signing_secret: SecretStr | None = Field(None, alias="MCP_REQUEST_SIGNING_SECRET")

    def secret_values(self) -> dict[str, str | None]:
        """The client's secrets: both are required outside local/test."""
        return super().secret_values() | {
            "MCP_GATEWAY_AUTH_TOKEN": _reveal(self.mcp_gateway_auth_token) or "",
            "MCP_REQUEST_SIGNING_SECRET": _reveal(self.mcp_request_signing_secret) or "",
        }
