"""OWASP API6:2023, unrestricted access to sensitive business flows: the flows anyone may call
without a token, which a bot would abuse (filing complaints, reports and Open311 requests in
bulk, stuffing credentials into the token endpoint, onboarding enterprises), are limited per
client at the platform's address: once a client's burst is spent it gets a 429 problem with a
`Retry-After`, while another client is still served."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as create_complaints
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import TestStack, run_service

from .conftest import KEYS
from .filings import complaint

BURST = 2
LIMITS = {"public_rate_burst": BURST, "public_rate_per_minute": 1}
OPEN311 = {
    "service_code": "electronics",
    "description": "电饭煲无法加热",
    "last_name": "王",
    "first_name": "五",
    "phone": "13800000071",
    "attribute[complainant_address]": "广东省韶关市武江区某路71号",
    "attribute[respondent_name]": "韶关某电器商行",
    "attribute[request]": "退货",
    "attribute[region_code]": "440203",
}
REPORT = {
    "respondent": {"name": "韶关某食品厂"},
    "facts": "无证生产散装月饼。",
    "category": "food",
    "region_code": "440203",
}
# Each flow, as a bot sends it again and again: what it posts (JSON, or a form).
FLOWS: dict[str, tuple[str, dict[str, Any]]] = {
    "complaint": ("/api/v1/complaints", {"json": complaint()}),
    "report": ("/api/v1/reports", {"json": REPORT}),
    "open311": ("/open311/v2/requests.json", {"data": OPEN311}),
    "credential stuffing": (
        "/oauth/token",
        {"data": {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}},
    ),
    "onboarding": (
        "/api/v1/enterprises",
        {"json": {"credit_code": credit_code(71), "name": "韶关某机器人工厂"}},
    ),
}


@pytest.fixture(scope="module")
async def edge(stack: TestStack) -> AsyncIterator[str]:
    """The gateway over real HTTP in front of complaints, both with a burst of `BURST`; the
    URL. The test client is on loopback, a trusted proxy: it names each client it stands for
    in `X-Forwarded-For`, as an ingress does."""
    async with (
        run_service(
            stack, COMPLAINTS, create_complaints, ComplaintsSettings, run_consumers=False, **LIMITS
        ) as complaints,
        HttpServer(complaints.app) as upstream,
        run_service(
            stack,
            GATEWAY,
            create_gateway,
            GatewaySettings,
            upstream_urls={"complaints": upstream.url, "credit": f"http://127.0.0.1:{free_port()}"},
            run_webhook_dispatcher=False,
            **LIMITS,
        ) as gateway,
        HttpServer(gateway.app) as server,
    ):
        complaints.app.state.token_verifier = KEYS.verifier()
        gateway.app.state.token_verifier = KEYS.verifier()
        yield server.url


@pytest.mark.parametrize("flow", list(FLOWS), ids=list(FLOWS))
async def test_a_bot_past_its_burst_is_refused_and_another_client_is_served(edge, flow) -> None:
    path, payload = FLOWS[flow]
    bot = {"X-Forwarded-For": f"198.51.100.{list(FLOWS).index(flow) + 1}"}
    person = {"X-Forwarded-For": f"203.0.113.{list(FLOWS).index(flow) + 1}"}
    async with httpx.AsyncClient(base_url=edge, timeout=30) as client:
        answers = [await client.post(path, headers=bot, **payload) for _ in range(BURST + 1)]
        served = await client.post(path, headers=person, **payload)
    *within, refused = answers
    # Answered on their merits (an onboarding twice is a conflict, a wrong secret a 401).
    assert all(answer.status_code < 429 for answer in within), [a.text for a in within]
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert int(refused.headers["retry-after"]) > 0
    assert served.status_code < 429, served.text
