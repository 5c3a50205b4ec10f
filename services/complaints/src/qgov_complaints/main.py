"""The complaints service's app factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI

from qgov_complaints import api, disclosure, handlers, open311
from qgov_complaints.handlers import Context
from qgov_complaints.policy import Policy, load_policy
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import Principal, Role
from qgov_shared.http.ratelimit import RateLimiter
from qgov_shared.settings import ServiceSettings

Clock = Callable[[], datetime]
_SCANNER = Principal(subject="overdue-scanner", role=Role.ADMIN)


class ComplaintsSettings(ServiceSettings):
    service_name: str = "complaints"
    overdue_scan_interval_s: float = 300.0


def create_app(
    settings: ComplaintsSettings | None = None,
    *,
    clock: Clock | None = None,
    policy: Policy | None = None,
) -> FastAPI:
    settings = settings or ComplaintsSettings()

    async def start_overdue_scanner(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.spawn("overdue-scanner", lambda: _scan_for_overdue(app, runtime, settings))

    app = create_service_app(
        settings,
        title="QGov complaints (12315)",
        description="Complaints (投诉) and reports (举报) from citizens, handled to closure "
        "within the legal working-day limits.",
        routers=[
            api.public,
            api.regulators,
            api.enterprises,
            open311.router,
            disclosure.router,
        ],
        # Open311 clients post forms; everything else takes JSON.
        media_types={"": ("application/json",), "/open311/": (open311.FORM_MEDIA_TYPE,)},
        on_startup=start_overdue_scanner,
    )
    app.state.policy = policy or load_policy()
    app.state.rate_limiter = RateLimiter(
        settings.public_rate_per_minute, settings.public_rate_burst
    )
    app.state.clock = clock or (lambda: datetime.now(UTC))
    return app


async def _scan_for_overdue(app: FastAPI, runtime: Runtime, settings: ComplaintsSettings) -> None:
    while not runtime.stop.is_set():
        async with runtime.unit_of_work() as uow:
            ctx = Context(app.state.policy, app.state.clock(), _SCANNER)
            await handlers.announce_overdue(uow, ctx)
            await uow.commit()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.stop.wait(), settings.overdue_scan_interval_s)
