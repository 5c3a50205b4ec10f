"""What the running service publishes: every event type it declares, each passing its contract,
dated by the service's clock, and keyed by the inspected enterprise."""

from __future__ import annotations

from datetime import datetime, timedelta

from qgov_inspections import SERVICE

from .conftest import TODAY, Bureau, drawn_campaign, failed_result, sample_body


async def test_every_event_type_is_published_to_its_contract(bureau: Bureau, contracts):
    _, [inspection, *_], _, _ = await drawn_campaign(bureau, enterprises=1)
    number = inspection["inspection_id"]
    shown = await bureau.ok("GET", f"/{number}")
    sampled = await bureau.ok("POST", f"/{number}/sample", json=sample_body(shown["team"]))
    [sample] = sampled["samples"]
    await bureau.ok(
        "POST",
        f"/laboratory/samples/{sample['blind_code']}/result",
        json=failed_result(),
        headers=bureau.lab(sample["laboratory_id"]),
    )
    bureau.clock.today(TODAY + timedelta(days=16))
    await bureau.finalise()
    reinspected = {"outcome": "failed", "reinspected_on": bureau.clock().date().isoformat()}
    await bureau.ok("POST", f"/{number}/follow-up/reinspection", json=reinspected)
    await bureau.ok("POST", f"/{number}/follow-up/close")

    published = await bureau.events()
    assert {event["type"] for event in published} == {m.TYPE for m in SERVICE.event_models()}
    for event in published:
        contracts.check(event)
        if event["type"].endswith("campaign_published.v1"):
            assert event.get("subject") is None
        else:
            assert event["subject"] == inspection["credit_code"]
    [closed] = await bureau.events("inspection.followup_closed")
    assert closed["data"]["outcome"] == "referred"
    assert datetime.fromisoformat(closed["time"]) == bureau.clock()
