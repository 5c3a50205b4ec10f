"""deploy/k8s/production, rendered by kustomize: every object valid (core kinds against Kubernetes'
schemas, Strimzi's and CloudNativePG's against their CRDs in deploy/k8s/crds), every service
hardened, sized, spread, budgeted and autoscaled within its partitions and the database's
connections, Kafka replicated, and the secrets all from outside the repository."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from .kube import (
    CRDS,
    ROOT,
    containers,
    core_errors,
    custom_resource_errors,
    is_custom,
    kustomize,
    of_kind,
    restricted_violations,
)
from .production import PRODUCTION, SERVICES, production_settings, single

# SQLAlchemy's default max_overflow, which qgov_shared.db keeps, and the relay's LISTEN connection.
OVERFLOW_PER_PROCESS = 10
LISTENERS_PER_PROCESS = 1


@pytest.mark.parametrize("version", ["1.30", kubernetes_validate.latest_version()])
def test_every_core_object_matches_the_kubernetes_schema(rendered, version: str) -> None:
    core = [doc for doc in rendered if not is_custom(doc)]
    assert {doc["kind"] for doc in core} >= {
        "Deployment",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
        "PodDisruptionBudget",
    }
    for doc in core:
        assert core_errors(doc, version) == [], f"{doc['kind']}/{doc['metadata']['name']}"


def test_every_custom_resource_matches_its_operators_crd(rendered) -> None:
    custom = [doc for doc in rendered if is_custom(doc)]
    kinds = {doc["kind"] for doc in custom}
    assert kinds == {
        "Kafka",
        "KafkaNodePool",
        "KafkaTopic",
        "Cluster",
        "Database",
        "ScheduledBackup",
    }
    for doc in custom:
        assert custom_resource_errors(doc) == [], f"{doc['kind']}/{doc['metadata']['name']}"


def test_the_crd_check_refuses_a_misspelt_or_mistyped_field() -> None:
    """The check above proves something only if it fails on what the API server would refuse."""
    rendered = kustomize(PRODUCTION)  # a copy of its own, to spoil
    cluster = single(rendered, "Cluster")
    cluster["spec"]["instance"] = 3  # misspelt
    cluster["spec"]["storage"]["size"] = 200  # a quantity is a string
    errors = " ".join(custom_resource_errors(cluster))
    assert "'instance' was unexpected" in errors
    assert "200 is not of type 'string'" in errors
    topic = of_kind(rendered, "KafkaTopic")["qgov.credit"]
    topic["spec"]["partitions"] = 0
    assert custom_resource_errors(topic)


def test_the_shipped_crds_are_valid_crds_and_say_where_they_come_from() -> None:
    readme = (CRDS / "README.md").read_text()
    for path in sorted(CRDS.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        assert core_errors(crd, kubernetes_validate.latest_version()) == [], path.name
        assert path.name in readme, f"crds/README.md says nothing of {path.name}"
    for operator in ("Strimzi", "CloudNativePG"):
        assert re.search(rf"{operator} \d+\.\d+\.\d+", readme), operator


def test_every_service_but_the_demo_runs_hardened_with_no_secret_in_the_repository(
    rendered,
) -> None:
    assert sorted(of_kind(rendered, "Deployment")) == SERVICES
    assert sorted(of_kind(rendered, "Service")) == SERVICES
    assert not of_kind(rendered, "Secret"), "secrets come from existing Secrets"
    namespace = single(rendered, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for name, deployment in of_kind(rendered, "Deployment").items():
        assert restricted_violations(deployment) == [], name


def referenced_secrets(rendered: list[dict]) -> set[str]:
    """Every Secret a rendered object names: key references, CloudNativePG's role passwords and
    its backup store's credentials."""
    names = {ref["name"] for ref in _find(rendered, "secretKeyRef")}
    names |= {ref["name"] for ref in _find(rendered, "passwordSecret")}
    for credentials in _find(rendered, "s3Credentials"):
        names |= {ref["name"] for ref in credentials.values()}
    return names


def _find(node, key: str) -> list:
    if isinstance(node, dict):
        return ([node[key]] if key in node else []) + [
            found for value in node.values() for found in _find(value, key)
        ]
    if isinstance(node, list):
        return [found for item in node for found in _find(item, key)]
    return []


def test_every_secret_referenced_is_one_the_deployment_guide_says_to_create(rendered) -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    secrets = referenced_secrets(rendered)
    assert {"qgov-secrets", "qgov-backup-s3"} | {f"qgov-db-{s}" for s in SERVICES} == secrets
    for name in ("qgov-secrets", "qgov-backup-s3", "qgov-db-<service>"):
        assert f"`{name}`" in guide, name


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_is_sized_spread_and_budgeted(rendered, name: str) -> None:
    deployment = of_kind(rendered, "Deployment")[name]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    for container in containers(deployment):
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), container["name"]
    spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in spread} == {
        "topology.kubernetes.io/zone",
        "kubernetes.io/hostname",
    }
    for constraint in spread:
        assert constraint["labelSelector"]["matchLabels"].items() <= pod_labels.items()
    budget = of_kind(rendered, "PodDisruptionBudget")[name]
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert budget["spec"]["maxUnavailable"] == 1
    autoscaler = of_kind(rendered, "HorizontalPodAutoscaler")[name]
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": name,
    }
    # Two at least, so that the budget above lets a node drain without an outage.
    assert 2 <= autoscaler["spec"]["minReplicas"] == deployment["spec"]["replicas"]
    assert autoscaler["spec"]["maxReplicas"] >= autoscaler["spec"]["minReplicas"]


