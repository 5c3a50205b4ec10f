"""Delivery waits on receivers outside any transaction: a receiver that never answers holds no
database connection, so the gateway keeps serving; and a subscription in flight is leased, so
another replica's dispatcher neither sends its batch again nor takes it over before the lease
runs out. A receiver inside the platform's network is refused when subscribing, and again at
delivery if its name has come to point there."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx

from qgov_gateway.webhook_delivery import WebhookDispatcher
from qgov_gateway.webhooks import DeliveryTiming
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import TestStack, wait_for

from .conftest import apply, read_model_gateway, webhook_receiver
from .hooks import HOOKS, REGULATOR, attempted, changes, deliveries, received, subscribe

SUBSCRIPTIONS = 20  # as many as a dispatcher sends at once, more than the pool's connections


class SilentReceiver:
    """Takes each request in and never answers, until the test hangs up on all of them; or,
    `trickling`, starts an answer and sends a header line now and then, never the end."""

    def __init__(self, *, trickling: bool = False) -> None:
        self.requests = 0
        self._trickling = trickling
        self._connections: list[asyncio.StreamWriter] = []

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            self.requests += 1
            if self._trickling:
                writer.write(b"HTTP/1.1 200 OK\r\n")
                while not reader.at_eof():
                    writer.write(b"X-Still-Thinking: 1\r\n")
                    await writer.drain()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(reader.read(), 0.05)
            await reader.read()  # until the gateway gives up, or the test hangs up

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}/silent"
        finally:
            server.close()
            for connection in self._connections:
                connection.close()
            await server.wait_closed()


async def test_a_receiver_that_never_answers_holds_no_connection(
    stack: TestStack, contracts, clock: TestClock
) -> None:
    receiver = SilentReceiver()
    settings = {"run_webhook_dispatcher": True, "webhook_poll_interval_s": 0.05}
    # Longer than the test: the deliveries wait until the receiver hangs up.
    async with read_model_gateway(stack, clock, webhook_timeout_s=600, **settings) as gateway:
        pool = gateway.runtime.engine.pool

        async def all_waiting() -> bool:
            return receiver.requests == SUBSCRIPTIONS

        async def no_connection_held() -> bool:
            return pool.checkedout() == 0

        async with receiver.serving() as url:
            subscriptions = [await subscribe(gateway, url) for _ in range(SUBSCRIPTIONS)]
            await apply(gateway, contracts, *changes(1))
            await wait_for(all_waiting, what="every delivery to wait on the receiver")
            await wait_for(no_connection_held, what="the pool to have no connection out")
            # What needs the database is answered at once.
            listed = await asyncio.wait_for(gateway.client.get(HOOKS, headers=REGULATOR), 5)
            feed = await asyncio.wait_for(
                gateway.client.get("/api/v1/feeds/credit", headers=REGULATOR), 5
            )
        # The receiver hung up on every delivery: each attempt is recorded as failed.
        for subscription in subscriptions:
            await wait_for(attempted(gateway, subscription["id"], 1), what="the failed attempt")
        [record] = await deliveries(gateway, subscriptions[0]["id"])

    assert listed.status_code == 200
    assert len(listed.json()["items"]) == SUBSCRIPTIONS
    assert feed.status_code == 200
    assert (record["succeeded"], record["status_code"]) == (False, None)


async def test_a_receiver_that_never_answers_holds_up_no_other(
    stack: TestStack, contracts, clock: TestClock
) -> None:
    silent = SilentReceiver()
    settings = {"run_webhook_dispatcher": True, "webhook_poll_interval_s": 0.05}
    async with (
        read_model_gateway(stack, clock, webhook_timeout_s=600, **settings) as gateway,
        silent.serving() as silent_url,
        webhook_receiver() as healthy,
    ):
        await subscribe(gateway, silent_url)
        await subscribe(gateway, healthy.url)
        first, second = changes(2)
        await apply(gateway, contracts, first)
        await wait_for(received(healthy, 1), what="the first change, delivered")

        async def waiting() -> bool:
            return silent.requests == 1

        await wait_for(waiting, what="the silent receiver to hold its delivery")
        await apply(gateway, contracts, second)
        await wait_for(received(healthy, 2), what="the second change, while the other waits")
    assert silent.requests == 1


async def test_a_receiver_that_answers_forever_is_cut_off_at_the_timeout(
    stack: TestStack, contracts, clock: TestClock
) -> None:
    """Each read comes in time, so only a deadline on the whole delivery ends it (and so the
    lease, which must outlast any delivery, is sure to)."""
    receiver = SilentReceiver(trickling=True)
    settings = {"run_webhook_dispatcher": True, "webhook_poll_interval_s": 0.05}
    async with (
        read_model_gateway(stack, clock, webhook_timeout_s=0.5, **settings) as gateway,
        receiver.serving() as url,
    ):
        subscription = await subscribe(gateway, url)
        await apply(gateway, contracts, *changes(1))
        await wait_for(attempted(gateway, subscription["id"], 1), what="the attempt cut off")
        [record] = await deliveries(gateway, subscription["id"])

    assert (record["succeeded"], record["error"]) == (False, "no answer within 0.5s")


async def test_a_leased_subscription_is_not_sent_twice_nor_taken_over_early(
    stack: TestStack, contracts, clock: TestClock
) -> None:
    answer = asyncio.Event()
    received: list[bytes] = []

    async def slow_receiver(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        received.append((await receive())["body"])
        await answer.wait()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def three_in_flight() -> bool:
        return len(received) == 3

    async with (
        read_model_gateway(stack, clock) as gateway,
        HttpServer(slow_receiver) as server,
        httpx.AsyncClient() as client,
    ):
        subscriptions = [await subscribe(gateway, f"{server.url}/hook") for _ in range(3)]
        await apply(gateway, contracts, *changes(1))
        timing = DeliveryTiming.of(gateway.settings)
        first, second = (
            WebhookDispatcher(
                gateway.runtime.session_factory, client, timing, clock, allow_private=True
            )
            for _ in range(2)
        )

        going_away = await first.deliver_due()
        await wait_for(three_in_flight, what="the first replica's three batches in flight")
        started_by_second_meanwhile = await second.deliver_due()
        for delivery in going_away:  # the first replica goes away before any answer
            delivery.cancel()
        await asyncio.gather(*going_away, return_exceptions=True)
        started_before_the_lease_ran_out = await second.deliver_due()
        clock.advance(seconds=timing.lease_s)
        answer.set()
        sent_once_it_had = await asyncio.gather(*await second.deliver_due())
        records = [await deliveries(gateway, s["id"]) for s in subscriptions]

    assert (started_by_second_meanwhile, started_before_the_lease_ran_out) == ([], [])
    assert sent_once_it_had == [True] * 3
    assert len(received) == 6  # three cut short, then three delivered
    assert [[record["succeeded"] for record in record_list] for record_list in records] == [
        [True]
    ] * 3


async def test_receivers_inside_the_platforms_network_are_refused_at_subscription(
    stack: TestStack, clock: TestClock
) -> None:
    inside = [
        "http://127.0.0.1:8002/api/v1/credit/rebuild",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://127.1/hook",
        "http://[::1]/hook",
    ]
    async with read_model_gateway(stack, clock, allow_private_webhooks=False) as gateway:
        for url in inside:
            response = await gateway.client.post(HOOKS, json={"url": url}, headers=REGULATOR)
            assert pointers(problem(response, 422)) == ["#/url"], url
        listed = await gateway.client.get(HOOKS, headers=REGULATOR)
        outside = await gateway.client.post(
            HOOKS, json={"url": "https://regulator.example.org/hook"}, headers=REGULATOR
        )
    assert listed.json()["items"] == []
    assert outside.status_code == 201, outside.text


async def test_a_receiver_whose_name_now_resolves_inside_is_not_sent_to(
    stack: TestStack, contracts, clock: TestClock
) -> None:
    async def points_inside(host: str, port: int) -> list[str]:  # the outside world's DNS
        return ["10.0.0.5"]

    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(204))
    async with (
        read_model_gateway(stack, clock, allow_private_webhooks=False) as gateway,
        httpx.AsyncClient(transport=transport) as client,
    ):
        subscription = await subscribe(gateway, "https://hooks.regulator.example.org/credit")
        await apply(gateway, contracts, *changes(1))
        dispatcher = WebhookDispatcher(
            gateway.runtime.session_factory,
            client,
            DeliveryTiming.of(gateway.settings),
            clock,
            allow_private=False,
            resolve=points_inside,
        )
        [delivered] = await asyncio.gather(*await dispatcher.deliver_due())
        [record] = await deliveries(gateway, subscription["id"])

    assert (delivered, sent) == (True, [])
    assert (record["succeeded"], record["status_code"]) == (False, None)
    assert "private or reserved address" in record["error"]
