"""Rendered Kustomize overlays and the secret templates, for the deployment checks."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S_DIR = ROOT / "deploy" / "k8s"
OVERLAYS = ("staging", "production")
SECRET_TEMPLATES = sorted((K8S_DIR / "secrets").glob("*.yaml"))

Manifest = dict[str, Any]


def find_kubectl() -> str | None:
    """kubectl from PATH, or the copy CI may install under .tools/."""
    found = shutil.which("kubectl")
    if found:
        return found
    local = ROOT / ".tools" / "bin" / "kubectl"
    return str(local) if local.exists() else None


def load_documents(text: str) -> list[Manifest]:
    """Every non-empty YAML document of a multi-document stream."""
    return [doc for doc in yaml.safe_load_all(text) if doc]


@pytest.fixture(scope="session")
def render() -> Callable[[str], list[Manifest]]:
    """A function rendering one overlay with `kubectl kustomize`, cached per overlay."""
    kubectl = find_kubectl()
    if kubectl is None:
        pytest.skip(
            "kubectl is not installed: the overlays cannot be rendered (apt-get install kubectl)"
        )
    cache: dict[str, list[Manifest]] = {}

    def rendered(overlay: str) -> list[Manifest]:
        if overlay not in cache:
            result = subprocess.run(
                [kubectl, "kustomize", str(K8S_DIR / "overlays" / overlay)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            cache[overlay] = load_documents(result.stdout)
        return cache[overlay]

    return rendered


def secret_templates() -> list[Manifest]:
    """The Secret templates of deploy/k8s/secrets, which the overlays do not include."""
    docs: list[Manifest] = []
    for path in SECRET_TEMPLATES:
        docs.extend(load_documents(path.read_text(encoding="utf-8")))
    return docs


def find(docs: list[Manifest], kind: str, name: str | None = None) -> list[Manifest]:
    """Documents of one kind, optionally with one name."""
    return [
        d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]


def pod_spec(doc: Manifest) -> Manifest:
    """The pod template spec of a Deployment or a CronJob."""
    if doc["kind"] == "CronJob":
        spec: Manifest = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        return spec
    template: Manifest = doc["spec"]["template"]["spec"]
    return template


def workloads(docs: list[Manifest]) -> list[Manifest]:
    """Every Deployment and CronJob."""
    return [d for d in docs if d["kind"] in ("Deployment", "CronJob")]


def containers(doc: Manifest) -> list[Manifest]:
    """Init containers and containers of a workload."""
    spec = pod_spec(doc)
    return [*spec.get("initContainers", []), *spec["containers"]]
