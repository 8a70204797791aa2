"""The generated tool reference: the committed page matches the manifest and the handlers."""

from pathlib import Path

from artbattle_ops.cli import build_parser
from artbattle_ops.cli.docs import check_reference, current_reference, write_reference
from artbattle_ops.tools.manifest import load_manifest
from artbattle_ops.tools.reference import REFERENCE_PATH, implemented_tools, render_reference


def overview_row(reference: str, name: str) -> str:
    return next(line for line in reference.splitlines() if line.startswith(f"| [`{name}`]"))


def test_the_committed_reference_matches_the_manifest_and_handlers() -> None:
    committed = REFERENCE_PATH.read_text(encoding="utf-8")

    assert committed == render_reference(load_manifest(), implemented_tools())


def test_every_tool_has_a_section() -> None:
    reference = render_reference(load_manifest(), frozenset())

    assert all(f"\n### `{name}`\n" in reference for name in load_manifest())


def test_an_implemented_tool_is_marked_in_the_overview() -> None:
    reference = render_reference(load_manifest(), frozenset({"lookup_event"}))

    assert overview_row(reference, "lookup_event").endswith("| yes |")


def test_a_tool_without_handler_is_marked_in_the_overview() -> None:
    reference = render_reference(load_manifest(), frozenset({"lookup_event"}))

    assert overview_row(reference, "lookup_person").endswith("| no |")


def test_the_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / "tools.md"
    page.write_text("# Tool reference\n", encoding="utf-8")

    assert check_reference(page) == 1


def test_the_check_passes_once_the_page_is_written(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "tools.md"
    write_reference(page)

    assert check_reference(page) == 0


def test_the_written_page_is_the_current_reference(tmp_path: Path) -> None:
    page = tmp_path / "tools.md"
    write_reference(page)

    assert page.read_text(encoding="utf-8") == current_reference()


def test_the_cli_offers_docs_tools_check() -> None:
    args = build_parser().parse_args(["docs", "tools", "--check"])

    assert args.check is True
