"""docker-compose.yml: valid Compose, and wired the way QGov's services need it."""

from __future__ import annotations

import json
import os
import re
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from qgov_shared.settings import DEFAULT_DEMO_SECRET, Environment, ServiceSettings
from qgov_shared.testing.conformance import conformance_path

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = "deploy/docker/service.Dockerfile"


def workspace_services() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def qgov_services(compose: dict) -> dict[str, dict]:
    """The services built from the shared service Dockerfile."""
    return {
        name: service
        for name, service in compose["services"].items()
        if isinstance(service.get("build"), dict)
        and service["build"].get("dockerfile") == DOCKERFILE
    }


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}` substitution."""

    def substitute(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = env.get(name)
        if op in (":?", "?") and (value is None or (op == ":?" and not value)):
            raise ValueError(f"{name} must be set: {arg}")
        if op == ":-" and not value:
            return arg
        if op == "-" and value is None:
            return arg
        return value or ""

    return _VARIABLE.sub(substitute, value)


def environment(service: dict, env: dict[str, str] | None = None) -> dict[str, str]:
    """A service's environment as `docker compose up` sees it with `env` (default: nothing) set."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {key: interpolate(str(value), env or {}) for key, value in raw.items()}


def settings_of(name: str, service: dict, monkeypatch) -> ServiceSettings:
    """The settings the service builds from its compose environment and nothing else."""
    for key in [k for k in os.environ if k.startswith("QGOV_")]:
        monkeypatch.delenv(key)
    for key, value in environment(service).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("QGOV_SERVICE_NAME", name)  # baked into the image from SERVICE
    return ServiceSettings()


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
        env = environment(service)
        database = urlsplit(env["QGOV_DATABASE_URL"])
        assert database.scheme == "postgresql+asyncpg", name
        assert database.hostname in names, name
        for server in env["QGOV_KAFKA_BOOTSTRAP_SERVERS"].split(","):
            assert server.split(":")[0] in names, name
        assert urlsplit(env["OTEL_EXPORTER_OTLP_ENDPOINT"]).hostname in names, name
        for dependency in ("kafka", "postgres"):
            assert service["depends_on"][dependency]["condition"] == "service_healthy", name
            assert "healthcheck" in compose["services"][dependency]


def test_no_service_runs_in_development_or_with_the_default_secret(monkeypatch) -> None:
    for name, service in qgov_services(load_compose()).items():
        env = environment(service)
        assert env.get("QGOV_ENVIRONMENT", "development") != Environment.DEVELOPMENT, name
        assert env.get("QGOV_DEMO_SECRET", DEFAULT_DEMO_SECRET) != DEFAULT_DEMO_SECRET, name
        # And the settings the service will build from this environment load (production
        # refuses the default secret and, behind the gateway, a missing JWKS URL).
        assert settings_of(name, service, monkeypatch).is_production, name


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
