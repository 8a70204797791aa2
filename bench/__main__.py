"""Run the named benchmarks (all when none is named) and record their figures."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bench import assistant, gateway, local_start, router, seeding, tools

BENCHMARKS: dict[str, Callable[[], None]] = {
    "seeding": seeding.run,
    "gateway": gateway.run,
    "tools": tools.run,
    "router": router.run,
    "local-start": local_start.run,
    "assistant": assistant.run,
}


def main(names: list[str]) -> int:
    """Run benchmarks by name; returns the exit status."""
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
