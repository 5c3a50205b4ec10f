"""The traceability service's composition root: settings, clock, policy and the EPCIS JSON
Schema are built here once and injected into the routes and handlers; the subscription
deliverer runs beside them."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from qgov_shared.app import Runtime, create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_shared.http.destinations import system_resolver
from qgov_traceability.api import (
    capture,
    certificates,
    events,
    public,
    queries,
    recalls,
    tracing,
)
from qgov_traceability.dependencies import TraceabilityDependencies, TraceabilitySettings
from qgov_traceability.epcis.schema import EpcisSchema
from qgov_traceability.handlers.delivery import deliver_due
from qgov_traceability.policy import Policy, load_policy

EPCIS_MEDIA_TYPES = ("application/json", "application/ld+json")


def create_app(
    settings: TraceabilitySettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or TraceabilitySettings()
    deps = TraceabilityDependencies(
        settings=settings,
        clock=clock,
        policy=policy or load_policy(),
        schema=EpcisSchema.load(settings.epcis_schema_path),
    )

    async def start_delivering(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.every(
            "subscriptions", settings.subscription_interval_s, lambda: _deliver(runtime, deps)
        )

    return create_service_app(
        deps,
        title="QGov traceability",
        description="EPCIS 2.0 capture and query, compliance certificates with public trace "
        "codes, forward and backward tracing, and recalls (来源可查、去向可追、责任可究).",
        routers=[
            capture.router,
            events.router,
            queries.router,
            tracing.router,
            certificates.router,
            recalls.router,
            public.router,
        ],
        media_types={"": EPCIS_MEDIA_TYPES},
        on_startup=start_delivering,
    )


async def _deliver(runtime: Runtime, deps: TraceabilityDependencies) -> None:
    # Redirects are not followed: one could lead a delivery past the webhook checks.
    timeout = httpx.Timeout(deps.settings.webhook_timeout_s)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        await deliver_due(runtime, deps, client, system_resolver)
