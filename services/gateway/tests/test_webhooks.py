"""Webhook subscriptions to the credit feed, delivered over real HTTP to a test receiver that
checks every signature: in order, retried with backoff, recorded, and replayable."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.stack import RunningService, TestStack, wait_for

from .conftest import (
    Receiver,
    apply,
    at,
    bearer,
    credit_code,
    grade_changed,
    read_model_gateway,
    verified_batch,
    webhook_receiver,
)

REGULATOR = bearer("regulator", sub="sg", regions=["440200"])
NEIGHBOUR = bearer("regulator", sub="gz", regions=["440100"])
HOOKS = "/api/v1/feeds/credit/webhooks"


@pytest.fixture
async def gateway(stack: TestStack) -> AsyncIterator[RunningService]:
    async with read_model_gateway(
        stack,
        run_webhook_dispatcher=True,
        webhook_poll_interval_s=0.05,
        webhook_retry_base_s=0.05,
        webhook_retry_cap_s=0.2,
    ) as svc:
        yield svc


def changes(count: int, region_code: str = "440203"):
    return [
        grade_changed(credit_code(region_code, n), ("A", 100), ("C", 70), at(n))
        for n in range(count)
    ]


async def subscribe(gateway: RunningService, url: str, **fields) -> dict:
    response = await gateway.client.post(HOOKS, json={"url": url, **fields}, headers=REGULATOR)
    assert response.status_code == 201, response.text
    return response.json()


async def deliveries(gateway: RunningService, subscription_id: int) -> list[dict]:
    response = await gateway.client.get(f"{HOOKS}/{subscription_id}/deliveries", headers=REGULATOR)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_deliveries_are_signed_in_order_retried_and_recorded(
    gateway: RunningService, contracts
) -> None:
    async with webhook_receiver(failures=[500, 503]) as receiver:
        subscription = await subscribe(gateway, receiver.url)
        await apply(gateway, contracts, *changes(150), *changes(5, region_code="440103"))
        await wait_for(lambda: _received(receiver, 150), within=20, what="150 changes delivered")

    batches = [verified_batch(subscription["secret"], h, body) for h, body in receiver.received]
    acknowledged = batches[2:]  # the first batch was refused twice, then taken
    assert [b["items"][0]["cursor"] for b in batches[:3]] == ["1", "1", "1"]
    delivered = [item for batch in acknowledged for item in batch["items"]]
    assert [item["credit_code"] for item in delivered] == [
        event.data["credit_code"] for event in changes(150)
    ]
    assert {b["subscription_id"] for b in batches} == {subscription["id"]}
    assert acknowledged[0]["next_cursor"] == acknowledged[0]["items"][-1]["cursor"]

    record = await deliveries(gateway, subscription["id"])
    assert [(d["attempt"], d["succeeded"], d["status_code"]) for d in record] == [
        (1, False, 500),
        (2, False, 503),
        (3, True, 204),
        (1, True, 204),
    ]
    assert [(d["first_cursor"], d["items"]) for d in record[2:]] == [(1, 100), (101, 50)]
    state = (await gateway.client.get(f"{HOOKS}/{subscription['id']}", headers=REGULATOR)).json()
    assert (state["position"], state["failures"]) == (str(record[-1]["last_cursor"]), 0)
    assert "secret" not in state


async def test_replay_delivers_again_from_a_cursor(gateway: RunningService, contracts) -> None:
    async with webhook_receiver() as receiver:
        subscription = await subscribe(gateway, receiver.url)
        await apply(gateway, contracts, *changes(10))
        await wait_for(lambda: _received(receiver, 10), within=20, what="the first delivery")
        cursors = [item["cursor"] for item in _items(receiver)]

        replayed = await gateway.client.post(
            f"{HOOKS}/{subscription['id']}/replay", json={"after": cursors[6]}, headers=REGULATOR
        )
        assert replayed.status_code == 200, replayed.text
        await wait_for(lambda: _received(receiver, 13), within=20, what="the replay")
    assert [item["cursor"] for item in _items(receiver)] == cursors + cursors[7:]


async def test_an_unreachable_receiver_is_retried_and_the_failure_recorded(
    gateway: RunningService, contracts
) -> None:
    subscription = await subscribe(gateway, f"http://127.0.0.1:{free_port()}/down")
    await apply(gateway, contracts, *changes(1))

    async def retried() -> bool:
        return len(await deliveries(gateway, subscription["id"])) >= 2

    await wait_for(retried, within=20, what="two failed attempts")
    first, second, *_ = await deliveries(gateway, subscription["id"])
    assert (first["succeeded"], first["status_code"]) == (False, None)
    assert "ConnectError" in first["error"]
    assert second["attempt"] == 2


async def test_subscriptions_belong_to_the_regulator_who_made_them(
    gateway: RunningService,
) -> None:
    subscription = await subscribe(gateway, "http://127.0.0.1:9/hook", grades=["D"])
    assert (subscription["regions"], subscription["grades"]) == (["440200"], ["D"])
    path = f"{HOOKS}/{subscription['id']}"
    for foreign in (
        gateway.client.get(path, headers=NEIGHBOUR),
        gateway.client.get(f"{path}/deliveries", headers=NEIGHBOUR),
        gateway.client.post(f"{path}/replay", json={"after": "0"}, headers=NEIGHBOUR),
        gateway.client.delete(path, headers=NEIGHBOUR),
    ):
        assert (await foreign).status_code == 404
    listed = (await gateway.client.get(HOOKS, headers=NEIGHBOUR)).json()
    assert listed["items"] == []

    outside = await gateway.client.post(
        HOOKS, json={"url": "http://127.0.0.1:9/", "regions": ["440100"]}, headers=REGULATOR
    )
    assert outside.status_code == 403
    enterprise = bearer("enterprise", credit_code=credit_code("440203", 1))
    refused = await gateway.client.post(
        HOOKS, json={"url": "http://127.0.0.1:9/"}, headers=enterprise
    )
    assert refused.status_code == 403
    invalid = await gateway.client.post(HOOKS, json={"url": "ftp://x"}, headers=REGULATOR)
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["pointer"] == "#/url"

    assert (await gateway.client.delete(path, headers=REGULATOR)).status_code == 204
    cancelled = await gateway.client.post(f"{path}/replay", json={"after": "0"}, headers=REGULATOR)
    assert cancelled.status_code == 409
    assert (await gateway.client.get(path, headers=REGULATOR)).json()["active"] is False


def _items(receiver: Receiver) -> list[dict]:
    return [item for body in receiver.acknowledged for item in json.loads(body)["items"]]


async def _received(receiver: Receiver, count: int) -> bool:
    return len(_items(receiver)) >= count
