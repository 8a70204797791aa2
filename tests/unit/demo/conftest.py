"""Demo-scale datasets, generated once per test session (demo scale only, for speed)."""

from datetime import UTC, datetime

import pytest

from artbattle_ops.demo.dataset import Dataset
from artbattle_ops.demo.generator import generate

AS_OF = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# Another season (Toronto on summer time, Melbourne on winter time) and another time of day.
SHIFTED_AS_OF = datetime(2026, 7, 16, 3, 37, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo() -> Dataset:
    """Seed 1 at AS_OF."""
    return generate("demo", 1, AS_OF)


@pytest.fixture(scope="session")
def shifted() -> Dataset:
    """Seed 1 at SHIFTED_AS_OF."""
    return generate("demo", 1, SHIFTED_AS_OF)
