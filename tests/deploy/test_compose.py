"""docker-compose.yml: valid Compose, and wired the way QGov's services need it."""

from __future__ import annotations

import json
import re
from ipaddress import ip_network
from urllib.parse import urlsplit

import jsonschema
import pytest

from qgov_shared.testing.conformance import conformance_path

from .compose import (
    DOCKERFILE,
    OPERATOR_SECRETS,
    environment,
    interpolate,
    load_compose,
    qgov_services,
    settings_of,
)
from .service_settings import (
    ROOT,
    files_not_in_image,
    secret_fields,
    settings_class,
    urls_named,
    workspace_services,
)


def subnets(compose: dict, service: dict) -> list:
    """The address ranges of the networks `service` is attached to."""
    attached = service.get("networks") or ["default"]
    return [
        ip_network(interpolate(pool["subnet"], {}))
        for network in attached
        for pool in compose["networks"][network]["ipam"]["config"]
    ]


@pytest.mark.parametrize(
    ("schema_file", "validator"),
    [
        # SOURCE.md: the $schema URI is not recognised, so name the draft explicitly.
        ("compose-spec.json", jsonschema.Draft7Validator),
        ("compose-spec.compose-go.json", jsonschema.Draft202012Validator),
    ],
)
def test_compose_file_matches_the_compose_specification(schema_file, validator) -> None:
    # Read-only reference material beside the repository (see its SOURCE.md).
    schema = json.loads(conformance_path("compose", schema_file).read_text())
    validator.check_schema(schema)
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(schema).iter_errors(load_compose())
    ]
    assert errors == []


def test_every_workspace_service_is_built_from_the_shared_dockerfile() -> None:
    names = workspace_services()
    assert names, "no services/<name>/pyproject.toml found"
    assert (ROOT / DOCKERFILE).is_file()
    services = load_compose()["services"]
    for name in names:
        assert name in services, f"services/{name} has no compose service"
        build = services[name].get("build")
        assert isinstance(build, dict), f"{name} is not built from the repository"
        assert (ROOT / build.get("context", ".")).resolve() == ROOT
        assert build.get("dockerfile") == DOCKERFILE
        assert build.get("args", {}).get("SERVICE") == name


def test_every_compose_built_service_is_a_workspace_package() -> None:
    assert sorted(qgov_services(load_compose())) == workspace_services()


def test_services_listen_on_distinct_ports_and_the_gateway_is_published() -> None:
    services = qgov_services(load_compose())
    ports = {
        name: str(service["build"]["args"].get("PORT", "8000"))
        for name, service in services.items()
    }
    assert len(set(ports.values())) == len(ports), ports
    assert ports["gateway"] == "8000"
    assert "8000:8000" in [str(p) for p in services["gateway"].get("ports", [])]


