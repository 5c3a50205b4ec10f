"""What every service's composition root builds on.

A service's `main.create_app` builds its `Dependencies` once (settings, clock, policy and
whatever else its routes and handlers need) and hands them to `create_service_app`, which wires
database, outbox relay, consumers, HTTP conventions and telemetry around the service's routers.
Routes receive the dependencies by injection (`get_dependencies`, `UnitOfWorkDep`,
`SessionDep`), never by looking things up on `app.state` themselves.

Nothing is built at import time; the lifespan builds the runtime and tears it down, so tests
make a fresh app per test with their own settings and clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import re
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.middleware.cors import CORSMiddleware

from qgov_shared.auth import TokenVerifier
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import EventConsumer, Subscription
from qgov_shared.db import SessionFactory, create_engine, create_session_factory
from qgov_shared.heap import freeze_startup_heap, thaw_heap
from qgov_shared.housekeeping import Retention, tidy
from qgov_shared.http import health, metrics
from qgov_shared.http.middleware import BodyRulesMiddleware, RequestContextMiddleware
from qgov_shared.http.openapi import install_problem_docs
from qgov_shared.http.problems import install_problem_handlers
from qgov_shared.http.ratelimit import RateLimiter
from qgov_shared.http.security import SecurityHeadersMiddleware, cors_options
from qgov_shared.http.telemetry import SERVER_TELEMETRY
from qgov_shared.http.text import refuse_nul
from qgov_shared.kafka import ensure_topics, new_consumer, new_producer
from qgov_shared.loops import Work, run_in_own_loop
from qgov_shared.outbox import OutboxRelay
from qgov_shared.relay_process import run_relay_process
from qgov_shared.settings import ServiceSettings
from qgov_shared.telemetry import configure_logging, configure_tracing
from qgov_shared.uow import UnitOfWork

log = logging.getLogger(__name__)
_RESTART_BACKOFF_MAX_S = 5.0
# Each consumer holds one connection at a time; the relay has one of its own.
_BACKGROUND_POOL_SIZE = 2


@dataclass(frozen=True, kw_only=True)
class Dependencies:
    """What a service's composition root builds once and injects into routes and handlers.

    A service subclasses it with its own settings class, policy and helpers. `token_verifier`
    defaults to the gateway's JWKS at `QGOV_JWKS_URL` (none without it: anonymous callers only).
    """

    settings: ServiceSettings
    clock: Clock = system_clock
    token_verifier: TokenVerifier | None = None
    rate_limiter: RateLimiter | None = None
    """The public write endpoints' limiter (`qgov_shared.http.ratelimit.rate_limited`)."""


