"""deploy/k8s/production as the deploy tests read it: rendered once by kustomize (the `rendered`
fixture in conftest.py), and each service's settings as its pod would build them."""

from __future__ import annotations

from .kube import K8S, container_env, containers, of_kind
from .service_settings import image_env, settings_class, use_only, workspace_services

PRODUCTION = K8S / "production"
SERVICES = sorted(set(workspace_services()) - {"demo"})


def single(objects: list[dict], kind: str) -> dict:
    (only,) = of_kind(objects, kind).values()
    return only


def production_settings(rendered: list[dict], name: str, monkeypatch):
    """The service's own settings from its image's ENV, the ConfigMap and its container's env."""
    deployment = of_kind(rendered, "Deployment")[name]
    (main,) = [c for c in containers(deployment) if c["name"] == name]
    port = str(main["ports"][0]["containerPort"])
    env = image_env(name, port) | container_env(main, of_kind(rendered, "ConfigMap"))
    use_only(env, monkeypatch)
    return settings_class(name)()


def postgres_roles(rendered: list[dict]) -> dict[str, dict]:
    roles = single(rendered, "Cluster")["spec"]["managed"]["roles"]
    return {role["name"]: role for role in roles}


def pod(rendered: list[dict], name: str) -> dict:
    return of_kind(rendered, "Deployment")[name]["spec"]["template"]["metadata"]["labels"]
