"""What the demo service really emits matches its contract in contracts/."""

from __future__ import annotations

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.testing.contracts import Contracts, published_events
from qgov_shared.testing.stack import TestStack, run_service


async def test_every_emitted_event_matches_its_contract(
    stack: TestStack, contracts: Contracts
) -> None:
    async with run_service(stack, SERVICE, create_app, DemoSettings, run_consumers=False) as demo:
        for message in ("hello", "质量投诉 — 你好"):
            response = await demo.client.post(
                "/api/v1/demo/pings", json={"credit_code": "9144030071526726XG", "message": message}
            )
            assert response.status_code == 201

        events = await published_events(demo.runtime.engine)

    assert [event["type"] for event in events] == ["qgov.demo.ping.recorded.v1"] * 2
    for event in events:
        contracts.check(event)
        assert event["subject"] == "9144030071526726XG"
