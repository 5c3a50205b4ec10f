"""The traceability service's composition root."""

from fastapi import FastAPI

from qgov_shared.app import create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_traceability.dependencies import TraceabilityDependencies, TraceabilitySettings


def create_app(
    settings: TraceabilitySettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    deps = TraceabilityDependencies(settings=settings or TraceabilitySettings(), clock=clock)
    return create_service_app(deps, title="QGov traceability", routers=[])
