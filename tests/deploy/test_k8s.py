"""deploy/k8s/base: complete, hardened, probed, configured so the services' settings load, and
valid Kubernetes objects once kustomize has rendered it. Offline: kustomize is the pip-installed
kubectl's, and no cluster is needed."""

from __future__ import annotations

import functools
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from sqlalchemy.engine import make_url

from qgov_shared.settings import ServiceSettings

from .kube import container_env, kustomize
from .service_settings import (
    ROOT,
    files_not_in_image,
    image_env,
    secret_fields,
    settings_class,
    use_only,
)
from .service_settings import workspace_services as workspace_services

BASE = ROOT / "deploy" / "k8s" / "base"
SECRET_NAME = "qgov-secrets"


def manifests() -> list[Path]:
    return sorted([*BASE.glob("*.yaml"), *BASE.glob("*.yml")])


@functools.cache
def documents() -> list[dict]:
    """The base's objects, parsed once: read them, never change them."""
    docs = []
    for path in manifests():
        if path.name.startswith("kustomization."):
            continue
        docs += [doc for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader) if doc]
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
    """The image's ENV, the ConfigMap and the container's env make valid production settings: the
    service's own settings class in the service's container, the shared ones `qgov migrate`
    reads in the init container. Every secret the class has is given, none keeps its default."""
    deployment = of_kind("Deployment")[name]
    main = main_container(name, deployment)
    port = str(main["ports"][0]["containerPort"])
    for container in all_containers(deployment):
        where = f"{name}/{container['name']}"
        env = image_env(name, port) | container_env(container, of_kind("ConfigMap"))
        use_only(env, monkeypatch)
        # The init container runs `qgov migrate`, which builds the shared settings only.
        settings = settings_class(name)() if container is main else ServiceSettings()
        assert settings.is_production, where
        assert settings.kafka_bootstrap_servers, where
        assert env.get("PGPASSWORD"), f"{where}: no database password"
        if container is main:
            assert files_not_in_image(settings) == [], where
            for field in secret_fields(settings_class(name)):
                assert field in env, f"{where} does not get {field}: it would keep its default"


def test_kustomize_renders_the_base() -> None:
    objects = kustomize(BASE)
    assert len(objects) == len(documents())
    assert {doc["kind"] for doc in objects} >= {"Namespace", "ConfigMap", "Deployment", "Service"}
    for doc in objects:
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] == "qgov"
        else:
            assert doc["metadata"].get("namespace") == "qgov", where
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "qgov", where
    for deployment in (doc for doc in objects if doc["kind"] == "Deployment"):
        # Selectors are immutable once applied: the label goes on the pods, not into selectors.
        assert "app.kubernetes.io/part-of" not in deployment["spec"]["selector"]["matchLabels"]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert pod_labels["app.kubernetes.io/part-of"] == "qgov"
    for service in (doc for doc in objects if doc["kind"] == "Service"):
        assert "app.kubernetes.io/part-of" not in service["spec"]["selector"]


# Pod Security admission, which the namespace relies on, is stable from Kubernetes 1.25.
@pytest.mark.parametrize("version", ["1.25", kubernetes_validate.latest_version()])
def test_every_rendered_object_matches_the_kubernetes_schema(version: str) -> None:
    """Strict: a misspelt or misplaced field fails here, not at `kubectl apply`."""
    for doc in kustomize(BASE):
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{where}: {'.'.join(map(str, error.path))}: {error.message}")
