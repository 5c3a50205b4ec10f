"""The gateway spends the public rate limit on every anonymous write it forwards, and refuses one
past the limit before the service sees it."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as complaints_app
from qgov_complaints.models import Submission
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as gateway_app
from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.stack import TestStack, run_service
from qgov_shared.testing.tokens import TestKeys

COMPLAINT = {
    "complainant": {"name": "王五", "phone": "13712345678", "address": "广东省韶关市武江区某路3号"},
    "respondent": {"name": "韶关某电器有限公司", "credit_code": "91350100M000100Y43"},
    "request": "退货退款",
    "facts": "电饭煲买来三天就无法加热",
    "category": "electronics",
    "region_code": "440203",
}
KEYS = TestKeys()


async def test_the_third_anonymous_filing_is_refused_at_the_gateway(stack: TestStack) -> None:
    async with (
        run_service(
            stack, COMPLAINTS, complaints_app, ComplaintsSettings, run_consumers=False
        ) as complaints,
        run_service(
            stack,
            GATEWAY,
            gateway_app,
            GatewaySettings,
            public_rate_burst=2,
            public_rate_per_minute=1,
            upstream_urls={"credit": f"http://127.0.0.1:{free_port()}"},
        ) as gateway,
    ):
        gateway.app.state.dependencies.upstreams.clients["complaints"] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=complaints.app), base_url="http://complaints"
        )
        complaints.app.state.token_verifier = KEYS.verifier()
        gateway.app.state.token_verifier = KEYS.verifier()
        filings = [
            await gateway.client.post("/api/v1/complaints", json=COMPLAINT) for _ in range(3)
        ]
        async with complaints.runtime.session_factory() as session:
            stored = await session.scalar(select(func.count()).select_from(Submission))
        # A caller with a token is not the anonymous address's: the service limits its subject.
        citizen = {"Authorization": f"Bearer {KEYS.mint(role='citizen', sub='citizen-1')}"}
        with_token = await gateway.client.post(
            "/api/v1/complaints", json=COMPLAINT, headers=citizen
        )
        # Another client, as a trusted proxy in front of the gateway names it, has its own bucket.
        elsewhere = await gateway.client.post(
            "/api/v1/complaints", json=COMPLAINT, headers={"X-Forwarded-For": "203.0.113.9"}
        )
        reads = [await gateway.client.get("/open311/v2/services.json") for _ in range(3)]
        # A made-up token does not pass for a caller with a token: refused before any hop.
        forged = {"Authorization": f"Bearer {TestKeys().mint(role='citizen', sub='x')}"}
        made_up = await gateway.client.post("/api/v1/complaints", json=COMPLAINT, headers=forged)
        async with complaints.runtime.session_factory() as session:
            stored_at_end = await session.scalar(select(func.count()).select_from(Submission))

    assert [filing.status_code for filing in filings] == [201, 201, 429]
    refused = filings[2]
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["status"] == 429
    assert stored == 2  # the refused filing never reached the service
    assert with_token.status_code == 201, with_token.text
    assert elsewhere.status_code == 201, elsewhere.text
    assert [read.status_code for read in reads] == [200, 200, 200]
    assert made_up.status_code == 401
    assert stored_at_end == 4  # two anonymous, the citizen's, the proxied client's
