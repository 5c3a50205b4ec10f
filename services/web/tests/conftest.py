"""The whole platform for the web tests, on the real PostgreSQL and broker and over real HTTP:
every service behind the gateway, and web, each on its own port, the gateway in front (the
browser sees only its address). Started once for the web tests (it takes seconds); each test
works with enterprises of its own (`Platform.new_enterprise`), so none sees another's cases.
Test modules import the helpers with `from ..conftest import` or use the fixtures."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from qgov_brands import SERVICE as BRANDS
from qgov_brands.dependencies import BrandsSettings
from qgov_brands.main import create_app as create_brands
from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as create_complaints
from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway import accounts
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_inspections import SERVICE as INSPECTIONS
from qgov_inspections.dependencies import InspectionsSettings
from qgov_inspections.main import create_app as create_inspections
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_standards import SERVICE as STANDARDS
from qgov_standards.dependencies import StandardsSettings
from qgov_standards.main import create_app as create_standards
from qgov_traceability import SERVICE as TRACEABILITY
from qgov_traceability.dependencies import TraceabilitySettings
from qgov_traceability.main import create_app as create_traceability
from qgov_web import SERVICE as WEB
from qgov_web.main import WebSettings
from qgov_web.main import create_app as create_web

REGULATOR = ("demo-regulator", "demo-secret")  # the development regulator of 440200 (韶关)
REGION = "440200"
# The services behind the gateway whose pages web has: the spec, the app factory, the settings.
SERVICES = (
    (COMPLAINTS, create_complaints, ComplaintsSettings),
    (CREDIT, create_credit, CreditSettings),
    (STANDARDS, create_standards, StandardsSettings),
    (BRANDS, create_brands, BrandsSettings),
    (TRACEABILITY, create_traceability, TraceabilitySettings),
    (INSPECTIONS, create_inspections, InspectionsSettings),
)


class Deferred:
    """An ASGI app served before it exists: the gateway must know web's address when it is
    built, and web the gateway's."""

    app: Any = None

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


@dataclass
class Enterprise:
    credit_code: str
    name: str
    client_id: str
    client_secret: str


@dataclass
class Platform:
    url: str  # the gateway: where the pages are
    gateway: RunningService
    web: RunningService
    clock: TestClock
    _serials: itertools.count = field(default_factory=lambda: itertools.count(1))

    def api(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=30)

    async def new_client(self, role: str, name: str) -> tuple[str, str]:
        """A reviewer or admin client, made as the gateway's admin command makes one: its id
        and secret."""
        async with self.gateway.runtime.unit_of_work() as uow:
            made = await accounts.create_client(uow.session, self.clock(), role=role, name=name)
            await uow.commit()
        return made

    async def token(self, client_id: str, secret: str) -> dict[str, str]:
        """The bearer header of a client-credentials token for the API."""
        form = {"grant_type": "client_credentials", "client_id": client_id}
        async with self.api() as api:
            issued = await api.post("/oauth/token", data={**form, "client_secret": secret})
        assert issued.status_code == 200, issued.text
        return {"authorization": f"Bearer {issued.json()['access_token']}"}

    async def new_enterprise(self, name: str) -> Enterprise:
        """An enterprise onboarded through the public API, in the demo regulator's region."""
        code = credit_code(next(self._serials), "440203")
        async with self.api() as api:
            response = await api.post(
                "/api/v1/enterprises", json={"credit_code": code, "name": name}
            )
        assert response.status_code == 201, response.text
        issued = response.json()
        return Enterprise(code, name, issued["client_id"], issued["client_secret"])


@contextlib.asynccontextmanager
async def running_platform(stack: TestStack) -> AsyncIterator[Platform]:
    clock = TestClock()
    web_app = Deferred()
    async with contextlib.AsyncExitStack() as running:
        prefix: dict[str, Any] = {}
        services, urls = [], {}
        for spec, create, settings_class in SERVICES:
            service = await running.enter_async_context(
                run_service(
                    stack,
                    spec,
                    lambda s, create=create: create(s, clock=clock),
                    settings_class,
                    **prefix,
                )
            )
            prefix = {"kafka_topic_prefix": service.settings.kafka_topic_prefix}
            services.append(service)
            urls[spec.name] = (await running.enter_async_context(HttpServer(service.app))).url
        web_server = HttpServer(web_app)
        gateway = await running.enter_async_context(
            run_service(
                stack,
                GATEWAY,
                lambda s: create_gateway(s, clock=clock),
                GatewaySettings,
                environment="development",
                upstream_urls={**urls, "web": web_server.url},
                feed_poll_interval_s=0.05,
                run_webhook_dispatcher=False,
                **prefix,
            )
        )
        gateway_server = await running.enter_async_context(HttpServer(gateway.app))
        web = await running.enter_async_context(
            run_service(
                stack,
                WEB,
                lambda s: create_web(s, clock=clock),
                WebSettings,
                gateway_url=gateway_server.url,
                events_page_size=2,  # so a few captured events make two pages
                **prefix,
            )
        )
        web_app.app = web.app
        await running.enter_async_context(web_server)
        for service in services:
            service.app.state.token_verifier = gateway.app.state.dependencies.token_verifier
        for service in (*services, gateway):
            await service.consumers_assigned()
        yield Platform(gateway_server.url, gateway, web, clock)


@pytest.fixture(scope="session")
async def platform(stack: TestStack) -> AsyncIterator[Platform]:
    async with running_platform(stack) as running:
        yield running
