"""Settings: defaults, placeholder secrets refused outside dev modes, errors naming the variable."""

import pytest

from artbattle_ops.config.secrets import placeholder_reason
from artbattle_ops.config.settings import AppEnv, CommonSettings, load
from artbattle_ops.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("APP_ENV", "SUPABASE_DB_URL", "DB_POOL_MIN_SIZE", "DB_POOL_MAX_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env file


def test_production_is_the_default_mode() -> None:
    settings = load(CommonSettings)

    assert settings.app_env is AppEnv.PRODUCTION


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:your-password@db.abc.supabase.co:5432/postgres",
        "postgresql://postgres:changeme@db:5432/postgres",
        "postgresql://postgres:<password>@db:5432/postgres",
    ],
    ids=["your-password", "changeme", "angle-brackets"],
)
def test_placeholder_database_password_is_refused_in_production(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("SUPABASE_DB_URL", url)

    with pytest.raises(ConfigError, match="SUPABASE_DB_URL"):
        load(CommonSettings)


def test_placeholder_database_password_is_accepted_in_local_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "local")
    monkeypatch.setenv("SUPABASE_DB_URL", "postgresql://postgres:changeme@db/postgres")

    assert load(CommonSettings).supabase_db_url is not None


def test_database_url_is_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPABASE_DB_URL", "postgresql://app:s3cr3t-Value@db/postgres")

    assert "s3cr3t" not in repr(load(CommonSettings))


def test_malformed_number_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "ten")

    with pytest.raises(ConfigError, match=r"^DB_POOL_MAX_SIZE: "):
        load(CommonSettings)


def test_pool_minimum_above_maximum_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_MIN_SIZE", "5")
    monkeypatch.setenv("DB_POOL_MAX_SIZE", "2")

    with pytest.raises(ConfigError, match="DB_POOL_MIN_SIZE"):
        load(CommonSettings)


def test_blank_database_url_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPABASE_DB_URL", "  ")

    assert load(CommonSettings).supabase_db_url is None


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("local", True), ("test", True), ("production", False)],
)
def test_embedded_database_is_used_only_in_development_modes(
    monkeypatch: pytest.MonkeyPatch, mode: str, expected: bool
) -> None:
    monkeypatch.setenv("APP_ENV", mode)

    assert load(CommonSettings).uses_embedded_db is expected


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("MCP_GATEWAY_AUTH_TOKEN", "", "is empty"),
        ("MCP_GATEWAY_AUTH_TOKEN", "changeme", "holds a placeholder value"),
        ("MCP_GATEWAY_AUTH_TOKEN", "replace-me-with-a-token", "holds a placeholder value"),
        ("MCP_GATEWAY_AUTH_TOKEN", "9f2c4be1d0a7c3e85b6f1a2d4c8e7b90", None),
        ("SUPABASE_DB_URL", "postgresql://app@db/postgres", None),
        ("SUPABASE_DB_URL", "postgresql://app:Xk29vQ7pLm@db/postgres", None),
    ],
    ids=["empty", "changeme", "replace-me", "random", "url-no-password", "url-real-password"],
)
def test_placeholder_reasons(name: str, value: str, expected: str | None) -> None:
    assert placeholder_reason(name, value) == expected
