"""deploy/k8s/base: complete, hardened, probed, and configured so the services' settings load."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from qgov_shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "k8s" / "base"
SECRET_NAME = "qgov-secrets"


def workspace_services() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def manifests() -> list[Path]:
    return sorted([*BASE.glob("*.yaml"), *BASE.glob("*.yml")])


def documents() -> list[dict]:
    docs = []
    for path in manifests():
        if path.name.startswith("kustomization."):
            continue
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def of_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in documents() if doc["kind"] == kind}


def all_containers(deployment: dict) -> list[dict]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def main_container(name: str, deployment: dict) -> dict:
    (container,) = [
        c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == name
    ]
    return container


DEPLOYMENTS = sorted(of_kind("Deployment"))


def test_kustomization_lists_exactly_the_manifests_that_exist() -> None:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    for resource in listed:
        assert (BASE / resource).is_file(), f"listed but missing: {resource}"
    on_disk = {p.name for p in manifests() if not p.name.startswith("kustomization.")}
    assert set(listed) == on_disk
    assert kustomization["namespace"] == "qgov"


def test_every_manifest_is_a_named_kubernetes_object() -> None:
    docs = documents()
    assert docs
    for doc in docs:
        assert doc.get("apiVersion"), doc
        assert doc.get("kind"), doc
        assert doc["metadata"]["name"], doc


def test_each_workspace_service_has_a_deployment_and_a_service() -> None:
    names = workspace_services()
    assert names, "no services/<name>/pyproject.toml found"
    services = of_kind("Service")
    for name in names:
        assert name in DEPLOYMENTS, f"no Deployment for {name}"
        assert name in services, f"no Service for {name}"


def test_every_deployment_belongs_to_a_workspace_service() -> None:
    assert workspace_services() == DEPLOYMENTS


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_every_container_is_hardened(name: str) -> None:
    deployment = of_kind("Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    pod_context = pod.get("securityContext", {})
    tmp_volumes = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
    for container in all_containers(deployment):
        context = {**pod_context, **container.get("securityContext", {})}
        where = f"{name}/{container['name']}"
        assert context.get("runAsNonRoot") is True, where
        assert context.get("runAsUser") == 10001, where
        assert context.get("readOnlyRootFilesystem") is True, where
        assert context.get("allowPrivilegeEscalation") is False, where
        assert "ALL" in context.get("capabilities", {}).get("drop", []), where
        assert context.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        assert mounts.get("/tmp") in tmp_volumes, f"{where}: /tmp must be an emptyDir"
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container.get("resources", {}).get(kind, {})), where


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_the_service_container_is_probed_on_healthz_and_readyz(name: str) -> None:
    container = main_container(name, of_kind("Deployment")[name])
    ports = {p.get("name") for p in container["ports"]} | {
        p["containerPort"] for p in container["ports"]
    }
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        http = container[probe]["httpGet"]
        assert http["path"] == path, f"{name} {probe}"
        assert http["port"] in ports, f"{name} {probe} probes a port the container does not open"


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_an_init_container_migrates_with_the_service_image(name: str) -> None:
    deployment = of_kind("Deployment")[name]
    init = deployment["spec"]["template"]["spec"]["initContainers"]
    migrate = [c for c in init if c.get("command") == ["qgov", "migrate", name]]
    assert migrate, f"{name}: no init container runs `qgov migrate {name}`"
    assert migrate[0]["image"] == main_container(name, deployment)["image"]


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_the_service_routes_to_the_container_port(name: str) -> None:
    deployment = of_kind("Deployment")[name]
    service = of_kind("Service")[name]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    container = main_container(name, deployment)
    (port,) = container["ports"]
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] in (port["containerPort"], port.get("name"))
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    assert env.get("QGOV_PORT") == str(port["containerPort"]), "uvicorn must bind the probed port"


def test_no_secret_is_committed_and_secrets_come_from_qgov_secrets() -> None:
    assert not of_kind("Secret"), "the base must not carry secrets; reference qgov-secrets"
    (config,) = of_kind("ConfigMap").values()
    assert make_url(config["data"]["QGOV_DATABASE_URL"]).password is None
    for name, deployment in of_kind("Deployment").items():
        for container in all_containers(deployment):
            refs = [
                e["valueFrom"]["secretKeyRef"] for e in container.get("env", []) if "valueFrom" in e
            ]
            refs += [e["secretRef"] for e in container.get("envFrom", []) if "secretRef" in e]
            assert refs, f"{name}/{container['name']} reads no secret"
            assert {ref["name"] for ref in refs} == {SECRET_NAME}


@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_every_container_gets_settings_that_load(name: str, monkeypatch) -> None:
    """ConfigMap + the container's env (secrets as placeholders) make valid production settings."""
    configmaps = of_kind("ConfigMap")
    for container in all_containers(of_kind("Deployment")[name]):
        for key in [k for k in os.environ if k.startswith("QGOV_")]:
            monkeypatch.delenv(key)
        for source in container.get("envFrom", []):
            for key, value in configmaps[source["configMapRef"]["name"]]["data"].items():
                monkeypatch.setenv(key, value)
        for item in container.get("env", []):
            monkeypatch.setenv(item["name"], item.get("value", f"placeholder-{item['name']}"))
        monkeypatch.setenv("QGOV_SERVICE_NAME", name)  # baked into the image from SERVICE
        settings = ServiceSettings()
        assert settings.is_production, f"{name}/{container['name']}"
        assert settings.kafka_bootstrap_servers
        assert os.environ.get("PGPASSWORD"), f"{name}/{container['name']}: no database password"


def test_kustomize_renders_the_base() -> None:
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(BASE)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    objects = [doc for doc in yaml.safe_load_all(rendered) if doc]
    assert all(
        doc["metadata"].get("namespace") == "qgov" for doc in objects if doc["kind"] != "Namespace"
    )
    assert {doc["kind"] for doc in objects} >= {"Namespace", "ConfigMap", "Deployment", "Service"}
