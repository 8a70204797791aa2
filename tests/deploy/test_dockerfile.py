"""The Dockerfile, read statically (no Docker daemon here): pinned bases, a wheel build, runtime
dependencies only, a non-root user, a health check, and the data files where the code looks."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from artbattle_ops.db import migrations
from artbattle_ops.tools import manifest, reference
from tests.deploy.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
SRC = ROOT / "src"
VENV_PYTHON = PurePosixPath("/opt/venv/lib/python3.12")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    lines = [line.strip() for line in joined.splitlines()]
    pairs = [line.split(maxsplit=1) for line in lines if line and not line.startswith("#")]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def arg_defaults() -> dict[str, str]:
    return dict(args.split("=", 1) for op, args in instructions() if op == "ARG" and "=" in args)


def test_every_base_image_is_pinned_to_a_patch_release() -> None:
    defaults = arg_defaults()
    bases = [
        re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], args.split()[0])
        for op, args in instructions()
        if op == "FROM"
    ]

    assert bases
    assert all(re.fullmatch(r"python:3\.12\.\d+-slim(-\w+)?", base) for base in bases), bases


def test_the_builder_stage_builds_a_wheel_of_the_project() -> None:
    runs = [args for op, args in instructions() if op == "RUN"]

    assert any("pip wheel" in run and run.rstrip().endswith(" .") for run in runs)


def test_the_image_installs_no_editable_package_and_no_dev_extras() -> None:
    installs = " ".join(args for op, args in instructions() if op == "RUN")

    assert " -e " not in installs
    assert "--editable" not in installs
    assert "[dev]" not in installs


def test_the_runtime_stage_runs_as_a_numeric_non_root_user() -> None:
    users = [args for op, args in final_stage() if op == "USER"]

    assert users
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) != 0


def test_the_runtime_stage_checks_healthz() -> None:
    checks = [args for op, args in final_stage() if op == "HEALTHCHECK"]

    assert len(checks) == 1
    assert "/healthz" in checks[0]
    assert "curl" not in checks[0]


def test_the_entrypoint_is_the_cli_and_the_default_command_the_gateway() -> None:
    steps = dict(final_stage())

    assert (steps["ENTRYPOINT"], steps["CMD"]) == ('["artbattle-ops"]', '["gateway"]')


def installed_location(module_file: str, data_path: Path) -> PurePosixPath:
    """Where the code looks for `data_path` once the package sits in the image's site-packages."""
    module = Path(module_file).resolve().relative_to(SRC)
    depth = next(
        i for i, parent in enumerate(Path(module_file).resolve().parents) if parent == ROOT
    )
    site_module = VENV_PYTHON / "site-packages" / PurePosixPath(module.as_posix())
    return site_module.parents[depth] / PurePosixPath(data_path.relative_to(ROOT).as_posix())


def test_data_files_are_copied_where_the_installed_code_looks_for_them() -> None:
    needed = {
        (str(path.relative_to(ROOT)), str(installed_location(module, path)))
        for module, path in (
            (migrations.__file__, migrations.SQL_DIR),
            (manifest.__file__, manifest.DEFAULT_DIRECTORY),
            (reference.__file__, reference.REFERENCE_PATH),
        )
    }

    copies = {tuple(args.split()) for op, args in final_stage() if op == "COPY"}
    assert needed <= copies
