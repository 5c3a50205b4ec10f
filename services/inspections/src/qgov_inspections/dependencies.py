"""The inspections service's settings and what its routes are handed."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class InspectionsSettings(ServiceSettings):
    service_name: str = "inspections"
    port: int = 8006


@dataclass(frozen=True, kw_only=True)
class InspectionsDependencies(Dependencies):
    settings: InspectionsSettings


InspectionsDependenciesDep = Annotated[InspectionsDependencies, Depends(get_dependencies)]
