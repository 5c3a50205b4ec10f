"""A subscription that has failed for `webhook_pause_after_s` without a success is paused: no
more attempts, its owner sees why, and resuming it delivers from where it stopped. Retries wait
on the gateway's clock, here a test clock that stands still until the test moves it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from qgov_gateway.main import GatewaySettings
from qgov_shared.testing.clock import START, TestClock
from qgov_shared.testing.stack import RunningService, TestStack, wait_for

from .conftest import apply, read_model_gateway, webhook_receiver
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

PAUSE_AFTER_S = GatewaySettings.model_fields["webhook_pause_after_s"].default


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    settings = {"run_webhook_dispatcher": True, "webhook_poll_interval_s": 0.05}
    async with read_model_gateway(stack, clock, **settings) as svc:
        yield svc


async def attempted_once(gateway: RunningService, contracts, url: str, changed: int) -> dict:
    """A subscription to `url`, once its first attempt to deliver `changed` changes is made."""
    subscription = await subscribe(gateway, url)
    await apply(gateway, contracts, *changes(changed))
    await wait_for(attempted(gateway, subscription["id"], 1), what="the first attempt")
    return subscription


async def test_failing_for_too_long_pauses_until_resumed_from_where_it_stopped(
    gateway: RunningService, contracts, clock: TestClock
) -> None:
    async with (
        webhook_receiver(failures=[500, 503]) as failing,
        webhook_receiver() as healthy,
    ):
        subscription = await attempted_once(gateway, contracts, failing.url, 3)

        # The clock stands still, so the retry waits; when the limit has passed, it fails too.
        failed_again_at = clock.advance(seconds=PAUSE_AFTER_S)
        await wait_for(attempted(gateway, subscription["id"], 2), what="the retry")
        paused = await view(gateway, subscription["id"])

        # However far the clock runs on, there is no third attempt, though the dispatcher has
        # gone round meanwhile: a healthy subscription got everything.
        clock.advance(days=30)
        other = await subscribe(gateway, healthy.url, after="0")
        await wait_for(received(healthy, 3), what="the healthy subscription's delivery")
        attempts_while_paused = len(await deliveries(gateway, subscription["id"]))

        resumed = await gateway.client.post(
            f"{HOOKS}/{subscription['id']}/resume", headers=REGULATOR
        )
        await wait_for(attempted(gateway, subscription["id"], 3), what="the delivery, recorded")
        settled = await view(gateway, subscription["id"])

    assert (paused["status"], paused["active"], paused["failures"]) == ("paused", True, 2)
    assert datetime.fromisoformat(paused["failing_since"]) == START
    assert datetime.fromisoformat(paused["paused_at"]) == failed_again_at
    assert paused["last_error"] == "the receiver answered 503"
    assert attempts_while_paused == 2
    assert other["status"] == "active"

    assert resumed.status_code == 200, resumed.text
    assert (resumed.json()["status"], resumed.json()["paused_at"]) == ("active", None)
    assert [item["cursor"] for item in items(failing)] == ["1", "2", "3"]
    assert (settled["status"], settled["failures"], settled["last_error"]) == ("active", 0, None)
    assert settled["position"] == "3"


async def test_a_failure_short_of_the_limit_only_retries(
    gateway: RunningService, contracts, clock: TestClock
) -> None:
    async with webhook_receiver(failures=[500, 500]) as receiver:
        subscription = await attempted_once(gateway, contracts, receiver.url, 1)
        clock.advance(seconds=PAUSE_AFTER_S - 1)
        await wait_for(attempted(gateway, subscription["id"], 2), what="the retry")
        failing = await view(gateway, subscription["id"])
        clock.advance(seconds=3600)
        await wait_for(attempted(gateway, subscription["id"], 3), what="the third attempt")
        healthy = await view(gateway, subscription["id"])

    assert (failing["status"], failing["failures"], failing["paused_at"]) == ("active", 2, None)
    assert failing["last_error"] == "the receiver answered 500"
    assert (healthy["failures"], healthy["failing_since"], healthy["last_error"]) == (0, None, None)
