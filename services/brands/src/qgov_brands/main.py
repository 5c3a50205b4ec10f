"""The brands service's composition root: settings, clock and policy (the award programmes,
checked as they load) are built here once and injected into the routes, the handlers and the
`brands.credit` consumer of credit's events."""

from __future__ import annotations

from fastapi import FastAPI

from qgov_brands.api import applications, brands, committee, public
from qgov_brands.dependencies import BrandsDependencies, BrandsSettings
from qgov_brands.handlers import Context
from qgov_brands.handlers.credit import apply_credit_events
from qgov_brands.policy import Policy, load_policy
from qgov_shared.app import create_service_app
from qgov_shared.auth import Principal, Role
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.envelope import CloudEvent
from qgov_shared.http.ratelimit import RateLimiter
from qgov_shared.uow import UnitOfWork

CREDIT_GROUP = "brands.credit"
CREDIT_TOPIC = "qgov.credit"
_CREDIT_LINK = Principal(subject="credit-link", role=Role.ADMIN)


def create_app(
    settings: BrandsSettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or BrandsSettings()
    deps = BrandsDependencies(
        settings=settings,
        clock=clock,
        policy=policy or load_policy(),
        # Objections are open to anyone: their public rate limit.
        rate_limiter=RateLimiter(settings.public_rate_per_minute, settings.public_rate_burst),
    )

    async def take_in_credit(events: list[CloudEvent], uow: UnitOfWork) -> None:
        await apply_credit_events(events, uow, Context(deps.policy, deps.clock(), _CREDIT_LINK))

    return create_service_app(
        deps,
        title="QGov brands",
        description="Brands and quality awards: the brand registry, award programmes as data, "
        "expert review, public notice, and awards suspended or revoked with credit.",
        routers=[brands.router, applications.router, committee.router, public.router],
        subscriptions=[
            Subscription(CREDIT_GROUP, topics=(CREDIT_TOPIC,), batch_handler=take_in_credit)
        ],
    )
