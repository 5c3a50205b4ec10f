"""Webhook subscriptions to the credit feed, delivered over real HTTP to a test receiver that
checks every signature: in order, retried with backoff, recorded, and replayable."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from qgov_shared.clock import Clock
from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.clock import START
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import RunningService, TestStack, wait_for
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, apply, read_model_gateway, verified_batch, webhook_receiver
from .hooks import (
    HOOKS,
    REGULATOR,
    attempted,
    changes,
    deliveries,
    items,
    received,
    subscribe,
    view,
)

NEIGHBOUR = bearer(KEYS.mint("regulator", sub="gz", regions=["440100"]))


@pytest.fixture
def running_clock() -> Clock:
    """START, and on at the pace of real time, so that retries fall due by themselves."""
    began = time.monotonic()
    return lambda: START + timedelta(seconds=time.monotonic() - began)


@pytest.fixture
async def gateway(stack: TestStack, running_clock: Clock) -> AsyncIterator[RunningService]:
    async with read_model_gateway(
        stack,
        running_clock,
        run_webhook_dispatcher=True,
        webhook_poll_interval_s=0.05,
        webhook_retry_base_s=0.05,
        webhook_retry_cap_s=0.2,
    ) as svc:
        yield svc


async def test_deliveries_are_signed_in_order_retried_and_recorded(
    gateway: RunningService, contracts, running_clock: Clock
) -> None:
    async with webhook_receiver(failures=[500, 503]) as receiver:
        subscription = await subscribe(gateway, receiver.url)
        await apply(gateway, contracts, *changes(150), *changes(5, region_code="440103"))
        await wait_for(received(receiver, 150), within=20, what="150 changes delivered")
        await wait_for(attempted(gateway, subscription["id"], 4), what="every attempt recorded")

    secret, now = subscription["secret"], running_clock()
    batches = [verified_batch(secret, headers, body, now) for headers, body in receiver.received]
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
    state = await view(gateway, subscription["id"])
    assert (state["position"], state["failures"]) == (str(record[-1]["last_cursor"]), 0)
    assert "secret" not in state


async def test_replay_delivers_again_from_a_cursor(gateway: RunningService, contracts) -> None:
    async with webhook_receiver() as receiver:
        subscription = await subscribe(gateway, receiver.url)
        await apply(gateway, contracts, *changes(10))
        await wait_for(received(receiver, 10), within=20, what="the first delivery")
        cursors = [item["cursor"] for item in items(receiver)]

        replayed = await gateway.client.post(
            f"{HOOKS}/{subscription['id']}/replay", json={"after": cursors[6]}, headers=REGULATOR
        )
        assert replayed.status_code == 200, replayed.text
        await wait_for(received(receiver, 13), within=20, what="the replay")
    assert [item["cursor"] for item in items(receiver)] == cursors + cursors[7:]


async def test_an_unreachable_receiver_is_retried_and_the_failure_recorded(
    gateway: RunningService, contracts
) -> None:
    subscription = await subscribe(gateway, f"http://127.0.0.1:{free_port()}/down")
    await apply(gateway, contracts, *changes(1))

    await wait_for(attempted(gateway, subscription["id"], 2), what="two failed attempts")
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
        gateway.client.post(f"{path}/resume", headers=NEIGHBOUR),
        gateway.client.delete(path, headers=NEIGHBOUR),
    ):
        assert (await foreign).status_code == 404
    listed = (await gateway.client.get(HOOKS, headers=NEIGHBOUR)).json()
    assert listed["items"] == []

    outside = await gateway.client.post(
        HOOKS, json={"url": "http://127.0.0.1:9/", "regions": ["440100"]}, headers=REGULATOR
    )
    assert outside.status_code == 403
    enterprise = bearer(KEYS.mint("enterprise", credit_code=credit_code(1, "440203")))
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
    assert (await gateway.client.post(f"{path}/resume", headers=REGULATOR)).status_code == 409
    assert (await gateway.client.get(path, headers=REGULATOR)).json()["active"] is False
    assert (await view(gateway, subscription["id"]))["status"] == "cancelled"


async def test_a_receiver_url_is_http_without_credentials_and_fits_its_column(
    gateway: RunningService,
) -> None:
    longest = "https://regulator.example.org/" + "a" * (2000 - 30)
    refused = [
        "ftp://regulator.example.org/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:password@regulator.example.org/hook",
        "https://token@regulator.example.org/hook",
        longest + "a",
        # Short as typed, too long once percent-encoded.
        "https://regulator.example.org/" + "接收" * 200,
    ]
    for url in refused:
        response = await gateway.client.post(HOOKS, json={"url": url}, headers=REGULATOR)
        assert pointers(problem(response, 422)) == ["#/url"], url
    assert (await subscribe(gateway, longest))["url"] == longest
