"""The real stack for tests: one PostgreSQL and one broker per test session, shared by all tests,
with a fresh database and a fresh topic namespace for each test that asks.

`QGOV_DATABASE_URL` / `QGOV_KAFKA_BOOTSTRAP_SERVERS` point the session at an external PostgreSQL
or Kafka instead of starting the embedded ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI

from qgov_shared import migrate
from qgov_shared.db import drop_database, ensure_database
from qgov_shared.devstack.embedded import EmbeddedBroker, EmbeddedPostgres, free_port
from qgov_shared.service import ServiceSpec
from qgov_shared.settings import ServiceSettings, database_url_for

# The embedded broker joins a consumer group after half the session timeout; real Kafka refuses
# session timeouts below its group.min.session.timeout.ms (6 s by default).
_EMBEDDED_SESSION_TIMEOUT_MS = 2_000
_KAFKA_SESSION_TIMEOUT_MS = 6_000


@dataclass
class TestStack:
    __test__ = False  # a fixture's value, not a test class
    database_url: str
    bootstrap_servers: str
    embedded_broker: bool
    work_dir: Path
    _templates: dict[str, str] = field(default_factory=dict)
    _template_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def create_database(self, spec: ServiceSpec) -> str:
        """A fresh database holding `spec`'s migrated schema; its name."""
        template = await self._template(spec)
        name = f"t_{spec.name}_{uuid.uuid4().hex[:12]}"
        await ensure_database(database_url_for(self.database_url, name), template=template)
        return name

    async def drop_database(self, name: str) -> None:
        await drop_database(database_url_for(self.database_url, name))

    async def _template(self, spec: ServiceSpec) -> str:
        async with self._template_lock:
            if spec.name not in self._templates:
                name = f"template_{spec.name}_{uuid.uuid4().hex[:8]}"
                url = database_url_for(self.database_url, name)
                await asyncio.to_thread(migrate.upgrade, spec, url)
                self._templates[spec.name] = name
            return self._templates[spec.name]

    async def drop_templates(self) -> None:
        for name in self._templates.values():
            await self.drop_database(name)

    def settings(self, settings_class: type[ServiceSettings], database_name: str, **overrides):
        """Settings for one test: its own database, its own topic namespace."""
        session_timeout = (
            _EMBEDDED_SESSION_TIMEOUT_MS if self.embedded_broker else _KAFKA_SESSION_TIMEOUT_MS
        )
        values = {
            "environment": "test",
            "database_url": self.database_url,
            "database_name": database_name,
            "database_pool_size": 5,
            "kafka_bootstrap_servers": self.bootstrap_servers,
            "kafka_topic_prefix": f"t{uuid.uuid4().hex[:10]}.",
            "kafka_session_timeout_ms": session_timeout,
            "kafka_heartbeat_interval_ms": session_timeout // 6,
            "consumer_retry_backoff_s": 0.01,
            # A relay process costs each service start ~2 s of CPU, which the suite's hundreds
            # of starts cannot spend: the same relay runs beside the consumers instead, and
            # tests/backbone/test_relay_process.py runs it in its process.
            "outbox_relay_process": False,
            # Tests file far more than a citizen would; tests of the limit set their own.
            "public_rate_burst": 100_000,
            "log_json": False,
        }
        return settings_class(**{**values, **overrides})


@dataclass
class RunningService:
    """A service app with its lifespan running, its own database, and a client to call it."""

    app: FastAPI
    settings: ServiceSettings
    client: httpx.AsyncClient

    @property
    def runtime(self):
        return self.app.state.runtime

    async def consumers_assigned(self, within: float = 20.0) -> None:
        """Wait until every consumer of the service has joined its group and got partitions."""

        # Polled: the service's consumers run on a loop of their own.
        async def all_assigned() -> bool:
            return all(consumer.assigned.is_set() for consumer in self.runtime.consumers)

        await wait_for(all_assigned, within=within, what="every consumer's partitions")


@contextlib.asynccontextmanager
async def run_service(
    stack: TestStack,
    spec: ServiceSpec,
    create_app: Callable[[ServiceSettings], FastAPI],
    settings_class: type[ServiceSettings],
    **overrides,
) -> AsyncIterator[RunningService]:
    database = await stack.create_database(spec)
    settings = stack.settings(settings_class, database, **overrides)
    app = create_app(settings)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            ) as client,
        ):
            yield RunningService(app, settings, client)
    finally:
        await stack.drop_database(database)


@contextlib.asynccontextmanager
async def run_replica(
    primary: RunningService, create_app: Callable[[ServiceSettings], FastAPI], **overrides
) -> AsyncIterator[RunningService]:
    """Another replica of a running service, as a second pod would be: the same database and
    topic namespace, its own relay, consumers (in the same groups) and periodic work."""
    settings = primary.settings.model_copy(update=overrides)
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        yield RunningService(app, settings, client)


def start_stack(work_dir: Path) -> tuple[TestStack, Callable[[], None]]:
    """Start what the environment does not provide; returns the stack and how to stop it."""
    stoppers: list[Callable[[], None]] = []
    database_url = os.environ.get("QGOV_DATABASE_URL")
    if not database_url:
        postgres = EmbeddedPostgres(work_dir / "pgdata", durable=False)
        database_url = postgres.start()
        stoppers.append(postgres.stop)
    bootstrap = os.environ.get("QGOV_KAFKA_BOOTSTRAP_SERVERS")
    embedded_broker = not bootstrap
    if embedded_broker:
        broker = EmbeddedBroker(port=free_port(), log_path=work_dir / "broker.log")
        bootstrap = broker.start()
        stoppers.append(broker.stop)
    stack = TestStack(database_url, bootstrap, embedded_broker, work_dir)
    return stack, lambda: [stop() for stop in reversed(stoppers)]


async def wait_for(
    condition: Callable[[], Awaitable[bool]], *, within: float = 20.0, what: str = "condition"
) -> None:
    """Poll `condition` until it holds; fail with `what` after `within` seconds."""
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(0.02)
