"""The traceability service's settings and what its routes are handed."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class TraceabilitySettings(ServiceSettings):
    service_name: str = "traceability"
    port: int = 8005


@dataclass(frozen=True, kw_only=True)
class TraceabilityDependencies(Dependencies):
    settings: TraceabilitySettings


TraceabilityDependenciesDep = Annotated[TraceabilityDependencies, Depends(get_dependencies)]
