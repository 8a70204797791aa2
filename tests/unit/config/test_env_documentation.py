"""Every setting the code reads is documented in .env.example, and every documented one is read."""

import re
from pathlib import Path

from pydantic_settings import BaseSettings

from artbattle_ops.config import settings as settings_module
from artbattle_ops.config.settings import env_names

ROOT = Path(__file__).resolve().parents[3]
ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def documented_names() -> set[str]:
    return set(ENV_LINE.findall((ROOT / ".env.example").read_text(encoding="utf-8")))


def read_names() -> set[str]:
    names: set[str] = set()
    for value in vars(settings_module).values():
        is_settings = isinstance(value, type) and issubclass(value, BaseSettings)
        if is_settings and value is not BaseSettings:
            names |= env_names(value)
    return names


def test_every_setting_read_is_documented() -> None:
    assert read_names() - documented_names() == set()


def test_every_documented_setting_is_read() -> None:
    assert documented_names() - read_names() == set()


def test_only_the_config_package_reads_the_environment() -> None:
    readers = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "src").rglob("*.py")
        if "config" not in path.parts
        and re.search(r"os\.environ|os\.getenv|getenv\(", path.read_text(encoding="utf-8"))
    ]

    assert readers == []
