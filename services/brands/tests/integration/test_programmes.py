"""Every shipped programme, walked stage by stage on the real stack: an application goes from
intake to its award through exactly its programme's stages, announcing what it should, and
the award then stands in the programme's public list of holders."""

from __future__ import annotations

import pytest

from .conftest import ROUND, Desk, policy_for_tests

PROGRAMMES = sorted(policy_for_tests().programmes)


@pytest.mark.parametrize("code", PROGRAMMES)
async def test_an_application_walks_every_stage_of_its_programme_to_the_award(
    desk: Desk, code: str, contracts
):
    programme = desk.policy.programmes[code]
    application = await desk.applied(code)
    assert (application["stage"], application["status"]) == (programme.first.name, "in_progress")

    granted = await desk.walk(application)

    assert granted["status"] == "granted"
    closed = [step["stage"] for step in granted["steps"][1:]]  # the first is the application
    assert closed == [stage.name for stage in programme.stages]
    assert all(step["reasons"] for step in granted["steps"])
    types = [event["type"].split(".", 2)[2] for event in await desk.events()]
    assert [t for t in types if t.startswith("award.")] == [
        "award.applied.v1",
        "award.proposed.v1",
        "award.granted.v1",
    ]
    for event in await desk.events():
        contracts.check(event)
    [grant] = await desk.events("qgov.brands.award.granted.v1")
    assert grant["subject"] == application["credit_code"]
    assert grant["data"]["programme"] == code
    holders = await desk.client.get(
        "/api/v1/awards/holders", params={"programme": code, "round": ROUND}
    )
    [holder] = holders.json()["items"]
    assert (holder["application_id"], holder["status"]) == (application["id"], "granted")
    assert holder["valid_until"] == (
        None if programme.validity_years is None else grant["data"]["valid_until"]
    )
