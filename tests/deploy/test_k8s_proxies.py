"""deploy/k8s/base: the services behind the gateway believe the client the gateway names, and the
gateway believes no caller's own claim, wherever the cluster puts its pods."""

from __future__ import annotations

import functools
import os
from ipaddress import ip_network
from pathlib import Path

import pytest
import yaml

from qgov_shared.settings import ServiceSettings

BASE = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "base"
# Where common distributions put pods by default: kubeadm with flannel and kind, k3s, Calico,
# GKE. The gateway's address is somewhere in the cluster's pod network.
POD_NETWORKS = [
    ip_network(cidr) for cidr in ("10.244.0.0/16", "10.42.0.0/16", "192.168.0.0/16", "10.4.0.0/14")
]


@functools.cache
def objects(kind: str) -> dict[str, dict]:
    found = {}
    for path in BASE.glob("*.yaml"):
        for doc in yaml.load_all(path.read_text(), Loader=yaml.CSafeLoader):
            if doc and doc.get("kind") == kind:
                found[doc["metadata"]["name"]] = doc
    return found


def trusted_proxies(name: str, monkeypatch) -> list:
    """What the service's container trusts, from its ConfigMaps and its own env."""
    (container,) = [
        c
        for c in objects("Deployment")[name]["spec"]["template"]["spec"]["containers"]
        if c["name"] == name
    ]
    configmaps = objects("ConfigMap")
    for key in [k for k in os.environ if k.startswith("QGOV_")]:
        monkeypatch.delenv(key)
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            for key, value in configmaps[source["configMapRef"]["name"]]["data"].items():
                monkeypatch.setenv(key, value)
    for item in container.get("env", []):
        if "value" in item:
            monkeypatch.setenv(item["name"], item["value"])
    monkeypatch.setenv("QGOV_ENVIRONMENT", "test")  # only the proxies matter here
    return ServiceSettings().trusted_proxies


BEHIND_THE_GATEWAY = sorted(set(objects("Deployment")) - {"gateway"})


@pytest.mark.parametrize("name", BEHIND_THE_GATEWAY)
def test_a_service_behind_the_gateway_trusts_the_pod_network(name: str, monkeypatch) -> None:
    """Else every anonymous caller is the gateway's address, one bucket at the service."""
    trusted = trusted_proxies(name, monkeypatch)
    for pods in POD_NETWORKS:
        assert any(pods.subnet_of(network) for network in trusted if network.version == 4), pods


def test_the_gateway_trusts_no_pod_network(monkeypatch) -> None:
    """A caller inside the pod network (or reaching the gateway from it) must not be able to
    name another client in X-Forwarded-For; an overlay trusts its ingress controller."""
    trusted = trusted_proxies("gateway", monkeypatch)
    for pods in POD_NETWORKS:
        assert not any(pods.overlaps(network) for network in trusted), pods
