"""The web service's composition root."""

from fastapi import FastAPI

from qgov_shared.app import create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_web.dependencies import WebDependencies, WebSettings


def create_app(settings: WebSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    deps = WebDependencies(settings=settings or WebSettings(), clock=clock)
    return create_service_app(deps, title="QGov web", routers=[])
