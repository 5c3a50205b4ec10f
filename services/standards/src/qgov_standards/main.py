"""The standards service's composition root."""

from fastapi import FastAPI

from qgov_shared.app import create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_standards.dependencies import StandardsDependencies, StandardsSettings


def create_app(
    settings: StandardsSettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    deps = StandardsDependencies(settings=settings or StandardsSettings(), clock=clock)
    return create_service_app(deps, title="QGov standards", routers=[])
