"""Every event type the service publishes, as it really writes it to its outbox, holds to
its contract in contracts/ (envelope, AsyncAPI message, data schema)."""

from __future__ import annotations

from qgov_traceability.events import EVENTS

from .conftest import PRODUCER, Desk
from .supply_chain import RETAILER_PARTY, capture_chain
from .test_certificates_and_recalls import issue, recall_body


async def test_every_published_event_holds_to_its_contract(desk: Desk, contracts):
    await capture_chain(desk)
    await issue(desk)
    recall = (
        await desk.client.post("/api/v1/recalls", json=recall_body(desk), headers=desk.producer)
    ).json()
    path = f"/api/v1/recalls/{recall['id']}"
    report = {"party": RETAILER_PARTY, "units_recovered": 5}
    await desk.client.post(f"{path}/progress", json=report, headers=desk.producer)
    await desk.client.post(f"{path}/close", json={"summary": "完成"}, headers=desk.producer)

    published = await desk.outbox()

    assert {event["type"] for event in published} == {model.TYPE for model in EVENTS}
    for event in published:
        contracts.check(event)
        assert event["subject"] == PRODUCER
        assert event["data"]["enterprise_name"] == "韶关某食品有限公司"
