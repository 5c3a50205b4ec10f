"""The inspections service's composition root: settings, clock and policy are built here once
and injected into the routes, the directory consumer and the finaliser, which makes results
final once their objection period is over."""

from __future__ import annotations

from fastapi import FastAPI

from qgov_inspections.api import campaigns, inspections, laboratories, roster
from qgov_inspections.dependencies import InspectionsDependencies, InspectionsSettings
from qgov_inspections.handlers.directory import apply_directory_events
from qgov_inspections.handlers.testing import FINALISE_BATCH, finalise_due
from qgov_inspections.policy import Policy, load_policy
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import Principal, Role
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork

DIRECTORY_GROUP = "inspections.directory"
DIRECTORY_TOPICS = ("qgov.credit", "qgov.standards")
_SERVICE = Principal(subject="inspections-finaliser", role=Role.ADMIN)


def create_app(
    settings: InspectionsSettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or InspectionsSettings()
    deps = InspectionsDependencies(settings=settings, clock=clock, policy=policy or load_policy())

    async def take_in(events: list[CloudEvent], uow: UnitOfWork) -> None:
        await apply_directory_events(events, uow, deps.context(_SERVICE))

    async def start_finaliser(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.every("finaliser", settings.finalise_interval_s, lambda: finalise(runtime, deps))

    return create_service_app(
        deps,
        title="QGov inspections",
        description="Product-quality supervision sampling (产品质量监督抽查) by double random, "
        "one public (双随机、一公开): campaigns, draws anyone can verify, blind testing, "
        "objections and retests, and the follow-up of failures.",
        routers=[
            roster.router,
            campaigns.router,
            laboratories.router,
            inspections.enterprise_router,
            inspections.router,
        ],
        subscriptions=[
            Subscription(DIRECTORY_GROUP, topics=DIRECTORY_TOPICS, batch_handler=take_in)
        ],
        on_startup=start_finaliser,
    )


async def finalise(runtime: Runtime, deps: InspectionsDependencies) -> int:
    """One run of the finaliser: every result whose objection period ended stands."""
    total = 0
    while True:  # a full batch means more are due
        async with runtime.unit_of_work() as uow:
            done = await finalise_due(uow, deps.context(_SERVICE))
            await uow.commit()
        total += done
        if done < FINALISE_BATCH:
            return total
