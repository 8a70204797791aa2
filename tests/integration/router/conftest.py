"""The router's integration tests share the tools' gateway over the seeded demo database."""

from tests.integration.tools.conftest import demo_gateway

__all__ = ["demo_gateway"]
