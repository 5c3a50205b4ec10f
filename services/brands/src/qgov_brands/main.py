"""The brands service's composition root."""

from fastapi import FastAPI

from qgov_brands.dependencies import BrandsDependencies, BrandsSettings
from qgov_shared.app import create_service_app
from qgov_shared.clock import Clock, system_clock


def create_app(settings: BrandsSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    deps = BrandsDependencies(settings=settings or BrandsSettings(), clock=clock)
    return create_service_app(deps, title="QGov brands", routers=[])
