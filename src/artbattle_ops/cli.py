"""Command-line entry point `artbattle-ops`."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    del argv
    sys.stderr.write("not yet\n")
    return 2