def test_kafka_is_the_apache_image_in_kraft_mode() -> None:
    compose = load_compose()
    kafka = compose["services"]["kafka"]
    image, _, tag = kafka["image"].partition(":")
    assert image == "apache/kafka"
    assert re.fullmatch(r"\d+\.\d+\.\d+", tag), f"pin an exact version, not {tag!r}"
    env = environment(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@")
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    assert "kafka-broker-api-versions.sh" in " ".join(kafka["healthcheck"]["test"])


def test_postgres_keeps_its_data_in_a_named_volume() -> None:
    compose = load_compose()
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:18")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume, _, target = postgres["volumes"][0].partition(":")
    assert volume in compose["volumes"]
    # From 18 on the image keeps PGDATA under /var/lib/postgresql/<major>/ and refuses /.../data.
    assert target == "/var/lib/postgresql"


def test_every_qgov_service_reaches_the_database_and_broker_of_this_stack() -> None:
    compose = load_compose()
    names = set(compose["services"])
    for name, service in qgov_services(compose).items():
        env = environment(service, OPERATOR_SECRETS)
        database = urlsplit(env["QGOV_DATABASE_URL"])
        assert database.scheme == "postgresql+asyncpg", name
        assert database.hostname in names, name
        for server in env["QGOV_KAFKA_BOOTSTRAP_SERVERS"].split(","):
            assert server.split(":")[0] in names, name
        assert urlsplit(env["OTEL_EXPORTER_OTLP_ENDPOINT"]).hostname in names, name
        for dependency in ("kafka", "postgres"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy", name
            assert "healthcheck" in compose["services"][dependency]


@pytest.mark.parametrize("name", workspace_services())
def test_every_service_gets_complete_production_settings(name: str, monkeypatch) -> None:
    """Its own settings class loads in production from the image and compose alone, every URL it
    is given names a host of this stack (the gateway's upstreams at their ports), and every file
    it reads is one the image carries."""
    compose = load_compose()
    services = qgov_services(compose)
    settings = settings_of(name, services[name], monkeypatch)
    assert settings.is_production
    assert settings.service_name == name
    for field, url in urls_named(settings).items():
        parts = urlsplit(url)
        assert parts.hostname in compose["services"], f"{name}: {field} = {url}"
        if parts.hostname in services and field != "database_url":
            port = str(services[parts.hostname]["build"]["args"]["PORT"])
            assert str(parts.port or 80) == port, f"{name}: {field} = {url}"
    assert files_not_in_image(settings) == [], name


def test_the_gateway_routes_to_every_service_but_the_demo(monkeypatch) -> None:
    services = qgov_services(load_compose())
    upstreams = settings_of("gateway", services["gateway"], monkeypatch).upstream_urls
    assert sorted(upstreams) == sorted(set(services) - {"gateway", "demo"})


def test_no_secret_has_a_default_in_production() -> None:
    """Every secret is required from the operator: `${VAR:?message}`, which compose refuses to
    start without. A fallback (`${VAR:-x}`) or a literal would be a password in the repository."""
    compose = load_compose()
    services = qgov_services(compose)
    secret_names = {"PGPASSWORD", "POSTGRES_PASSWORD"}
    for name in services:
        secret_names |= set(secret_fields(settings_class(name)))
    checked = 0
    for name, service in compose["services"].items():
        raw = service.get("environment") or {}
        for key, value in raw.items():
            if key in secret_names or re.search(r"SECRET|PASSWORD|TOKEN", key):
                assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", str(value)), f"{name}: {key}"
                with pytest.raises(ValueError, match="must be set"):
                    interpolate(str(value), {})
                checked += 1
    for name in services:
        env = environment(services[name], OPERATOR_SECRETS)
        for field in secret_fields(settings_class(name)):
            assert field in env, f"{name} does not get {field}: it would keep its default"
    assert checked >= len(services) * 2


def test_every_service_behind_the_gateway_trusts_the_gateway_network(monkeypatch) -> None:
    """Else every anonymous caller is the gateway's address, one bucket at the service."""
    compose = load_compose()
    services = qgov_services(compose)
    gateway_subnets = subnets(compose, services.pop("gateway"))
    assert gateway_subnets
    for name, service in services.items():
        trusted = settings_of(name, service, monkeypatch).trusted_proxies
        for subnet in gateway_subnets:
            covered = [n for n in trusted if n.version == subnet.version and subnet.subnet_of(n)]
            assert covered, (name, subnet)


def test_the_gateway_trusts_no_address_its_callers_come_from(monkeypatch) -> None:
    """Callers reach the published port from outside, or from the network's gateway address (the
    port proxy): trusting the network would let any caller name itself in X-Forwarded-For."""
    compose = load_compose()
    gateway = qgov_services(compose)["gateway"]
    trusted = settings_of("gateway", gateway, monkeypatch).trusted_proxies
    for subnet in subnets(compose, gateway):
        assert not any(subnet.overlaps(network) for network in trusted), subnet


def test_files_mounted_from_the_repository_exist() -> None:
    for name, service in load_compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
