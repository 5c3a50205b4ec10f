"""The standards service's composition root: settings, clock and policy are built here once and
injected into the routes, the inspections consumer and the ranker; in development an empty
catalogue is seeded with an illustrative sample."""

from __future__ import annotations

from fastapi import FastAPI

from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import Principal, Role
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.envelope import CloudEvent
from qgov_shared.settings import Environment
from qgov_shared.uow import UnitOfWork
from qgov_standards.api import catalogue, declarations, rankings, search
from qgov_standards.dependencies import StandardsDependencies, StandardsSettings
from qgov_standards.handlers.checks import take_in_results
from qgov_standards.handlers.ranking import rank_due
from qgov_standards.handlers.seeding import load_sample, seed_catalogue
from qgov_standards.policy import Policy, load_policy

INSPECTIONS_GROUP = "standards.inspections"
INSPECTIONS_TOPIC = "qgov.inspections"
_SERVICE = Principal(subject="standards-service", role=Role.ADMIN)


def create_app(
    settings: StandardsSettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or StandardsSettings()
    deps = StandardsDependencies(settings=settings, clock=clock, policy=policy or load_policy())
    sample = load_sample() if settings.environment is Environment.DEVELOPMENT else None

    async def take_in(events: list[CloudEvent], uow: UnitOfWork) -> None:
        await take_in_results(events, uow, deps.context(_SERVICE))

    async def start(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        if sample is not None:
            async with runtime.unit_of_work() as uow:
                await seed_catalogue(sample, uow, deps.context(_SERVICE))
                await uow.commit()
        runtime.every("ranker", settings.ranking_interval_s, lambda: _rank(runtime, deps))

    return create_service_app(
        deps,
        title="QGov standards",
        description="Enterprise standards self-declaration and disclosure (企业标准自我声明公开), "
        "the mandatory national floor, supervision, and frontrunner rankings (企业标准领跑者).",
        routers=[declarations.router, catalogue.router, rankings.router, search.router],
        subscriptions=[
            Subscription(INSPECTIONS_GROUP, topics=(INSPECTIONS_TOPIC,), batch_handler=take_in)
        ],
        on_startup=start,
    )


async def _rank(runtime: Runtime, deps: StandardsDependencies) -> None:
    async with runtime.unit_of_work() as uow:
        await rank_due(uow, deps.context(_SERVICE))
        await uow.commit()
