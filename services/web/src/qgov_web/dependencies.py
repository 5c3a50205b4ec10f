"""The web service's settings and what its routes are handed."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class WebSettings(ServiceSettings):
    service_name: str = "web"
    port: int = 8007


@dataclass(frozen=True, kw_only=True)
class WebDependencies(Dependencies):
    settings: WebSettings


WebDependenciesDep = Annotated[WebDependencies, Depends(get_dependencies)]
