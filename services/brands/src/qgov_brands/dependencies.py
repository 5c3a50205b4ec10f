"""The brands service's settings and what its routes are handed."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class BrandsSettings(ServiceSettings):
    service_name: str = "brands"
    port: int = 8004


@dataclass(frozen=True, kw_only=True)
class BrandsDependencies(Dependencies):
    settings: BrandsSettings


BrandsDependenciesDep = Annotated[BrandsDependencies, Depends(get_dependencies)]
