"""Typed settings, read from the environment (and a `.env` file) once per process."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
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


def unset_in_environment(values: Mapping[str, str]) -> dict[str, str]:
    """The entries of `values` whose names the process environment does not set (so that the
    environment wins over file-based defaults passed to `load`)."""
    return {name: value for name, value in values.items() if name not in os.environ}


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


# USD per 1M tokens (input, output). Configuration, not fact: operators override the catalogue
# with OPENAI_MODEL_PRICES_JSON when prices change or another model is used.
DEFAULT_MODEL_PRICES_JSON = (
    '{"gpt-4.1": {"input": 2.00, "output": 8.00},'
    ' "gpt-4.1-mini": {"input": 0.40, "output": 1.60},'
    ' "gpt-4.1-nano": {"input": 0.10, "output": 0.40},'
    ' "gpt-4o": {"input": 2.50, "output": 10.00},'
    ' "gpt-4o-mini": {"input": 0.15, "output": 0.60},'
    ' "gpt-5": {"input": 1.25, "output": 10.00},'
    ' "gpt-5-mini": {"input": 0.25, "output": 2.00},'
    ' "gpt-5-nano": {"input": 0.05, "output": 0.40},'
    ' "o4-mini": {"input": 1.10, "output": 4.40}}'
)


class AssistantSettings(SharedPolicySettings):
    """Settings of the assistant (orchestration-api): Slack, the model, limits and the gateway."""

    port: int = Field(3000, ge=1, le=65535, alias="PORT")
    host: str = Field("127.0.0.1", alias="HOST")

    mcp_gateway_url: str = Field("http://127.0.0.1:8081/mcp", alias="MCP_GATEWAY_URL")
    mcp_gateway_auth_token: SecretStr | None = Field(None, alias="MCP_GATEWAY_AUTH_TOKEN")
    mcp_request_signing_secret: SecretStr | None = Field(None, alias="MCP_REQUEST_SIGNING_SECRET")
    mcp_call_timeout_ms: PositiveInt = Field(35000, alias="MCP_CALL_TIMEOUT_MS")

    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4.1-mini", min_length=1, alias="OPENAI_MODEL")
    openai_timeout_ms: PositiveInt = Field(60000, alias="OPENAI_TIMEOUT_MS")
    openai_max_retries: int = Field(2, ge=0, le=10, alias="OPENAI_MAX_RETRIES")
    openai_max_output_tokens: PositiveInt = Field(1500, alias="OPENAI_MAX_OUTPUT_TOKENS")
    openai_model_prices_json: str = Field(
        DEFAULT_MODEL_PRICES_JSON, alias="OPENAI_MODEL_PRICES_JSON"
    )

    llm_max_rounds: PositiveInt = Field(6, alias="LLM_MAX_ROUNDS")
    llm_max_tool_calls: PositiveInt = Field(12, alias="LLM_MAX_TOOL_CALLS")
    llm_max_tool_result_chars: PositiveInt = Field(12000, alias="LLM_MAX_TOOL_RESULT_CHARS")
    offline_router_enabled: bool = Field(True, alias="OFFLINE_ROUTER_ENABLED")
    prompt_max_chars: PositiveInt = Field(4000, alias="PROMPT_MAX_CHARS")
    context_max_messages: int = Field(12, ge=0, alias="CONTEXT_MAX_MESSAGES")
    context_max_age_sec: PositiveInt = Field(86400, alias="CONTEXT_MAX_AGE_SEC")
    context_max_chars: int = Field(8000, ge=0, alias="CONTEXT_MAX_CHARS")

    rate_limit_user_max: PositiveInt = Field(20, alias="RATE_LIMIT_USER_MAX")
    rate_limit_user_window_sec: PositiveInt = Field(60, alias="RATE_LIMIT_USER_WINDOW_SEC")
    rate_limit_channel_max: PositiveInt = Field(80, alias="RATE_LIMIT_CHANNEL_MAX")
    rate_limit_channel_window_sec: PositiveInt = Field(60, alias="RATE_LIMIT_CHANNEL_WINDOW_SEC")
    redaction_exempt_roles: str = Field("ops", alias="REDACTION_EXEMPT_ROLES")
    audit_queue_capacity: PositiveInt = Field(10000, alias="AUDIT_QUEUE_CAPACITY")
    # The gateway enforces the gate; the assistant only reports it in `session_started`.
    enable_mutating_tools: bool = Field(False, alias="ENABLE_MUTATING_TOOLS")

    slack_allowed_team_ids: str = Field("", alias="SLACK_ALLOWED_TEAM_IDS")
    slack_allowed_channel_ids: str = Field("", alias="SLACK_ALLOWED_CHANNEL_IDS")
    slack_allowed_user_ids: str = Field("", alias="SLACK_ALLOWED_USER_IDS")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_use_socket_mode: bool = Field(False, alias="SLACK_USE_SOCKET_MODE")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_command_prefix: str = Field(
        "/ab", pattern="^/[a-z0-9_-]{1,31}$", alias="SLACK_COMMAND_PREFIX"
    )

    @field_validator(
        "openai_api_key",
        "openai_base_url",
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        mode="before",
    )
    @classmethod
    def _blank_assistant_value_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_model_prices_json", mode="before")
    @classmethod
    def _check_prices(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return DEFAULT_MODEL_PRICES_JSON
        if isinstance(value, str):
            parse_model_prices(value)
        return value

    @property
    def model_prices(self) -> dict[str, tuple[float, float]]:
        """Model id to (input, output) USD per 1M tokens."""
        return parse_model_prices(self.openai_model_prices_json)

    def secret_values(self) -> dict[str, str | None]:
        """The assistant's secrets: the gateway pair is required outside local/test; the model
        key and the Slack tokens are checked when set."""
        return super().secret_values() | {
            "MCP_GATEWAY_AUTH_TOKEN": _reveal(self.mcp_gateway_auth_token) or "",
            "MCP_REQUEST_SIGNING_SECRET": _reveal(self.mcp_request_signing_secret) or "",
            "OPENAI_API_KEY": _reveal(self.openai_api_key),
            "SLACK_BOT_TOKEN": _reveal(self.slack_bot_token),
            "SLACK_SIGNING_SECRET": _reveal(self.slack_signing_secret),
            "SLACK_APP_TOKEN": _reveal(self.slack_app_token),
        }

    @property
    def has_model_endpoint(self) -> bool:
        """A model is configured: a key for the default endpoint, or any OpenAI-compatible URL."""
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def exempt_roles(self) -> frozenset[str]:
        """Roles that see personal data unmasked in replies."""
        return _id_set(self.redaction_exempt_roles)

    @property
    def allowed_team_ids(self) -> frozenset[str]:
        """Workspaces allowed to use the assistant; empty allows every workspace."""
        return _id_set(self.slack_allowed_team_ids)

    @property
    def allowed_channel_ids(self) -> frozenset[str]:
        """Channels allowed to use the assistant; empty allows every channel."""
        return _id_set(self.slack_allowed_channel_ids)

    @property
    def allowed_user_ids(self) -> frozenset[str]:
        """Users allowed to use the assistant; empty allows every user."""
        return _id_set(self.slack_allowed_user_ids)


def _id_set(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def parse_model_prices(text: str) -> dict[str, tuple[float, float]]:
    """Parse the price catalogue: `{"model": {"input": usd_per_1m, "output": usd_per_1m}}`.

    Raises:
        ValueError: the text is not such an object (the settings error names the variable).
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg})") from exc
    if not isinstance(raw, dict):
        raise ValueError("must be a JSON object of model id to prices")
    return {str(model): _price_pair(model, entry) for model, entry in raw.items()}


def _price_pair(model: str, entry: Any) -> tuple[float, float]:
    prices: dict[str, Any] = entry if isinstance(entry, dict) else {}
    usd_in, usd_out = prices.get("input", -1), prices.get("output", -1)
    if not (_is_price(usd_in) and _is_price(usd_out)):
        raise ValueError(f"model {model!r} needs non-negative numbers 'input' and 'output'")
    return float(usd_in), float(usd_out)


def _is_price(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
