"""What the security tests attack, on the real PostgreSQL and broker over real HTTP (uvicorn, as
production serves it): complaints alone (the public filing endpoints anyone may call), and the
whole platform behind its gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qgov_complaints import SERVICE
from qgov_complaints.main import ComplaintsSettings, create_app
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
