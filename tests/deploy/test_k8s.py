"""deploy/k8s/base: complete, hardened, probed, configured so the services' settings load, and
valid Kubernetes objects once kustomize has rendered it. Python alone: no kubectl needed."""

from __future__ import annotations

import os
from pathlib import Path

import kubernetes_validate
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
    objects = kustomize(BASE)
    assert {doc["kind"] for doc in objects} >= {"Namespace", "ConfigMap", "Deployment", "Service"}
    for doc in objects:
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] == "qgov"
        else:
            assert doc["metadata"].get("namespace") == "qgov", where
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "qgov", where
    for deployment in (doc for doc in objects if doc["kind"] == "Deployment"):
        assert "app.kubernetes.io/part-of" not in deployment["spec"]["selector"]["matchLabels"]


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


def test_kustomize_refuses_what_it_cannot_render(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: []\nimages: [{name: qgov-demo}]\n")
    with pytest.raises(ValueError, match="images"):
        kustomize(tmp_path)


# What `kubectl kustomize` does with the fields and kinds this base uses. Anything else is
# refused, so that a new field is rendered here (and tested) before the tests trust the result.
_KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources"}
_NAMESPACED_KINDS = {"ConfigMap", "Deployment", "Service"}


def kustomize(base: Path) -> list[dict]:
    """The base's objects as kustomize renders them, in the order of `resources`."""
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
    if unknown := kustomization.keys() - _KUSTOMIZATION_FIELDS:
        raise ValueError(f"kustomize() does not render {sorted(unknown)} yet")
    objects = [
        doc
        for resource in kustomization["resources"]
        for doc in yaml.safe_load_all((base / resource).read_text())
        if doc
    ]
    for doc in objects:
        if "namespace" in kustomization:
            _set_namespace(doc, kustomization["namespace"])
        for labels in kustomization.get("labels", []):
            _add_labels(doc, labels)
    return objects


def _set_namespace(doc: dict, namespace: str) -> None:
    if doc["kind"] == "Namespace":
        doc["metadata"]["name"] = namespace  # kustomize renames the one namespace it is given
    elif doc["kind"] in _NAMESPACED_KINDS:
        doc["metadata"]["namespace"] = namespace
    else:
        raise ValueError(f"kustomize() does not know whether {doc['kind']} is namespaced")


def _add_labels(doc: dict, labels: dict) -> None:
    """Metadata only: selectors and pod templates take labels only when asked to."""
    if labels.get("includeSelectors") or labels.get("includeTemplates"):
        raise ValueError("kustomize() does not render labels into selectors or templates yet")
    doc["metadata"].setdefault("labels", {}).update(labels["pairs"])
