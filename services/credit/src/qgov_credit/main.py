"""The credit service's app factory."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI

from qgov_credit import api, handlers
from qgov_credit.handlers import Context
from qgov_credit.rules import RuleSet, load_rules
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.consumer import Subscription
from qgov_shared.envelope import CloudEvent
from qgov_shared.settings import ServiceSettings
from qgov_shared.uow import UnitOfWork

Clock = Callable[[], datetime]
INTAKE_GROUP = "credit.intake"
_REGRADE_BATCH = 500
# Every other service's facts; new event types need a rule in rules.toml, not code.
DOMAIN_TOPICS = r"^qgov\.(complaints|standards|brands|traceability)$"


class CreditSettings(ServiceSettings):
    service_name: str = "credit"
    regrade_interval_s: float = 3600.0


def create_app(
    settings: CreditSettings | None = None,
    *,
    clock: Clock | None = None,
    rules: RuleSet | None = None,
) -> FastAPI:
    settings = settings or CreditSettings()

    def context() -> Context:  # `app` is bound below, before any event or tick arrives
        return Context(rules=app.state.rules, now=app.state.clock())

    async def take_in(event: CloudEvent, uow: UnitOfWork) -> None:
        await handlers.take_in(event, uow, context())

    async def start_regrading(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.spawn("regrade", lambda: _regrade_periodically(runtime, context, settings))

    app = create_service_app(
        settings,
        title="QGov credit",
        description="Each enterprise's quality credit file: records from every service and "
        "from regulators, an explainable score and grade A-D.",
        routers=[api.router],
        subscriptions=[Subscription(INTAKE_GROUP, take_in, pattern=DOMAIN_TOPICS)],
        on_startup=start_regrading,
    )
    app.state.rules = rules or load_rules()
    app.state.clock = clock or (lambda: datetime.now(UTC))
    return app


async def _regrade_periodically(
    runtime: Runtime, context: Callable[[], Context], settings: CreditSettings
) -> None:
    """Records start and stop counting with the calendar, not only with new facts."""
    while not runtime.stop.is_set():
        while True:  # a full batch means more are due
            async with runtime.unit_of_work() as uow:
                regraded = await handlers.regrade_due(uow, context(), limit=_REGRADE_BATCH)
                await uow.commit()
            if regraded < _REGRADE_BATCH:
                break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.stop.wait(), settings.regrade_interval_s)