def consumer_groups() -> dict[str, set[str]]:
    """{service: the topics its consumer groups read}, from the AsyncAPI document."""
    document = yaml.safe_load((ROOT / "contracts" / "asyncapi.yaml").read_text())
    read: dict[str, set[str]] = {}
    for operation in document["operations"].values():
        if operation["action"] != "receive":
            continue
        (service,) = re.findall(r"group `([a-z]+)\.", operation["summary"])
        channel = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        read.setdefault(service, set()).add(document["channels"][channel]["address"])
    return read


def test_no_consumer_scales_past_the_partitions_it_reads(rendered, monkeypatch) -> None:
    topics = of_kind(rendered, "KafkaTopic")
    groups = consumer_groups()
    assert {"gateway", "credit"} <= set(groups)
    for service, read in groups.items():
        if service == "demo":
            continue
        ceiling = of_kind(rendered, "HorizontalPodAutoscaler")[service]["spec"]["maxReplicas"]
        # The demo's topic is not deployed; the gateway's pattern subscription just finds none.
        assert {t for t in read if t not in topics} <= {"qgov.demo"}, service
        for topic in read & set(topics):
            partitions = topics[topic]["spec"]["partitions"]
            assert ceiling <= partitions, f"{service} scales to {ceiling}, {topic} has {partitions}"
    partitions = {topic["spec"]["partitions"] for topic in topics.values()}
    (configured,) = partitions
    for name in SERVICES:
        assert production_settings(rendered, name, monkeypatch).kafka_topic_partitions == configured


def test_every_replica_at_its_ceiling_fits_in_the_databases_connections(
    rendered, monkeypatch
) -> None:
    needed = 0
    for name in SERVICES:
        settings = production_settings(rendered, name, monkeypatch)
        per_process = settings.database_pool_size + OVERFLOW_PER_PROCESS + LISTENERS_PER_PROCESS
        per_process += getattr(settings, "read_pool_size", 0)
        ceiling = of_kind(rendered, "HorizontalPodAutoscaler")[name]["spec"]["maxReplicas"]
        needed += ceiling * per_process
    parameters = single(rendered, "Cluster")["spec"]["postgresql"]["parameters"]
    # Room for the operator, replication and an administrator's session.
    assert needed <= int(parameters["max_connections"]) - 10, needed
    # And the deployment guide's arithmetic is this one.
    assert f"**{needed}**" in (ROOT / "docs" / "deploy.md").read_text()


def test_kafka_keeps_three_replicas_and_acknowledges_writes_on_two(rendered, monkeypatch) -> None:
    kafka = single(rendered, "Kafka")
    cluster = kafka["metadata"]["name"]
    config = kafka["spec"]["kafka"]["config"]
    assert config["default.replication.factor"] == 3
    assert config["min.insync.replicas"] == 2
    assert config["auto.create.topics.enable"] is False
    pools = of_kind(rendered, "KafkaNodePool").values()
    for role in ("controller", "broker"):
        replicas = sum(p["spec"]["replicas"] for p in pools if role in p["spec"]["roles"])
        assert replicas >= 3, role
    assert all(pool["metadata"]["labels"]["strimzi.io/cluster"] == cluster for pool in pools)
    expected = {f"qgov.{name}{suffix}" for name in SERVICES for suffix in ("", ".dlq")}
    topics = of_kind(rendered, "KafkaTopic")
    assert set(topics) == expected
    for name, topic in topics.items():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster, name
        assert topic["spec"]["replicas"] == 3, name
        assert topic["spec"]["config"]["min.insync.replicas"] == 2, name
    # The services reach the plain listener through Strimzi's bootstrap Service.
    (listener,) = kafka["spec"]["kafka"]["listeners"]
    assert (listener["type"], listener["tls"]) == ("internal", False)
    for name in SERVICES:
        servers = production_settings(rendered, name, monkeypatch).kafka_bootstrap_servers
        assert servers == f"{cluster}-kafka-bootstrap:{listener['port']}", name
    # Strimzi's NetworkPolicy for the listener admits QGov's pods only.
    (peer,) = listener["networkPolicyPeers"]
    for deployment in of_kind(rendered, "Deployment").values():
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert peer["podSelector"]["matchLabels"].items() <= labels.items()


def test_the_gateway_routes_to_the_services_of_this_overlay(rendered, monkeypatch) -> None:
    services = of_kind(rendered, "Service")
    upstreams = production_settings(rendered, "gateway", monkeypatch).upstream_urls
    assert sorted(upstreams) == sorted(set(SERVICES) - {"gateway"})
    for name, url in upstreams.items():
        parts = urlsplit(url)
        (port,) = services[parts.hostname]["spec"]["ports"]
        assert parts.port == port["port"], name
