"""Every overlay renders, validates offline against the Kubernetes schemas, and keeps the rules
of issue 8: pinned images, restricted pods, probes, replicas, default-deny network policies."""

from __future__ import annotations

from collections.abc import Callable

import kubernetes_validate
import pytest

from tests.deploy.conftest import (
    OVERLAYS,
    Manifest,
    containers,
    find,
    pod_spec,
    secret_templates,
    workloads,
)

# The oldest Kubernetes release the manifests must work on (CronJob timeZone is GA in 1.27).
KUBERNETES_VERSION = "1.29.0"
SERVICES = {"orchestration-api": 3000, "orchestration-supervisor": 8081}
RUNNERS = {
    "runner-data-read",
    "runner-profile-integrity",
    "runner-payments",
    "runner-growth-marketing",
    "runner-platform-db-edge",
}
Render = Callable[[str], list[Manifest]]


def schema_errors(docs: list[Manifest]) -> list[str]:
    errors = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message}")
    return errors


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_validates_against_the_kubernetes_schemas(render: Render, overlay: str) -> None:
    docs = render(overlay)

    assert schema_errors(docs) == []


def test_secret_templates_validate_against_the_kubernetes_schemas() -> None:
    assert schema_errors(secret_templates()) == []


def test_secret_templates_hold_placeholders_only() -> None:
    values = {
        f"{doc['metadata']['name']}.{key}": value
        for doc in secret_templates()
        for key, value in doc["stringData"].items()
    }

    assert {k: v for k, v in values.items() if v and "REPLACE_ME" not in v} == {}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_image_is_pinned_to_a_tag_other_than_latest(render: Render, overlay: str) -> None:
    images = {c["image"] for doc in workloads(render(overlay)) for c in containers(doc)}

    assert all(":" in image and not image.endswith(":latest") for image in images), images


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_runs_restricted(render: Render, overlay: str) -> None:
    loose = []
    for doc in workloads(render(overlay)):
        pod = pod_spec(doc)["securityContext"]
        if not pod.get("runAsNonRoot") or pod.get("seccompProfile") != {"type": "RuntimeDefault"}:
            loose.append(doc["metadata"]["name"])
        for container in containers(doc):
            context = container.get("securityContext", {})
            restricted = (
                context.get("allowPrivilegeEscalation") is False
                and context.get("readOnlyRootFilesystem") is True
                and context.get("capabilities", {}).get("drop") == ["ALL"]
            )
            if not restricted or "limits" not in container.get("resources", {}):
                loose.append(f"{doc['metadata']['name']}/{container['name']}")

    assert loose == []


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_services_probe_healthz_and_readyz_on_their_port(
    render: Render, overlay: str, service: str
) -> None:
    (deployment,) = find(render(overlay), "Deployment", service)
    container = pod_spec(deployment)["containers"][0]

    probes = (
        container["livenessProbe"]["httpGet"]["path"],
        container["readinessProbe"]["httpGet"]["path"],
    )
    assert probes == ("/healthz", "/readyz")
    assert container["ports"][0]["containerPort"] == SERVICES[service]


def test_production_runs_two_replicas_with_an_autoscaler(render: Render) -> None:
    docs = render("production")

    replicas = {name: find(docs, "Deployment", name)[0]["spec"]["replicas"] for name in SERVICES}
    autoscaled = {
        d["spec"]["scaleTargetRef"]["name"]: d["spec"]["minReplicas"]
        for d in find(docs, "HorizontalPodAutoscaler")
    }
    assert replicas == {name: 2 for name in SERVICES}
    assert autoscaled == {name: 2 for name in SERVICES}


def test_staging_runs_one_replica_without_an_autoscaler(render: Render) -> None:
    docs = render("staging")

    replicas = {name: find(docs, "Deployment", name)[0]["spec"]["replicas"] for name in SERVICES}
    assert replicas == {name: 1 for name in SERVICES}
    assert find(docs, "HorizontalPodAutoscaler") == []


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_five_runners_exist_at_zero_replicas_in_the_execution_namespace(
    render: Render, overlay: str
) -> None:
    runners = {
        d["metadata"]["name"]: (d["metadata"]["namespace"], d["spec"]["replicas"])
        for d in find(render(overlay), "Deployment")
        if d["metadata"]["name"].startswith("runner-")
    }

    assert runners == {name: ("artbattle-execution", 0) for name in RUNNERS}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_both_namespaces_deny_all_traffic_by_default(render: Render, overlay: str) -> None:
    deny_all = {
        d["metadata"]["namespace"]
        for d in find(render(overlay), "NetworkPolicy")
        if d["spec"]["podSelector"] == {}
        and d["spec"]["policyTypes"] == ["Ingress", "Egress"]
        and "ingress" not in d["spec"]
        and "egress" not in d["spec"]
    }

    assert deny_all == {"artbattle-orchestration", "artbattle-execution"}


def test_the_gateway_admits_only_the_assistant_pods_on_8081(render: Render) -> None:
    policies = [
        d
        for d in find(render("production"), "NetworkPolicy")
        if d["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        == "orchestration-supervisor"
        and "Ingress" in d["spec"]["policyTypes"]
    ]

    rules = [rule for policy in policies for rule in policy["spec"]["ingress"]]
    assert rules == [
        {
            "from": [
                {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "orchestration-api"}}}
            ],
            "ports": [{"protocol": "TCP", "port": 8081}],
        }
    ]


def test_each_service_has_a_disruption_budget(render: Render) -> None:
    budgets = {d["metadata"]["name"] for d in find(render("production"), "PodDisruptionBudget")}

    assert budgets == set(SERVICES)


def test_retention_runs_weekly_through_the_cleanup_command(render: Render) -> None:
    (cronjob,) = find(render("production"), "CronJob")

    (container,) = containers(cronjob)
    assert container["args"] == ["cleanup", "--days", "90"]
    assert cronjob["spec"]["schedule"].split()[2:] == ["*", "*", "0"]


def test_migrations_run_before_the_gateway_starts(render: Render) -> None:
    (deployment,) = find(render("production"), "Deployment", "orchestration-supervisor")

    init = [c["args"] for c in pod_spec(deployment).get("initContainers", [])]
    assert init == [["migrate"]]
