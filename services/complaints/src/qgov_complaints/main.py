"""The complaints service's composition root: settings, clock, policy and the public rate
limit are built here once and injected into the routes, handlers and the overdue scanner."""

from __future__ import annotations

from fastapi import FastAPI

from qgov_complaints import open311
from qgov_complaints.api import citizens, disclosure, enterprises, regulators
from qgov_complaints.dependencies import ComplaintsDependencies, ComplaintsSettings
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.overdue import announce_overdue
from qgov_complaints.open311.forms import FORM_MEDIA_TYPE
from qgov_complaints.policy import Policy, load_policy
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import Principal, Role
from qgov_shared.clock import Clock, system_clock
from qgov_shared.http.ratelimit import RateLimiter

_SCANNER = Principal(subject="overdue-scanner", role=Role.ADMIN)


def create_app(
    settings: ComplaintsSettings | None = None,
    *,
    clock: Clock = system_clock,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or ComplaintsSettings()
    deps = ComplaintsDependencies(
        settings=settings,
        clock=clock,
        policy=policy or load_policy(),
        rate_limiter=RateLimiter(settings.public_rate_per_minute, settings.public_rate_burst),
    )

    async def start_overdue_scanner(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.every(
            "overdue-scanner",
            settings.overdue_scan_interval_s,
            lambda: _announce_overdue(runtime, deps),
        )

    return create_service_app(
        deps,
        title="QGov complaints (12315)",
        description="Complaints (投诉) and reports (举报) from citizens, handled to closure "
        "within the legal working-day limits.",
        routers=[
            citizens.router,
            regulators.router,
            enterprises.router,
            open311.router,
            disclosure.router,
        ],
        # Open311 clients post forms; everything else takes JSON.
        media_types={"": ("application/json",), "/open311/": (FORM_MEDIA_TYPE,)},
        on_startup=start_overdue_scanner,
    )


async def _announce_overdue(runtime: Runtime, deps: ComplaintsDependencies) -> None:
    async with runtime.unit_of_work() as uow:
        await announce_overdue(uow, Context(deps.policy, deps.clock(), _SCANNER))
        await uow.commit()
