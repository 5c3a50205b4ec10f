"""A service to attack: complaints (the public filing endpoints anyone may call) on the real
PostgreSQL and broker, served over real HTTP by uvicorn, as production serves it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qgov_complaints import SERVICE
from qgov_complaints.main import ComplaintsSettings, create_app
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
