"""Supervision: regulators record what their checks of declarations found, for enterprises in
their regions; outcomes are public and announced. The inspections service's final results
arrive as events and are recorded the same way on the declaration of the product tested, once
however often they are delivered."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from qgov_shared.envelope import new_event
from qgov_shared.kafka import new_producer
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import TestStack, wait_for
from qgov_standards.inspections import RESULT_FINAL
from qgov_standards.main import INSPECTIONS_TOPIC

from .conftest import CODE, DECLARATIONS, FAR_CODE, LEAD, TODAY, Registry, open_registry


def check_body(**changes) -> dict:
    body = {
        "outcome": "non_compliant",
        "findings": ["铅实测 0.8 mg/kg，高于声明值 0.3 mg/kg"],
        "failing_indicators": [LEAD],
        "checked_on": (TODAY - timedelta(days=1)).isoformat(),
    }
    return {**body, **changes}


async def test_a_regulators_check_is_public_and_announced(registry: Registry):
    declared = await registry.declared()
    url = f"{DECLARATIONS}/{declared['id']}/checks"

    response = await registry.client.post(url, json=check_body(), headers=registry.regulator)

    assert response.status_code == 201, response.text
    recorded = response.json()
    assert (recorded["outcome"], recorded["source"], recorded["declaration_version"]) == (
        "non_compliant",
        "regulator",
        1,
    )
    assert [c["id"] for c in await registry.listed(url)] == [recorded["id"]]  # no token
    [event] = await registry.events("standard.check_recorded")
    assert event["subject"] == CODE
    data = event["data"]
    assert (data["check_id"], data["outcome"], data["source"]) == (
        recorded["id"],
        "non_compliant",
        "regulator",
    )
    assert (data["failing_indicators"], data["checked_on"]) == ([LEAD], check_body()["checked_on"])
    assert data["enterprise_name"] == "韶关市乳品有限公司"


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"findings": [], "failing_indicators": []}, "#/findings"),
        ({"outcome": "compliant"}, "#/failing_indicators"),
        ({"checked_on": (TODAY + timedelta(days=1)).isoformat()}, "#/checked_on"),
        ({"outcome": "fine"}, "#/outcome"),
    ],
)
async def test_a_check_the_rules_refuse_is_a_422(registry: Registry, changes, pointer):
    declared = await registry.declared()
    url = f"{DECLARATIONS}/{declared['id']}/checks"

    response = await registry.client.post(
        url, json=check_body(**changes), headers=registry.regulator
    )

    assert pointers(problem(response, 422)) == [pointer]
    assert await registry.listed(url) == []


async def test_a_check_is_only_for_regulators_of_the_enterprises_region(registry: Registry):
    declared = await registry.declared(code=FAR_CODE)  # registered in 440300
    url = f"{DECLARATIONS}/{declared['id']}/checks"

    problem(await registry.client.post(url, json=check_body(), headers=registry.regulator), 404)
    as_enterprise = registry.enterprise(FAR_CODE)
    problem(await registry.client.post(url, json=check_body(), headers=as_enterprise), 403)
    other = await registry.client.post(url, json=check_body(), headers=registry.other_regulator)
    assert other.status_code == 201, other.text
    assert [c["recorded_at"] is not None for c in await registry.listed(url)] == [True]


def inspection_result(**data) -> dict:
    result = {
        "inspection_id": f"CC-{uuid.uuid4().hex[:8]}",
        "credit_code": CODE,
        "standard_number": "gb 19644—2010",
        "product_name": "全脂乳粉",
        "outcome": "failed",
        "failing_indicators": [
            {"name": LEAD, "measured": "0.8", "unit": "mg/kg", "required": "≤ 0.3 mg/kg"}
        ],
        "decided_on": (TODAY - timedelta(days=2)).isoformat(),
        "sampled_at": "a field standards does not know",
    }
    return {**result, **data}


async def test_an_inspections_final_result_is_recorded_once_on_the_declaration_it_tested(
    stack: TestStack, clock: TestClock
):
    async with open_registry(stack, clock, run_consumers=True) as registry:
        tested = await registry.declared()
        untested = await registry.declared(product_name="脱脂乳粉")
        await registry.svc.consumers_assigned()
        by_number = inspection_result()
        by_id = inspection_result(
            declaration_id=untested["id"],
            standard_number=None,
            outcome="passed",
            failing_indicators=[],
        )
        stranger = inspection_result(credit_code=FAR_CODE)  # no declaration of that enterprise
        events = [_event(by_number), _event(by_number), _event(by_id), _event(stranger)]
        events.insert(1, _event(by_number, event_id=events[0].id))  # the same event again
        await _produce(registry, events)

        async def recorded() -> bool:
            return len(await registry.events("standard.check_recorded")) == 2

        await wait_for(recorded, within=30, what="the two inspection results to be recorded")
        [failed] = await registry.listed(f"{DECLARATIONS}/{tested['id']}/checks")
        [passed] = await registry.listed(f"{DECLARATIONS}/{untested['id']}/checks")

    assert (failed["outcome"], failed["source"], failed["inspection_id"]) == (
        "non_compliant",
        "inspection",
        by_number["inspection_id"],
    )
    assert failed["failing_indicators"] == [LEAD]
    assert failed["findings"] == [f"{LEAD}；实测 0.8 mg/kg；≤ 0.3 mg/kg"]
    assert failed["checked_on"] == by_number["decided_on"]
    assert (passed["outcome"], passed["inspection_id"]) == ("compliant", by_id["inspection_id"])


def _event(data: dict, event_id: str | None = None):
    event = new_event(
        RESULT_FINAL, source="/qgov/inspections", subject=data["credit_code"], data=data
    )
    return event.model_copy(update={"id": event_id}) if event_id else event


async def _produce(registry: Registry, events) -> None:
    producer = new_producer(registry.svc.settings)
    await producer.start()
    try:
        topic = registry.svc.settings.kafka_topic_prefix + INSPECTIONS_TOPIC
        for event in events:
            await producer.send_and_wait(
                topic, event.to_json().encode(), key=event.subject.encode()
            )
    finally:
        await producer.stop()
