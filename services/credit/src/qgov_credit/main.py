"""The credit service's composition root: settings, clock and policy are built here once
and injected into the routes, the intake consumer and the periodic regrade."""

from __future__ import annotations

from fastapi import FastAPI

from qgov_credit import api
from qgov_credit.dependencies import CreditDependencies, CreditSettings
from qgov_credit.handlers import grading, intake
from qgov_credit.policy import CreditPolicy, load_policy
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork

INTAKE_GROUP = "credit.intake"
_REGRADE_BATCH = 500
# Every other service's facts; new event types need a rule in policy.toml, not code.
DOMAIN_TOPICS = r"^qgov\.(complaints|standards|brands|traceability|inspections)$"


def create_app(
    settings: CreditSettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: CreditPolicy | None = None,
) -> FastAPI:
    settings = settings or CreditSettings()
    deps = CreditDependencies(settings=settings, clock=clock, policy=policy or load_policy())

    async def take_in(events: list[CloudEvent], uow: UnitOfWork) -> None:
        await intake.take_in_all(events, uow, deps.context())

    async def start_regrading(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.every("regrade", settings.regrade_interval_s, lambda: _regrade_due(runtime, deps))

    return create_service_app(
        deps,
        title="QGov credit",
        description="Each enterprise's quality credit file: records from every service and "
        "from regulators, an explainable score and grade A-D.",
        routers=[api.router],
        subscriptions=[Subscription(INTAKE_GROUP, batch_handler=take_in, pattern=DOMAIN_TOPICS)],
        on_startup=start_regrading,
    )


async def _regrade_due(runtime: Runtime, deps: CreditDependencies) -> None:
    """Records start and stop counting with the calendar, not only with new facts."""
    while True:  # a full batch means more are due
        async with runtime.unit_of_work() as uow:
            regraded = await grading.regrade_due(uow, deps.context(), limit=_REGRADE_BATCH)
            await uow.commit()
        if regraded < _REGRADE_BATCH:
            return