@dataclass
class Runtime:
    """What a running service holds: built by the lifespan, reachable as `app.state.runtime`."""

    settings: ServiceSettings
    clock: Clock
    engine: AsyncEngine
    session_factory: SessionFactory
    background_engine: AsyncEngine
    """The engine of the work on the background loop (its connections belong to that loop)."""
    consumers: list[EventConsumer] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task] = field(default_factory=list)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, topic_prefix=self.settings.kafka_topic_prefix)

    def topic(self, name: str) -> str:
        """A topic or consumer-group name in this deployment's namespace."""
        return self.settings.kafka_topic_prefix + name

    def consumer_report(self) -> list[dict[str, Any]]:
        return [
            {
                "group": c.subscription.group_id,
                "assigned": c.assigned.is_set(),
                "processed": c.stats.processed,
                "duplicates": c.stats.duplicates,
                "dead_lettered": c.stats.dead_lettered,
                "lag": c.stats.total_lag,
            }
            for c in self.consumers
        ]

    def outbox_relay(self) -> OutboxRelay:
        return OutboxRelay.from_settings(self.settings, lambda: new_producer(self.settings))

    def event_consumer(
        self, subscription: Subscription, unit_of_work: Callable[[], UnitOfWork] | None = None
    ) -> EventConsumer:
        """A consumer for `subscription`, its group and topics in this deployment's namespace,
        its units of work on the service's engine unless given; not started."""
        namespaced = dataclasses.replace(
            subscription,
            group_id=self.topic(subscription.group_id),
            topics=tuple(self.topic(t) for t in subscription.topics),
            pattern=_namespaced_pattern(self.settings.kafka_topic_prefix, subscription.pattern),
        )
        return EventConsumer(
            namespaced,
            lambda group_id: new_consumer(self.settings, group_id),
            lambda: new_producer(self.settings),
            unit_of_work or self.unit_of_work,
            max_attempts=self.settings.consumer_max_attempts,
            retry_backoff_s=self.settings.consumer_retry_backoff_s,
            batch_size=self.settings.consumer_batch_size,
        )

    def background_consumer(self, subscription: Subscription) -> EventConsumer:
        """A consumer for the background loop (`run_background`); not started."""
        background_sessions = create_session_factory(self.background_engine)
        consumer = self.event_consumer(
            subscription,
            lambda: UnitOfWork(background_sessions, topic_prefix=self.settings.kafka_topic_prefix),
        )
        self.consumers.append(consumer)
        return consumer

    async def run_background(self, work: dict[str, Callable[[asyncio.Event], Coroutine]]) -> None:
        """Run each of `work` (relay, consumers), supervised, on one event loop of its own, so
        requests queued on this loop do not delay them (`qgov_shared.loops`); until the
        service stops."""

        async def run_all(stop: asyncio.Event) -> None:
            try:
                await asyncio.gather(
                    *(
                        _supervised(name, functools.partial(run, stop), stop)
                        for name, run in work.items()
                    )
                )
            finally:
                await self.background_engine.dispose()

        await run_in_own_loop("background", run_all, self.stop)

    def start_consumer(self, subscription: Subscription) -> EventConsumer:
        """A consumer started now, on this loop."""
        consumer = self.event_consumer(subscription)
        self.consumers.append(consumer)
        self.spawn(f"consumer:{subscription.group_id}", lambda: consumer.run(self.stop))
        return consumer

    def spawn(self, name: str, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.tasks.append(asyncio.create_task(_supervised(name, work, self.stop), name=name))

    def every(
        self, name: str, interval_s: float, tick: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        """Run `tick` now and then every `interval_s` until the service stops; in a replica
        that runs no periodic work (`run_periodic_work`), never."""
        if not self.settings.run_periodic_work:
            return

        async def repeat() -> None:
            while not self.stop.is_set():
                await tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), interval_s)

        self.spawn(name, repeat)

    async def shutdown(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.engine.dispose()


def create_service_app(
    dependencies: Dependencies,
    *,
    title: str,
    description: str = "",
    routers: Sequence[APIRouter] = (),
    subscriptions: Iterable[Subscription] = (),
    media_types: Mapping[str, Iterable[str]] | None = None,
    max_body_bytes_under: Mapping[str, int] | None = None,
    on_startup: Callable[[FastAPI], Coroutine[Any, Any, None]] | None = None,
    openapi_url: str | None = "/openapi.json",
) -> FastAPI:
    """`openapi_url=None` leaves out FastAPI's /openapi.json, /docs and /redoc, for a service
    that serves its own (the gateway's platform-wide document); `app.openapi()` still works.
    Bodies are limited to `settings.max_body_bytes`, or under a path prefix of
    `max_body_bytes_under` to its limit."""
    settings = dependencies.settings
    subscriptions = list(subscriptions)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(settings, dependencies.clock)
        app.state.runtime = runtime
        background: dict[str, Work] = {}  # on the background loop's thread
        relay_process = settings.run_outbox_relay and settings.outbox_relay_process
        if settings.run_outbox_relay:
            if not relay_process:
                background["outbox-relay"] = runtime.outbox_relay().run
            retention = Retention.from_settings(settings)
            runtime.every(
                "housekeeping",
                settings.housekeeping_interval_s,
                lambda: tidy(runtime.engine, retention),
            )
        if settings.run_consumers:
            for subscription in subscriptions:
                consumer = runtime.background_consumer(subscription)
                background[f"consumer:{consumer.subscription.group_id}"] = consumer.run

        async def provision_then_run_background() -> None:
            # First: a consumer subscribing to a missing topic, or a relay publishing to one,
            # would have the broker create it with its defaults, not the platform's partitions.
            await _provision_topics(runtime, subscriptions)
            work = [runtime.run_background(background)] if background else []
            if relay_process:
                keep = functools.partial(run_relay_process, settings, runtime.stop)
                work.append(_supervised("outbox-relay", keep, runtime.stop))
            await asyncio.gather(*work)

        runtime.spawn("topics and background work", provision_then_run_background)
        if on_startup is not None:
            await on_startup(app)
        freeze_startup_heap()
        try:
            yield
        finally:
            thaw_heap()
            await runtime.shutdown()

    # The background loop's thread waits up to this long for the interpreter at each await
    # while requests hold it: a trade between delivery latency and request CPU (bench/README).
    sys.setswitchinterval(settings.thread_switch_interval_s)
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    configure_tracing(
        settings.service_name,
        sample_ratio=settings.trace_sample_ratio,
        sql_statements=settings.trace_sql_statements,
    )
    app = FastAPI(
        title=title,
        description=description,
        lifespan=lifespan,
        openapi_url=openapi_url,
        dependencies=[Depends(refuse_nul)],
        telemetry=SERVER_TELEMETRY,
    )
    app.state.dependencies = dependencies
    app.state.settings = settings
    app.state.token_verifier = dependencies.token_verifier or _jwks_verifier(dependencies)
    install_problem_handlers(app)
    install_problem_docs(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    for router in routers:
        app.include_router(router)
    app.add_middleware(
        BodyRulesMiddleware,
        max_bytes=settings.max_body_bytes,
        media_types=media_types or {"": ("application/json",)},
        max_bytes_under=max_body_bytes_under,
        timeout_s=settings.body_timeout_s,
    )
    # The last added is the outermost: CORS answers preflights and labels even 413/415 answers,
    # and every response, a preflight's too, carries a request id and the security headers.
    cors = cors_options(settings)
    if cors is not None:
        app.add_middleware(CORSMiddleware, **cors)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)
    return app


def _jwks_verifier(dependencies: Dependencies) -> TokenVerifier | None:
    """Services verify tokens against the gateway's published keys; without QGOV_JWKS_URL
    (development before the gateway signs anything) they serve anonymous callers only."""
    settings = dependencies.settings
    if not settings.jwks_url:
        return None
    return TokenVerifier.from_settings(settings, clock=dependencies.clock)


def build_runtime(settings: ServiceSettings, clock: Clock) -> Runtime:
    engine = create_engine(settings)
    return Runtime(
        settings=settings,
        clock=clock,
        engine=engine,
        session_factory=create_session_factory(engine),
        background_engine=create_engine(settings, pool_size=_BACKGROUND_POOL_SIZE),
    )


def _namespaced_pattern(prefix: str, pattern: str | None) -> str | None:
    if pattern is None or not prefix:
        return pattern
    return "^" + re.escape(prefix) + pattern.removeprefix("^")


async def _provision_topics(runtime: Runtime, subscriptions: list[Subscription]) -> None:
    own = runtime.topic(f"qgov.{runtime.settings.service_name}")
    wanted = {own} | {runtime.topic(t) for s in subscriptions for t in s.topics}
    await ensure_topics(runtime.settings, sorted(wanted))


async def _supervised(
    name: str, work: Callable[[], Coroutine[Any, Any, None]], stop: asyncio.Event
) -> None:
    """Run `work` until it returns or `stop` is set, restarting it with backoff if it fails."""
    backoff = 0.1
    while not stop.is_set():
        try:
            await work()
            return
        except Exception:
            log.warning("%s failed; restarting in %.1fs", name, backoff, exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            backoff = min(backoff * 2, _RESTART_BACKOFF_MAX_S)


# Dependencies are `async def` on purpose: FastAPI runs plain `def` ones in a thread pool.
async def get_dependencies(request: Request) -> Any:
    """The service's `Dependencies`; a service types it with its own subclass:
    `Annotated[ComplaintsDependencies, Depends(get_dependencies)]`."""
    return request.app.state.dependencies


async def get_clock(request: Request) -> Clock:
    return request.app.state.dependencies.clock


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def get_unit_of_work(request: Request) -> UnitOfWork:
    return request.app.state.runtime.unit_of_work()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for reads; writes go through a unit of work."""
    async with request.app.state.runtime.session_factory() as session:
        yield session


ClockDep = Annotated[Clock, Depends(get_clock)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
