"""A partner keeps a named query and subscribes a webhook to it: the events it matches, and
may see, are POSTed to the webhook (a real HTTP server here) as they are captured, signed
with the partner's token; what it may not see, or does not match, is not sent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response

from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import wait_for

from .conftest import Desk, document, object_event, open_desk, sgtin
from .supply_chain import PALLET, STORE, at

TOKEN = "partner-secret-token-0001"


class Webhook:
    """A partner's receiver: it keeps what it is sent."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.app = FastAPI()

        @self.app.post("/epcis-hook")
        async def receive(request: Request) -> Response:
            self.received.append((dict(request.headers), await request.body()))
            return Response(status_code=204)

    def events(self) -> list[dict[str, Any]]:
        return [
            event
            for _, body in self.received
            for event in json.loads(body)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        ]


@pytest.fixture
async def partner(stack, clock) -> AsyncIterator[tuple[Desk, Webhook, str]]:
    hook = Webhook()
    async with (
        HttpServer(hook.app) as server,
        open_desk(
            stack,
            clock,
            allow_private_webhooks=True,
            run_periodic_work=True,
            subscription_interval_s=0.05,
        ) as desk,
    ):
        yield desk, hook, f"{server.url}/epcis-hook"


async def subscribe(desk: Desk, dest: str, **changes: Any):
    body = {"dest": dest, "signatureToken": TOKEN, "stream": True, **changes}
    return await desk.client.post(
        "/epcis/queries/pallets/subscriptions", json=body, headers=desk.producer
    )


async def test_a_subscribed_webhook_receives_the_matching_events_signed(partner):
    desk, hook, dest = partner
    await desk.register_parties()
    query = {"name": "pallets", "query": {"MATCH_anyEPC": PALLET, "EQ_bizStep": "receiving"}}
    created = await desk.client.post("/epcis/queries", json=query, headers=desk.producer)
    assert (created.status_code, created.headers["location"]) == (201, "/epcis/queries/pallets")
    subscribed = await subscribe(desk, dest)
    assert subscribed.status_code == 201, subscribed.text

    receiving = object_event(at(8), [PALLET], bizStep="receiving", readPoint={"id": STORE})
    stocking = object_event(at(9), [PALLET], bizStep="stocking", readPoint={"id": STORE})
    own_goods = object_event(at(8), [sgtin("012345", 1, "6909999")], bizStep="receiving")
    await desk.captured(document(receiving, stocking, own_goods), as_=desk.retailer)

    async def delivered() -> bool:
        return len(hook.events()) >= 1

    await wait_for(delivered, within=20, what="the webhook to receive the receiving event")
    [event] = hook.events()
    assert (event["bizStep"], event["epcList"]) == ("receiving", [PALLET])
    headers, body = hook.received[0]
    expected = base64.b64encode(hmac.new(TOKEN.encode(), body, hashlib.sha256).digest()).decode()
    assert headers["gs1-signature"] == expected
    results = json.loads(body)["epcisBody"]["queryResults"]
    assert (results["queryName"], results["subscriptionID"]) == (
        "pallets",
        subscribed.json()["subscriptionID"],
    )
    run = await desk.client.get("/epcis/queries/pallets/events", headers=desk.producer)
    ran = run.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in ran] == [event["eventID"]]

    async def recorded() -> bool:
        shown = await desk.client.get(subscribed.headers["location"], headers=desk.producer)
        return shown.json()["delivered"] == 1

    await wait_for(recorded, what="the delivery to be recorded")
    assert len(hook.received) == 1  # delivered once, not again on every round


async def test_subscriptions_refuse_unsafe_webhooks_and_schedules(partner):
    desk, _, dest = partner
    query = {"name": "pallets", "query": {"MATCH_anyEPC": PALLET}}
    await desk.client.post("/epcis/queries", json=query, headers=desk.producer)

    with_credentials = await subscribe(desk, "http://user:secret@example.com/hook")
    assert problem(with_credentials, 422)["errors"][0]["pointer"] == "#/dest"
    problem(await subscribe(desk, "ftp://example.com/hook"), 422)
    scheduled = problem(await subscribe(desk, dest, schedule={"hour": "2"}), 400)
    assert scheduled["type"] == "epcisException:SubscriptionControlsException"
    problem(await desk.client.get("/epcis/queries/pallets", headers=desk.retailer), 404)
    unknown = {"name": "odd", "query": {"EQ_colour": "red"}}
    bad = await desk.client.post("/epcis/queries", json=unknown, headers=desk.producer)
    assert problem(bad, 400)["type"] == "epcisException:QueryParameterException"
    gone = await desk.client.delete("/epcis/queries/pallets", headers=desk.producer)
    assert gone.status_code == 204
    problem(await desk.client.get("/epcis/queries/pallets", headers=desk.producer), 404)
