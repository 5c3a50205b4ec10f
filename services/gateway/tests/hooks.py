"""Helpers of the webhook tests: a regulator's calls to the subscription API, the changes fed
to the read model, and what a receiver took in."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from qgov_shared.envelope import CloudEvent
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, Receiver, at, grade_changed

REGULATOR = bearer(KEYS.mint("regulator", sub="sg", regions=["440200"]))
HOOKS = "/api/v1/feeds/credit/webhooks"


def changes(count: int, region_code: str = "440203") -> list[CloudEvent]:
    return [
        grade_changed(credit_code(n, region_code), ("A", 100), ("C", 70), at(n))
        for n in range(count)
    ]


async def subscribe(gateway: RunningService, url: str, **fields) -> dict:
    response = await gateway.client.post(HOOKS, json={"url": url, **fields}, headers=REGULATOR)
    assert response.status_code == 201, response.text
    return response.json()


async def view(gateway: RunningService, subscription_id: int) -> dict:
    response = await gateway.client.get(f"{HOOKS}/{subscription_id}", headers=REGULATOR)
    assert response.status_code == 200, response.text
    return response.json()


async def deliveries(gateway: RunningService, subscription_id: int) -> list[dict]:
    response = await gateway.client.get(f"{HOOKS}/{subscription_id}/deliveries", headers=REGULATOR)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def attempted(
    gateway: RunningService, subscription_id: int, count: int
) -> Callable[[], Awaitable[bool]]:
    """A condition: the subscription has `count` delivery attempts recorded, or more."""

    async def condition() -> bool:
        return len(await deliveries(gateway, subscription_id)) >= count

    return condition


def items(receiver: Receiver) -> list[dict]:
    """The feed items the receiver acknowledged, in the order it took them."""
    return [item for body in receiver.acknowledged for item in json.loads(body)["items"]]


def received(receiver: Receiver, count: int) -> Callable[[], Awaitable[bool]]:
    """A condition: the receiver has acknowledged `count` items, or more."""

    async def condition() -> bool:
        return len(items(receiver)) >= count

    return condition
