"""Local secrets are generated once, kept private, and reused on the next start."""

import stat
from pathlib import Path

from artbattle_ops.cli.local_secrets import LOCAL_SECRETS, ensure_local_secrets


def test_secrets_are_generated_for_every_name(tmp_path: Path) -> None:
    values = ensure_local_secrets(tmp_path / "local.env")

    assert all(len(values[name]) >= 32 for name in LOCAL_SECRETS)


def test_the_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "local.env"

    ensure_local_secrets(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_second_start_reuses_the_same_secrets(tmp_path: Path) -> None:
    first = ensure_local_secrets(tmp_path / "local.env")

    second = ensure_local_secrets(tmp_path / "local.env")

    assert first == second
