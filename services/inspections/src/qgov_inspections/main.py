"""The inspections service's composition root."""

from fastapi import FastAPI

from qgov_inspections.dependencies import InspectionsDependencies, InspectionsSettings
from qgov_shared.app import create_service_app
from qgov_shared.clock import Clock, system_clock


def create_app(
    settings: InspectionsSettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    deps = InspectionsDependencies(settings=settings or InspectionsSettings(), clock=clock)
    return create_service_app(deps, title="QGov inspections", routers=[])
