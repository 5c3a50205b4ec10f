"""Each service's own settings as a deployment gives them: the image's ENV, then the deployment's
environment, and nothing from the machine running the tests."""

from __future__ import annotations

import importlib
import os
import re
import typing
from pathlib import Path

from pydantic import SecretStr

from qgov_shared.service import find_service
from qgov_shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "docker" / "service.Dockerfile"


def workspace_services() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def settings_class(name: str) -> type[ServiceSettings]:
    """The class the service's `create_app` builds its settings from when uvicorn calls it bare."""
    module, attribute = find_service(name).app_factory.split(":")
    create_app = getattr(importlib.import_module(module), attribute)
    hint = typing.get_type_hints(create_app)["settings"]
    (cls,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    assert issubclass(cls, ServiceSettings), (name, cls)
    return cls


def secret_fields(cls: type[ServiceSettings]) -> list[str]:
    """The environment variables of the class's secrets (each has a development default)."""
    prefix = cls.model_config.get("env_prefix", "")
    return sorted(
        f"{prefix}{field}".upper()
        for field, info in cls.model_fields.items()
        if info.annotation is SecretStr
    )


def image_env(service: str, port: str) -> dict[str, str]:
    """The runtime stage's ENV, with the build args SERVICE and PORT substituted."""
    env: dict[str, str] = {}
    for line in _runtime_stage().splitlines():
        if line.startswith("ENV "):
            for key, value in re.findall(r"(\w+)=(\S+)", line):
                value = value.replace("${SERVICE}", service).replace("${PORT}", port)
                env[key] = value.replace("$PATH", os.environ.get("PATH", ""))
    return env


def use_only(env: dict[str, str], monkeypatch) -> None:
    """Make `env` the process's QGOV_ and PG settings, and nothing the machine has."""
    for key in [k for k in os.environ if k.startswith(("QGOV_", "PG"))]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key != "PATH":
            monkeypatch.setenv(key, value)


def load_settings(name: str, env: dict[str, str], monkeypatch) -> ServiceSettings:
    """The service's settings from `env` alone (image ENV included by the caller)."""
    use_only(env, monkeypatch)
    return settings_class(name)()


def urls_named(settings: ServiceSettings) -> dict[str, str]:
    """Every URL a field ending in `_url` or `_urls` names: {field: url}."""
    found = {}
    for field in type(settings).model_fields:
        value = getattr(settings, field)
        if field.endswith("_url") and isinstance(value, str):
            found[field] = value
        elif field.endswith("_urls") and isinstance(value, dict):
            found |= {f"{field}[{key}]": url for key, url in value.items()}
    return found


def files_not_in_image(settings: ServiceSettings) -> list[str]:
    """The settings' paths (say, traceability's EPCIS schema) no COPY of the runtime stage puts
    in the image: a file a deployment would not find."""
    copies = re.findall(r"^COPY (--\S+ )*(\S+) (\S+)$", _runtime_stage(), flags=re.MULTILINE)
    copied = {destination for flag, _, destination in copies if not flag.startswith("--from")}
    paths = {field: value for field, value in settings if isinstance(value, Path)}
    return [f"{field} = {path}" for field, path in paths.items() if str(path) not in copied]


def _runtime_stage() -> str:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return text[text.rindex("\nFROM ") :]
