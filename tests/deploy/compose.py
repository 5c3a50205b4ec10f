"""docker-compose.yml as the deploy tests read it: the file, its QGov services, and each
service's environment and settings as `docker compose up` would give them."""

from __future__ import annotations

import functools
import re

import yaml

from qgov_shared.settings import ServiceSettings

from .service_settings import ROOT, image_env, load_settings

COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = "deploy/docker/service.Dockerfile"
# What an operator exports (or writes to .env) before `docker compose up`.
OPERATOR_SECRETS = {
    "QGOV_POSTGRES_PASSWORD": "operator-postgres-password",
    "QGOV_DEMO_SECRET": "operator-demo-secret",
    "QGOV_WEB_SECRET": "operator-web-secret",
}


@functools.cache
def load_compose() -> dict:
    """The file, parsed once: read it, never change it."""
    return yaml.load(COMPOSE_FILE.read_text(), Loader=yaml.CSafeLoader)


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
    """The service's own settings, from its image's ENV and its compose environment (with the
    operator's secrets set) and nothing else."""
    port = str(service["build"]["args"]["PORT"])
    env = image_env(name, port) | environment(service, OPERATOR_SECRETS)
    return load_settings(name, env, monkeypatch)


def sorted_by_port(compose: dict) -> list[str]:
    services = qgov_services(compose)
    return sorted(services, key=lambda name: int(services[name]["build"]["args"]["PORT"]))
