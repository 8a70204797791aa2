"""The embedded server keeps its data across runs, stops cleanly, and runs as root or not."""

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from artbattle_ops.db.embedded import EmbeddedPostgres


def postmaster_running(data_dir: Path) -> bool:
    return (data_dir / "postmaster.pid").exists()


def test_data_survives_a_restart(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "pg")
    with psycopg.connect(server.start(), autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (value text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")
    server.stop()

    again = EmbeddedPostgres(tmp_path / "pg")
    with psycopg.connect(again.start(), autocommit=True) as conn:
        row = conn.execute("SELECT value FROM kept").fetchone()
    again.stop()

    assert row == ("still here",)


def test_stop_shuts_the_server_down(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "pg")
    server.start()

    server.stop()

    assert not postmaster_running(tmp_path / "pg")


USER_SCRIPT = """
import sys
import psycopg
from artbattle_ops.db.embedded import EmbeddedPostgres
server = EmbeddedPostgres(__import__("pathlib").Path(sys.argv[1]))
with psycopg.connect(server.start(), autocommit=True) as conn:
    print(conn.execute("SELECT current_setting('server_version_num')").fetchone()[0])
server.stop()
"""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to switch")
def test_an_ordinary_user_can_run_it(tmp_path: Path) -> None:
    user = "abops-test"
    if shutil.which("useradd") is None:
        pytest.skip("useradd is not available")
    try:
        pwd.getpwnam(user)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", user], check=True)
    home = tmp_path / "user"
    home.mkdir()
    shutil.chown(home, user)
    tmp_path.chmod(0o755)
    for path in (tmp_path, Path(sys.executable).resolve()):
        for parent in path.parents:
            if parent.stat().st_mode & 0o001 == 0:
                pytest.skip(f"{parent} is not traversable by other users")

    result = subprocess.run(
        [sys.executable, "-c", USER_SCRIPT, str(home / "pg")],
        user=user,
        group=pwd.getpwnam(user).pw_gid,
        extra_groups=[],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.defpath, "HOME": str(home)},
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("16")
