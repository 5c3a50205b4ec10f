"""What the security tests attack, on the real PostgreSQL and broker over real HTTP (uvicorn, as
production serves it): complaints alone (the public filing endpoints anyone may call), and the
whole platform behind its gateway."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from qgov_complaints import SERVICE
from qgov_complaints.main import ComplaintsSettings, create_app
from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.service import find_service
from qgov_shared.testing.fuzz import Target, serving
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys

KEYS = TestKeys()
# Short, so a slow client's refusal comes soon; every other body arrives at once.
BODY_TIMEOUT_S = 3.0


@pytest.fixture(scope="module")
async def complaints(stack: TestStack) -> AsyncIterator[tuple[RunningService, str]]:
    """The complaints service and its URL, one per module: the attacks change nothing."""
    async with run_service(
        stack, SERVICE, create_app, ComplaintsSettings, body_timeout_s=BODY_TIMEOUT_S
    ) as service:
        service.app.state.token_verifier = KEYS.verifier()
        async with HttpServer(service.app) as server:
            yield service, server.url


@pytest.fixture(scope="session")
async def platform(stack: TestStack) -> AsyncIterator[Target]:
    """The gateway over real HTTP with every service it routes to behind it, each on its own
    database, all trusting `KEYS`; shared by the session's security tests, which change
    nothing another relies on."""
    settings = {"gateway": {"run_webhook_dispatcher": False}}
    async with serving(stack, find_service("gateway"), KEYS, lambda n: settings.get(n, {})) as t:
        yield t


@dataclass(frozen=True)
class Downstream:
    """Complaints and the services that consume its events (credit, the gateway), and the
    gateway's URL."""

    complaints: RunningService
    credit: RunningService
    gateway: RunningService
    url: str


@pytest.fixture(scope="session")
async def downstream(stack: TestStack) -> AsyncIterator[Downstream]:
    """Complaints, credit and the gateway on one topic namespace, every consumer running,
    the gateway over real HTTP in front of the other two; all trusting `KEYS`."""
    async with contextlib.AsyncExitStack() as running:
        complaints = await running.enter_async_context(
            run_service(stack, SERVICE, create_app, ComplaintsSettings)
        )
        prefix = complaints.settings.kafka_topic_prefix
        credit = await running.enter_async_context(
            run_service(stack, CREDIT, create_credit, CreditSettings, kafka_topic_prefix=prefix)
        )
        upstreams = {
            "complaints": (await running.enter_async_context(HttpServer(complaints.app))).url,
            "credit": (await running.enter_async_context(HttpServer(credit.app))).url,
        }
        gateway = await running.enter_async_context(
            run_service(
                stack,
                GATEWAY,
                create_gateway,
                GatewaySettings,
                kafka_topic_prefix=prefix,
                upstream_urls=upstreams,
                run_webhook_dispatcher=False,
            )
        )
        server = await running.enter_async_context(HttpServer(gateway.app))
        for service in (complaints, credit, gateway):
            service.app.state.token_verifier = KEYS.verifier()
            await service.consumers_assigned()
        yield Downstream(complaints, credit, gateway, server.url)
