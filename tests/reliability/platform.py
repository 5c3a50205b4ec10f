"""The platform as production runs it, one OS process per service, on parts the suite controls.

The suite starts its own PostgreSQL and broker rather than sharing the session's: it restarts
the one and cuts the other off, which the other tests' connections must never see. Every service
reaches the broker through a TCP proxy (the broker advertises the proxy's address, so no client
goes around it); the test process reads the databases and the broker directly, as an auditor.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from qgov_gateway import accounts
from qgov_shared import migrate
from qgov_shared.db import create_engine, create_session_factory
from qgov_shared.devstack.embedded import EmbeddedBroker, EmbeddedPostgres, free_port
from qgov_shared.devstack.processes import stop_children
from qgov_shared.kafka import ensure_topics
from qgov_shared.service import ServiceSpec, find_service
from qgov_shared.settings import ServiceSettings, database_url_for
from qgov_shared.testing.clock import START
from qgov_shared.testing.processes import CLOCK_ORIGIN, ServiceProcess
from qgov_shared.testing.proxy import TcpProxy

# The gateway last: it routes to the others. Credit and the gateway consume the others' events.
SERVICES = ("complaints", "credit", "standards", "traceability", "gateway")
REGION = "440200"  # 韶关: the regulator's; every enterprise of the load is registered within it
_STOP_WITHIN_S = 5.0


@dataclass
class Platform:
    postgres: EmbeddedPostgres
    broker: EmbeddedBroker
    proxy: TcpProxy
    processes: dict[str, ServiceProcess]
    topic_prefix: str
    regulator: dict[str, str]  # headers
    admin: dict[str, str]

    @property
    def gateway(self) -> str:
        return self.processes["gateway"].url

    @property
    def direct_bootstrap(self) -> str:
        """The broker itself, not through the proxy: for the auditor and for replays."""
        return f"127.0.0.1:{self.broker.port}"

    def topic(self, service: str) -> str:
        return f"{self.topic_prefix}qgov.{service}"

    @contextlib.asynccontextmanager
    async def database(self, service: str) -> AsyncIterator[asyncpg.Connection]:
        url = make_url(database_url_for(self.postgres.url, find_service(service).database_name))
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            yield connection
        finally:
            # Not close(): on a connection PostgreSQL cut mid-query it raises its own error
            # (another operation in progress) over the one the caller would handle.
            connection.terminate()

    async def restart(self, service: str) -> None:
        process = self.processes[service]
        process.start()
        await process.ready()


@contextlib.asynccontextmanager
async def running_platform(work_dir: Path) -> AsyncIterator[Platform]:
    postgres = EmbeddedPostgres(work_dir / "pgdata", durable=False)
    proxy = TcpProxy(free_port(), free_port())
    broker = EmbeddedBroker(proxy.target_port, work_dir / "broker.log", proxy.port)
    async with contextlib.AsyncExitStack() as stack:
        database_url = await asyncio.to_thread(postgres.start)
        stack.callback(postgres.stop)
        await proxy.start()
        stack.push_async_callback(proxy.close)
        await asyncio.to_thread(broker.start)
        stack.callback(broker.stop)
        prefix = f"r{uuid.uuid4().hex[:8]}."
        specs = [find_service(name) for name in SERVICES]
        await _prepare(specs, database_url, broker, prefix)
        processes = _processes(specs, database_url, proxy, prefix, work_dir)
        stack.callback(_stop_all, processes)
        for process in processes.values():
            process.start()
        await asyncio.gather(*(process.ready() for process in processes.values()))
        gateway = processes["gateway"]
        regulator = await _token(gateway, "regulator", regions=[REGION])
        admin = await _token(gateway, "admin")
        yield Platform(postgres, broker, proxy, processes, prefix, regulator, admin)


def _stop_all(processes: dict[str, ServiceProcess]) -> None:
    """Every service at once (each as restarted last), not one after the other."""
    running = [p.process for p in processes.values() if p.process is not None]
    stop_children(running, within=_STOP_WITHIN_S)


async def _prepare(
    specs: list[ServiceSpec], database_url: str, broker: EmbeddedBroker, prefix: str
) -> None:
    """Each service's database migrated and its topic made, as `qgov up` does."""
    for spec in specs:
        await asyncio.to_thread(
            migrate.upgrade, spec, database_url_for(database_url, spec.database_name)
        )
    settings = ServiceSettings(kafka_bootstrap_servers=f"127.0.0.1:{broker.port}")
    await ensure_topics(settings, [f"{prefix}qgov.{spec.name}" for spec in specs])


def _processes(
    specs: list[ServiceSpec], database_url: str, proxy: TcpProxy, prefix: str, work_dir: Path
) -> dict[str, ServiceProcess]:
    ports = {spec.name: free_port() for spec in specs}
    common = {
        **{key: value for key, value in os.environ.items() if not key.startswith("QGOV_")},
        "QGOV_ENVIRONMENT": "test",
        "QGOV_DATABASE_URL": database_url,
        "QGOV_DATABASE_POOL_SIZE": "5",
        "QGOV_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{proxy.port}",
        "QGOV_KAFKA_TOPIC_PREFIX": prefix,
        # The embedded broker joins a group after half the session timeout.
        "QGOV_KAFKA_SESSION_TIMEOUT_MS": "2000",
        "QGOV_KAFKA_HEARTBEAT_INTERVAL_MS": "300",
        "QGOV_CONSUMER_RETRY_BACKOFF_S": "0.05",
        "QGOV_JWKS_URL": f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json",
        "QGOV_PUBLIC_RATE_BURST": "1000000",
        "QGOV_LOG_JSON": "false",
        "QGOV_LOG_LEVEL": "WARNING",
        CLOCK_ORIGIN: str(time.time()),
    }
    own = {
        "gateway": {
            "QGOV_UPSTREAM_URLS": json.dumps(
                {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            ),
            "QGOV_RUN_WEBHOOK_DISPATCHER": "false",
            "QGOV_TOKEN_TTL_S": str(24 * 3600),  # a soak outlives the default 15 minutes
        }
    }
    return {
        spec.name: ServiceProcess(
            spec,
            ports[spec.name],
            {**common, **own.get(spec.name, {})},
            work_dir / f"{spec.name}.log",
        )
        for spec in specs
    }


async def _token(gateway: ServiceProcess, role: str, **claims) -> dict[str, str]:
    """A client of `role` made in the gateway's database (as an administrator would), and an
    access token for it from the gateway's token endpoint."""
    settings = ServiceSettings(
        database_url=gateway.env["QGOV_DATABASE_URL"], database_name=gateway.spec.database_name
    )
    engine = create_engine(settings)
    try:
        async with create_session_factory(engine)() as session:
            client_id, secret = await accounts.create_client(
                session, START, role=role, name=f"reliability {role}", **claims
            )
            await session.commit()
    finally:
        await engine.dispose()
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as client:
        answer = (await client.post("/oauth/token", data=form)).raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
