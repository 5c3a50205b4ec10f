"""How a service describes itself to the dev stack and the migration command.

Each service package publishes one `ServiceSpec` under the entry-point group `qgov.services`,
so `qgov up` and `qgov migrate` find every service that is installed, and nothing else.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qgov_shared.events import EventData

ENTRY_POINT_GROUP = "qgov.services"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    app_factory: str
    migrations: Path
    events: str | None = None
    """`module:attribute` of the tuple of `EventData` models the service publishes."""

    @property
    def database_name(self) -> str:
        return f"qgov_{self.name}"

    def event_models(self) -> tuple[type[EventData], ...]:
        if self.events is None:
            return ()
        module, attribute = self.events.split(":")
        return getattr(importlib.import_module(module), attribute)


def installed_services() -> list[ServiceSpec]:
    specs = [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]
    return sorted(specs, key=lambda spec: spec.port)


def find_service(name: str) -> ServiceSpec:
    for spec in installed_services():
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in installed_services())
    raise LookupError(f"no service named {name!r}; installed: {known}")
