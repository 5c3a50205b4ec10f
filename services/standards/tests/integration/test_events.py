"""What the running service publishes: every event type it declares, each passing its contract,
keyed by the declaring enterprise and dated by the service's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from qgov_standards import SERVICE

from .conftest import CODE, DECLARATIONS, LEAD, TODAY, Registry, indicator, limit, standard_body


async def test_every_event_type_is_published_to_its_contract(registry: Registry, contracts):
    upcoming = standard_body(
        "GB 2762-2027", limit(LEAD, "0.1"), effective_on=(TODAY + timedelta(days=9)).isoformat()
    )
    await registry.add_standard(upcoming)  # flags what it will leave below the floor
    declared = await registry.declared()
    revision = {
        "product_name": "全脂乳粉",
        "category": "milk_powder",
        "standards": [{"number": "GB 19644-2010", "title": "乳粉"}],
        "indicators": [indicator(LEAD, "0.05")],
    }
    assert (await registry.revise(declared["id"], revision)).status_code == 201
    check = {"outcome": "compliant", "checked_on": TODAY.isoformat()}
    url = f"{DECLARATIONS}/{declared['id']}/checks"
    assert (
        await registry.client.post(url, json=check, headers=registry.regulator)
    ).status_code == 201
    plan = {
        "indicators": [{"name": LEAD, "unit": "mg/kg", "direction": "lower_better", "weight": "1"}],
        "top_n": 1,
        "missing": "exclude",
    }
    plans = "/api/v1/standards/plans/milk_powder"
    assert (
        await registry.client.put(plans, json=plan, headers=registry.regulator)
    ).status_code == 201
    assert await registry.rank() == 1
    withdrawal = {"reason": "停产"}
    url = f"{DECLARATIONS}/{declared['id']}/withdrawal"
    headers = registry.enterprise()
    assert (await registry.client.post(url, json=withdrawal, headers=headers)).status_code == 200

    published = await registry.events()
    assert {event["type"] for event in published} == {m.TYPE for m in SERVICE.event_models()}
    for event in published:
        contracts.check(event)
        assert event["subject"] == CODE
        assert datetime.fromisoformat(event["time"]) == registry.clock.now
