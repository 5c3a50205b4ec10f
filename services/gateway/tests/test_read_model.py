"""The gateway's read model takes in every service's events, on the real broker."""

from __future__ import annotations

from qgov_demo import SERVICE as DEMO
from qgov_demo.main import DemoSettings
from qgov_demo.main import create_app as create_demo
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.stack import TestStack, run_service, wait_for

from .conftest import run_gateway

CREDIT_CODE = "91350100M000100Y43"


async def test_gateway_records_the_newest_event_of_each_source(
    stack: TestStack, clock: TestClock
) -> None:
    demo_app = lambda settings: create_demo(settings, clock=clock)  # noqa: E731
    async with run_service(stack, DEMO, demo_app, DemoSettings) as demo:
        shared_namespace = {"kafka_topic_prefix": demo.settings.kafka_topic_prefix}
        async with run_gateway(stack, clock, **shared_namespace) as gateway:
            for message in ("first", "second"):
                response = await demo.client.post(
                    "/api/v1/demo/pings", json={"credit_code": CREDIT_CODE, "message": message}
                )
                assert response.status_code == 201

            async def both_seen() -> bool:
                sources = (await gateway.client.get("/api/v1/status/sources")).json()
                return bool(sources) and sources[0]["events_seen"] == 2

            await wait_for(both_seen, within=30, what="the gateway to see both pings")
            [status] = (await gateway.client.get("/api/v1/status/sources")).json()
            assert status["source"] == "/qgov/demo"
            assert status["last_event_type"] == "qgov.demo.ping.recorded.v1"
