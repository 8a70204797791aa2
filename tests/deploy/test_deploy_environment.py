"""Every variable a deployed process reads is in its ConfigMap or Secret template, and nothing
there is unused (issue 8; DESIGN.md §8: "every setting that is read is documented")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic_settings import BaseSettings

from artbattle_ops.config import settings as settings_module
from artbattle_ops.config.settings import env_names, load
from artbattle_ops.errors import ConfigError
from tests.deploy.conftest import Manifest, containers, find, secret_templates, workloads

Render = Callable[[str], list[Manifest]]

# (workload, container) -> the command it runs and the settings class of that process.
PROCESSES = {
    ("orchestration-supervisor", "gateway"): ("gateway", "GatewaySettings"),
    ("orchestration-supervisor", "migrate"): ("migrate", "CommonSettings"),
    ("orchestration-api", "assistant"): ("assistant", "AssistantSettings"),
    ("orchestration-cleanup", "cleanup"): ("cleanup", "CommonSettings"),
}


def settings_class(name: str) -> type[BaseSettings]:
    found = getattr(settings_module, name, None)
    if found is None:
        pytest.skip(f"{name} is not in artbattle_ops.config.settings yet")
    assert isinstance(found, type)
    assert issubclass(found, BaseSettings)
    return found


def container_of(docs: list[Manifest], workload: str, name: str) -> Manifest:
    (doc,) = [d for d in workloads(docs) if d["metadata"]["name"] == workload]
    (container,) = [c for c in containers(doc) if c["name"] == name]
    return container


@pytest.mark.parametrize("process", sorted(PROCESSES), ids=lambda p: "/".join(p))
def test_process_gets_exactly_the_variables_its_settings_read(
    render: Render, process: tuple[str, str]
) -> None:
    command, class_name = PROCESSES[process]
    expected = env_names(settings_class(class_name))
    docs = render("production")

    container = container_of(docs, *process)
    provided = set(manifest_environment(docs, process, fill=False))

    assert container["args"][0] == command
    assert {"missing": expected - provided, "unused": provided - expected} == {
        "missing": set(),
        "unused": set(),
    }


def filled(name: str, value: str) -> str:
    """A secret template value with its placeholders replaced by a realistic filled-in value."""
    if "REPLACE_ME" not in value:
        return value
    if name.endswith("_URL"):
        return "postgresql://ops:Zq8vK2pLm4@db.internal:6543/postgres"
    return f"{name.lower()}-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def manifest_environment(
    docs: list[Manifest], process: tuple[str, str], fill: bool
) -> dict[str, str]:
    """The variables a container gets (`env`, and the keys of what `envFrom` names), with the
    secret placeholders filled in when `fill`."""
    container = container_of(docs, *process)
    values: dict[str, str] = {
        item["name"]: item.get("value", "") for item in container.get("env", [])
    }
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            (config,) = find(docs, "ConfigMap", source["configMapRef"]["name"])
            values |= config.get("data", {})
        if "secretRef" in source:
            (secret,) = find(secret_templates(), "Secret", source["secretRef"]["name"])
            data = secret["stringData"].items()
            values |= {k: filled(k, v) if fill else v for k, v in data}
    return values


@pytest.mark.parametrize("process", sorted(PROCESSES), ids=lambda p: "/".join(p))
def test_process_settings_load_from_the_manifests_once_secrets_are_filled(
    render: Render, process: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_class(PROCESSES[process][1])
    for name, value in manifest_environment(render("production"), process, fill=True).items():
        monkeypatch.setenv(name, value)

    loaded = load(settings)

    assert loaded.model_dump(by_alias=True)["APP_ENV"] == "production"


@pytest.mark.parametrize("process", sorted(PROCESSES), ids=lambda p: "/".join(p))
def test_process_refuses_to_start_on_the_unfilled_secret_templates(
    render: Render, process: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_class(PROCESSES[process][1])
    for name, value in manifest_environment(render("production"), process, fill=False).items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError):
        load(settings)


def test_every_workload_container_is_a_known_process_or_a_runner(render: Render) -> None:
    unknown = [
        (doc["metadata"]["name"], container["name"])
        for doc in workloads(render("production"))
        for container in containers(doc)
        if (doc["metadata"]["name"], container["name"]) not in PROCESSES
        and not doc["metadata"]["name"].startswith("runner-")
    ]

    assert unknown == []


def test_runners_get_no_configuration_or_secrets(render: Render) -> None:
    runners = [
        d for d in workloads(render("production")) if d["metadata"]["name"].startswith("runner-")
    ]

    configured = [c["name"] for d in runners for c in containers(d) if "env" in c or "envFrom" in c]
    assert configured == []


def test_every_configmap_and_secret_template_is_used(render: Render) -> None:
    docs = render("production")
    referenced = {
        (kind, source[ref]["name"])
        for doc in workloads(docs)
        for container in containers(doc)
        for source in container.get("envFrom", [])
        for kind, ref in (("ConfigMap", "configMapRef"), ("Secret", "secretRef"))
        if ref in source
    }

    defined = {("ConfigMap", d["metadata"]["name"]) for d in find(docs, "ConfigMap")}
    defined |= {("Secret", d["metadata"]["name"]) for d in secret_templates()}
    assert defined == referenced
