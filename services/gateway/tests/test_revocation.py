"""A suspended client's tokens are refused at the gateway, not only denied renewal: at once at
the replica that suspended it, at another replica once it reads the suspensions again, and
taken again when the suspension is lifted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qgov_gateway import accounts
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import RunningService, TestStack, run_replica

from .conftest import run_gateway

CREDIT_CODE = "91440200MA0000001F"
SUSPENSION = f"/api/v1/enterprises/{CREDIT_CODE}/suspension"
PROFILE = f"/api/v1/enterprises/{CREDIT_CODE}/profile"


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with run_gateway(stack, clock, run_consumers=False) as svc:
        yield svc


async def _token(gateway: RunningService, client_id: str, secret: str) -> dict[str, str]:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    answer = await gateway.client.post("/oauth/token", data=form)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _regulator_and_enterprise(gateway: RunningService, clock: TestClock):
    async with gateway.runtime.session_factory() as session:
        regulator = await accounts.create_client(
            session, clock(), role="regulator", name="韶关", regions=["440200"]
        )
        await session.commit()
    body = {"credit_code": CREDIT_CODE, "name": "韶关示例有限公司"}
    onboarded = await gateway.client.post("/api/v1/enterprises", json=body)
    assert onboarded.status_code == 201, onboarded.text
    enterprise = (onboarded.json()["client_id"], onboarded.json()["client_secret"])
    return await _token(gateway, *regulator), await _token(gateway, *enterprise)


async def test_a_suspended_client_is_refused_at_once_and_taken_again_when_reinstated(
    gateway: RunningService, clock: TestClock
) -> None:
    regulator, enterprise = await _regulator_and_enterprise(gateway, clock)
    assert (await gateway.client.get(PROFILE, headers=enterprise)).status_code == 200

    assert (await gateway.client.put(SUSPENSION, headers=regulator)).status_code == 200
    refused = problem(await gateway.client.get(PROFILE, headers=enterprise), 401)
    assert "suspended" in refused["detail"]

    assert (await gateway.client.delete(SUSPENSION, headers=regulator)).status_code == 200
    assert (await gateway.client.get(PROFILE, headers=enterprise)).status_code == 200


async def test_another_replica_refuses_the_token_once_it_reads_the_suspensions_again(
    gateway: RunningService, clock: TestClock
) -> None:
    regulator, enterprise = await _regulator_and_enterprise(gateway, clock)
    # Reading the suspensions before every check, the other replica is "within its refresh"
    # at once: what this shows is that it reads them, not how soon.
    async with run_replica(
        gateway, lambda settings: create_gateway(settings, clock=clock), suspension_refresh_s=0
    ) as other:
        assert (await other.client.get(PROFILE, headers=enterprise)).status_code == 200
        assert (await gateway.client.put(SUSPENSION, headers=regulator)).status_code == 200
        problem(await other.client.get(PROFILE, headers=enterprise), 401)
