"""Each role is offered exactly the implemented tools the §2 matrix gives it."""

import pytest

from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.registry import load_handlers
from tests.integration.tools.conftest import ROLE_USERS, DemoGateway


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_listing_follows_the_role_matrix(demo_gateway: DemoGateway, role: str) -> None:
    implemented = load_handlers()
    expected = sorted(
        name
        for name, spec in load_manifest().items()
        if name in implemented and role in spec.allowed_roles
    )

    assert sorted(demo_gateway.tools(role)) == expected


def test_every_data_read_platform_and_bot_tool_is_implemented() -> None:
    domains = {"data-read", "platform-db-edge", "bot-observability"}
    wanted = {name for name, spec in load_manifest().items() if spec.domain in domains}

    assert wanted - load_handlers() == set()
