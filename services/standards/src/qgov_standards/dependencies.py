"""The standards service's settings and what its routes are handed."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class StandardsSettings(ServiceSettings):
    service_name: str = "standards"
    port: int = 8003


@dataclass(frozen=True, kw_only=True)
class StandardsDependencies(Dependencies):
    settings: StandardsSettings


StandardsDependenciesDep = Annotated[StandardsDependencies, Depends(get_dependencies)]
