"""`artbattle-ops docs tools`: write the tool reference, or check that it is up to date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.reference import REFERENCE_PATH, implemented_tools, render_reference


def register(commands: Any) -> None:
    """Add `docs tools` to the command tree."""
    parser = commands.add_parser("docs", help="generated documentation")
    pages = parser.add_subparsers(dest="page", required=True, metavar="PAGE")
    tools = pages.add_parser("tools", help="the tool reference, docs/tools.md, from the manifest")
    tools.add_argument(
        "--check", action="store_true", help="exit 1 when docs/tools.md is out of date"
    )
    tools.set_defaults(handler=run_tools)


def run_tools(args: argparse.Namespace) -> int:
    """Write docs/tools.md, or with --check report whether it matches the manifest and handlers."""
    if args.check:
        return check_reference(REFERENCE_PATH)
    write_reference(REFERENCE_PATH)
    sys.stdout.write(f"wrote {REFERENCE_PATH}\n")
    return 0


def current_reference() -> str:
    """The reference as the manifest and the registered handlers describe it now."""
    return render_reference(load_manifest(), implemented_tools())


def write_reference(path: Path) -> None:
    """Write the current reference to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current_reference(), encoding="utf-8")


def check_reference(path: Path) -> int:
    """0 when `path` holds the current reference, else 1 with a one-line hint on stderr."""
    stored = path.read_text(encoding="utf-8") if path.exists() else None
    if stored == current_reference():
        sys.stdout.write(f"{path.name} is up to date\n")
        return 0
    sys.stderr.write(f"{path.name} is out of date: run `artbattle-ops docs tools`\n")
    return 1
