"""deploy/k8s/production keeps each service to its own: its own PostgreSQL role and database (no
role admitted to another's), and a network where only the gateway reaches the services and the
database admits only its services, its instances and its operator."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from .kube import containers, of_kind
from .production import SERVICES, pod, postgres_roles, production_settings, single


def test_postgres_runs_three_instances_with_nightly_backups(rendered) -> None:
    cluster = single(rendered, "Cluster")
    assert cluster["spec"]["instances"] == 3
    assert cluster["spec"]["enableSuperuserAccess"] is False
    backup = single(rendered, "ScheduledBackup")
    assert backup["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert backup["spec"]["method"] == "barmanObjectStore"
    assert cluster["spec"]["backup"]["barmanObjectStore"]["destinationPath"]
    assert len(backup["spec"]["schedule"].split()) == 6  # seconds first


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_connects_as_its_own_role_to_its_own_database(
    rendered, name: str, monkeypatch
) -> None:
    cluster = single(rendered, "Cluster")
    role = postgres_roles(rendered)[name]
    assert role["login"] is True
    assert role["ensure"] == "present"
    assert role["passwordSecret"]["name"] == f"qgov-db-{name}"
    (database,) = [
        d for d in of_kind(rendered, "Database").values() if d["spec"]["name"] == f"qgov_{name}"
    ]
    assert database["spec"]["owner"] == name
    assert database["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    url = make_url(production_settings(rendered, name, monkeypatch).service_database_url)
    assert (url.username, url.database) == (name, f"qgov_{name}")
    assert url.host == f"{cluster['metadata']['name']}-rw"
    for container in containers(of_kind(rendered, "Deployment")[name]):
        (password,) = [e for e in container["env"] if e["name"] == "PGPASSWORD"]
        assert password["valueFrom"]["secretKeyRef"] == {
            "name": f"qgov-db-{name}",
            "key": "password",
        }


def hba_admits(lines: list[str], database: str, user: str) -> bool:
    """pg_hba's first matching line decides; CloudNativePG puts its own certificate-only lines for
    its replication user before these, and a closing line admitting any password after."""
    for line in lines:
        _kind, databases, users, _address, method = line.split()
        if _listed(database, databases) and _listed(user, users):
            return method != "reject"
    return True


def _listed(name: str, field: str) -> bool:
    return field == "all" or name in field.split(",")


def test_no_role_opens_another_services_database(rendered) -> None:
    lines = single(rendered, "Cluster")["spec"]["postgresql"]["pg_hba"]
    assert lines[-1].split() == ["host", "all", "all", "all", "reject"]
    for user in SERVICES:
        for owner in SERVICES:
            assert hba_admits(lines, f"qgov_{owner}", user) == (user == owner), (user, owner)
        # `qgov migrate` looks in `postgres` whether its database exists.
        assert hba_admits(lines, "postgres", user)
    assert not hba_admits(lines, "qgov_credit", "app")


def admitted(policies: list[dict], target: dict, source: dict, namespace: str = "qgov") -> bool:
    """Whether some NetworkPolicy selecting `target` (pod labels) admits `source` (pod labels in
    `namespace`, whose only label is its name). No policy selecting the pod: all admitted."""
    selecting = [p for p in policies if _matches(p["spec"]["podSelector"], target)]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("ingress", []):
            if "from" not in rule:
                return True
            for peer in rule["from"]:
                namespaces = peer.get("namespaceSelector")
                pods = peer.get("podSelector", {})
                in_namespace = (
                    namespace == "qgov"
                    if namespaces is None
                    else _matches(namespaces, {"kubernetes.io/metadata.name": namespace})
                )
                if in_namespace and _matches(pods, source):
                    return True
    return False


def _matches(selector: dict, labels: dict) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        value = labels.get(expression["key"])
        if expression["operator"] == "In" and value not in expression["values"]:
            return False
        if expression["operator"] == "Exists" and value is None:
            return False
    return True


def test_only_the_gateway_reaches_the_services_and_the_web_pages(rendered) -> None:
    policies = list(of_kind(rendered, "NetworkPolicy").values())
    outsider = {"app.kubernetes.io/name": "someone-else"}
    gateway = pod(rendered, "gateway")
    assert admitted(policies, gateway, outsider, namespace="ingress-nginx")
    for name in SERVICES:
        if name == "gateway":
            continue
        target = pod(rendered, name)
        assert admitted(policies, target, gateway), name
        assert not admitted(policies, target, outsider), name
        assert not admitted(policies, target, gateway, namespace="elsewhere"), name
        for other in SERVICES:
            if other not in (name, "gateway"):
                assert not admitted(policies, target, pod(rendered, other)), (other, name)


def test_the_database_is_reached_only_by_its_services_instances_and_operator(rendered) -> None:
    policies = list(of_kind(rendered, "NetworkPolicy").values())
    cluster = single(rendered, "Cluster")["metadata"]["name"]
    instance = {"cnpg.io/cluster": cluster, "cnpg.io/instanceName": f"{cluster}-1"}
    for name in SERVICES:
        assert admitted(policies, instance, pod(rendered, name)), name
    assert admitted(policies, instance, instance)
    assert admitted(policies, instance, {"app.kubernetes.io/name": "cloudnative-pg"}, "cnpg-system")
    kafka_broker = {"strimzi.io/cluster": "qgov", "strimzi.io/kind": "Kafka"}
    assert not admitted(policies, instance, kafka_broker)
    assert not admitted(policies, instance, {"app.kubernetes.io/name": "someone-else"})
    assert not admitted(policies, instance, pod(rendered, "gateway"), namespace="elsewhere")
