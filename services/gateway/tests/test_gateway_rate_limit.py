"""The gateway spends the public rate limit on every anonymous write it forwards, and refuses one
past the limit before the service sees it."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_complaints.models import Submission
from qgov_shared.testing.stack import TestStack
from qgov_shared.testing.tokens import TestKeys

from .routed import COMPLAINT, gateway_to_complaints

KEYS = TestKeys()


async def test_the_third_anonymous_filing_is_refused_at_the_gateway(stack: TestStack) -> None:
    limit = {"public_rate_burst": 2, "public_rate_per_minute": 1}
    async with gateway_to_complaints(stack, gateway=limit) as (gateway, complaints):
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


async def test_behind_the_gateway_each_caller_has_its_own_bucket_and_cannot_spend_another(
    stack: TestStack,
) -> None:
    # As deployed: the gateway is not on the service's loopback but somewhere in its network,
    # which the service trusts; an ingress (the test client, on loopback) is in front of the
    # gateway and appends the address it was called from.
    limit = {"public_rate_burst": 1, "public_rate_per_minute": 1}
    async with gateway_to_complaints(
        stack,
        complaints={**limit, "trusted_proxies": ["10.210.0.0/24"]},
        gateway_address="10.210.0.3",
    ) as (gateway, _):

        async def file(forwarded_for: str) -> int:
            headers = {"X-Forwarded-For": forwarded_for}
            response = await gateway.client.post(
                "/api/v1/complaints", json=COMPLAINT, headers=headers
            )
            return response.status_code

        # 203.0.113.9 writes its victim's address first; the ingress appends its real one.
        attacker = "198.51.100.4, 203.0.113.9"
        statuses = [await file(attacker), await file("198.51.100.4"), await file(attacker)]

    assert statuses == [201, 201, 429]
