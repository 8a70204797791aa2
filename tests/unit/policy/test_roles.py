"""Role resolution: the static map, open viewer channels, and the directory with its cache,
timeout and fallback, against a fake directory over real HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from artbattle_ops.config.settings import SharedPolicySettings, load
from artbattle_ops.errors import ConfigError
from artbattle_ops.policy.roles import FINANCE, OPS, VIEWER, RoleDecision, RoleResolver
from tests.unit.policy.conftest import FakeDirectory

USER_MAP = {"U_OPS": OPS, "U_FIN": FINANCE}


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_settings(**values: Any) -> SharedPolicySettings:
    values.setdefault("RBAC_USER_MAP_JSON", json.dumps(USER_MAP))
    return load(SharedPolicySettings, APP_ENV="test", **values)


def directory_settings(directory: FakeDirectory, **values: Any) -> SharedPolicySettings:
    return make_settings(
        RBAC_MODE="directory",
        RBAC_DIRECTORY_URL=directory.url,
        RBAC_DIRECTORY_TOKEN="directory-token-for-tests",
        **values,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


# -- Static map and open channels ---------------------------------------------------------------


async def test_a_mapped_user_gets_the_role_of_the_static_map() -> None:
    resolver = RoleResolver(make_settings())

    decision = await resolver.resolve("U_FIN", "C1")

    assert decision == RoleDecision(FINANCE, "static_map")


async def test_an_unmapped_user_has_no_role() -> None:
    resolver = RoleResolver(make_settings())

    decision = await resolver.resolve("U_NOBODY", "C1")

    assert decision == RoleDecision(None, "none")


@pytest.mark.parametrize("user_id", [None, ""], ids=["none", "empty"])
async def test_a_missing_user_has_no_role_even_in_an_open_channel(user_id: str | None) -> None:
    resolver = RoleResolver(make_settings(OPEN_VIEWER_CHANNELS="C_OPEN"))

    decision = await resolver.resolve(user_id, "C_OPEN")

    assert decision == RoleDecision(None, "none")


async def test_an_unmapped_user_is_a_viewer_in_an_open_channel() -> None:
    resolver = RoleResolver(make_settings(OPEN_VIEWER_CHANNELS="C_OTHER, C_OPEN"))

    decision = await resolver.resolve("U_NOBODY", "C_OPEN")

    assert decision == RoleDecision(VIEWER, "open_channel")


@pytest.mark.parametrize("channel_id", ["C_ELSEWHERE", None], ids=["other-channel", "no-channel"])
async def test_an_open_channel_grants_nothing_outside_that_channel(channel_id: str | None) -> None:
    resolver = RoleResolver(make_settings(OPEN_VIEWER_CHANNELS="C_OPEN"))

    decision = await resolver.resolve("U_NOBODY", channel_id)

    assert decision == RoleDecision(None, "none")


async def test_an_open_channel_never_lowers_a_mapped_role() -> None:
    resolver = RoleResolver(make_settings(OPEN_VIEWER_CHANNELS="C_OPEN"))

    decision = await resolver.resolve("U_OPS", "C_OPEN")

    assert decision == RoleDecision(OPS, "static_map")


@pytest.mark.parametrize(
    "raw",
    ['{"U1": "admin"}', '{"U1": 3}', '["U1"]', "{not json"],
    ids=["unknown-role", "not-a-string", "not-an-object", "malformed"],
)
def test_a_bad_user_map_is_a_config_error_naming_the_setting(raw: str) -> None:
    settings = make_settings(RBAC_USER_MAP_JSON=raw)

    with pytest.raises(ConfigError) as caught:
        RoleResolver(settings)

    assert caught.value.message.startswith("RBAC_USER_MAP_JSON: ")


def test_directory_mode_without_a_url_is_a_config_error_naming_the_setting() -> None:
    settings = make_settings(RBAC_MODE="directory")

    with pytest.raises(ConfigError) as caught:
        RoleResolver(settings)

    assert caught.value.message.startswith("RBAC_DIRECTORY_URL: ")


def test_the_resolver_repr_hides_the_map_and_the_token(directory: FakeDirectory) -> None:
    resolver = RoleResolver(directory_settings(directory))

    text = repr(resolver)

    assert "U_OPS" not in text
    assert "directory-token-for-tests" not in text


# -- Directory ------------------------------------------------------------------------------------


async def test_the_directory_role_wins_over_the_static_map(directory: FakeDirectory) -> None:
    directory.roles["U_OPS"] = VIEWER
    resolver = RoleResolver(directory_settings(directory))

    decision = await resolver.resolve("U_OPS", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(VIEWER, "directory")


async def test_the_directory_is_asked_with_the_user_id_and_the_bearer_token(
    directory: FakeDirectory,
) -> None:
    directory.roles["U7"] = FINANCE
    resolver = RoleResolver(directory_settings(directory))

    await resolver.resolve("U7", "C1")

    await resolver.aclose()
    assert directory.requests == [("U7", "Bearer directory-token-for-tests")]


@pytest.mark.parametrize("known", [False, True], ids=["404", "null-role"])
async def test_a_user_the_directory_does_not_know_has_no_role(
    known: bool, directory: FakeDirectory
) -> None:
    if known:
        directory.roles["U_OPS"] = None
    resolver = RoleResolver(directory_settings(directory))

    decision = await resolver.resolve("U_OPS", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(None, "none")


async def test_a_user_the_directory_does_not_know_is_a_viewer_in_an_open_channel(
    directory: FakeDirectory,
) -> None:
    resolver = RoleResolver(directory_settings(directory, OPEN_VIEWER_CHANNELS="C_OPEN"))

    decision = await resolver.resolve("U_NOBODY", "C_OPEN")

    await resolver.aclose()
    assert decision == RoleDecision(VIEWER, "open_channel")


async def test_directory_answers_are_cached_for_the_cache_period(
    directory: FakeDirectory, clock: Clock
) -> None:
    directory.roles["U7"] = FINANCE
    settings = directory_settings(directory, RBAC_DIRECTORY_CACHE_SEC=60)
    resolver = RoleResolver(settings, clock=clock)

    await resolver.resolve("U7", "C1")
    clock.now += 59
    await resolver.resolve("U7", "C1")
    await resolver.resolve("U_NOBODY", "C1")
    await resolver.resolve("U_NOBODY", "C1")

    await resolver.aclose()
    assert [user for user, _ in directory.requests] == ["U7", "U_NOBODY"]


async def test_the_directory_is_asked_again_once_the_cache_period_is_over(
    directory: FakeDirectory, clock: Clock
) -> None:
    directory.roles["U7"] = FINANCE
    resolver = RoleResolver(directory_settings(directory, RBAC_DIRECTORY_CACHE_SEC=60), clock=clock)
    await resolver.resolve("U7", "C1")
    directory.roles["U7"] = OPS
    clock.now += 60

    decision = await resolver.resolve("U7", "C1")

    await resolver.aclose()
    assert (decision.role, len(directory.requests)) == (OPS, 2)


async def test_a_directory_timeout_falls_back_to_the_static_map(
    directory: FakeDirectory,
) -> None:
    directory.hang = True
    resolver = RoleResolver(directory_settings(directory, RBAC_DIRECTORY_TIMEOUT_MS=100))

    decision = await resolver.resolve("U_FIN", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(FINANCE, "static_map", "timeout")


@pytest.mark.parametrize("status", [500, 401, 302], ids=["500", "401", "302"])
async def test_a_directory_error_status_falls_back_to_the_static_map(
    status: int, directory: FakeDirectory
) -> None:
    directory.status = status
    resolver = RoleResolver(directory_settings(directory))

    decision = await resolver.resolve("U_OPS", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(OPS, "static_map", status)


async def test_a_failed_directory_leaves_an_unmapped_user_without_a_role(
    directory: FakeDirectory,
) -> None:
    directory.status = 503
    resolver = RoleResolver(directory_settings(directory))

    decision = await resolver.resolve("U_NOBODY", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(None, "none", 503)


async def test_an_unknown_role_from_the_directory_is_a_directory_error(
    directory: FakeDirectory,
) -> None:
    directory.roles["U_NOBODY"] = "superuser"
    resolver = RoleResolver(directory_settings(directory))

    decision = await resolver.resolve("U_NOBODY", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(None, "none", "error")


async def test_an_unreachable_directory_falls_back_to_the_static_map() -> None:
    settings = make_settings(RBAC_MODE="directory", RBAC_DIRECTORY_URL="http://127.0.0.1:9/roles")
    resolver = RoleResolver(settings)

    decision = await resolver.resolve("U_OPS", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(OPS, "static_map", "error")


async def test_directory_failures_are_not_cached(directory: FakeDirectory, clock: Clock) -> None:
    directory.status = 500
    resolver = RoleResolver(directory_settings(directory), clock=clock)
    await resolver.resolve("U7", "C1")
    directory.status = None
    directory.roles["U7"] = FINANCE

    decision = await resolver.resolve("U7", "C1")

    await resolver.aclose()
    assert decision == RoleDecision(FINANCE, "directory")
