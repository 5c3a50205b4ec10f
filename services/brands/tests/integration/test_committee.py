"""A round's committee: once the round has closed and every application has been scored, the
quotas put the best to public notice, for the award or a nomination, and turn the rest down;
objections in the notice must be resolved before it closes, and an upheld one stands against
the award."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from qgov_brands.domain.dates import add_months
from qgov_brands.programme import Quotas
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import problem

from .conftest import TODAY, Desk, open_desk, policy_for_tests

QUALITY = "china_quality_award"


async def scored(desk: Desk, code: str, shares: list[float]) -> dict:
    application = await desk.walk(await desk.applied(QUALITY, code), until="on_site_review")
    await desk.scored(application, shares)
    return await desk.stepped(application)


async def test_the_quotas_decide_the_award_the_nomination_and_who_is_left_out(
    stack, clock, contracts
):
    policy = policy_for_tests()
    cqa = replace(policy.programmes[QUALITY], quotas=Quotas(awards=1, nominations=1))
    policy = replace(policy, programmes={**policy.programmes, QUALITY: cqa})
    async with open_desk(stack, clock, policy, run_consumers=False) as desk:
        codes = [credit_code(n) for n in (11, 12, 13)]
        middle = await scored(desk, codes[0], [0.7, 0.7, 0.7])
        best = await scored(desk, codes[1], [0.9, 0.9, 0.9])
        worst = await scored(desk, codes[2], [0.65, 0.65, 0.65])

        early = await desk.propose(QUALITY)
        assert "takes applications until" in problem(early, 409)["detail"]
        desk.after_round()
        regional = await desk.propose(QUALITY, as_=desk.regulator)
        assert "run by the national admins" in problem(regional, 403)["detail"]
        proposed = await desk.propose(QUALITY)

        assert proposed.status_code == 200, proposed.text
        ranked = [(a["id"], a["tier"], a["status"], a["stage"]) for a in proposed.json()]
        assert ranked == [
            (best["id"], "award", "in_progress", "public_notice"),
            (middle["id"], "nomination", "in_progress", "public_notice"),
            (worst["id"], None, "rejected", "committee"),
        ]
        left_out = (await desk.shown(worst["id"])).json()
        assert "outside the quotas (1 awards, 1 nominations)" in left_out["decision_reasons"]
        tiers = [e["data"]["tier"] for e in await desk.events("qgov.brands.award.proposed.v1")]
        assert tiers == ["award", "nomination"]
        for event in await desk.events():
            contracts.check(event)
        notices = (await desk.client.get("/api/v1/awards/notices")).json()["items"]
        assert sorted(n["application_id"] for n in notices) == sorted([best["id"], middle["id"]])
        problem(await desk.propose(QUALITY), 409)  # none awaits the committee any more


async def test_the_committee_waits_for_every_application_of_the_round(desk: Desk):
    await scored(desk, credit_code(21), [0.8, 0.8, 0.8])
    slow = await desk.applied(QUALITY, credit_code(22))
    desk.after_round()

    waiting = await desk.propose(QUALITY)

    assert (
        f"applications [{slow['id']}] have not reached the committee"
        in (problem(waiting, 409)["detail"])
    )
    no_quotas = await desk.propose("quality_frontrunner")
    assert "has no quotas" in problem(no_quotas, 409)["detail"]


async def test_an_open_objection_holds_the_notice_and_an_upheld_one_stops_the_award(
    desk: Desk, clock
):
    application = await desk.walk(await desk.applied("quality_frontrunner"), until="public_notice")
    path = f"/api/v1/awards/applications/{application['id']}/objections"
    filed = await desk.client.post(path, json={"text": "该企业产品近期抽检不合格"})
    assert filed.status_code == 201, filed.text
    objection = filed.json()

    early = await desk.step(application)
    assert "takes objections until" in problem(early, 409)["detail"]
    desk.after_notice(application)
    late = await desk.client.post(path, json={"text": "期满后的异议"})
    assert "took objections until" in problem(late, 409)["detail"]
    held = await desk.step(application)
    assert "1 objection(s) must be resolved" in problem(held, 409)["detail"]

    resolution = f"/api/v1/awards/objections/{objection['id']}/resolution"
    body = {"upheld": True, "reasons": "经核实，抽检确不合格"}
    elsewhere = await desk.client.post(resolution, json=body, headers=desk.other_regulator)
    problem(elsewhere, 404)  # not the applicant's region
    resolved = await desk.client.post(resolution, json=body, headers=desk.regulator)
    assert resolved.json()["status"] == "upheld", resolved.text
    at_decision = await desk.stepped(application)

    stopped = await desk.step(at_decision)
    assert "1 upheld objection(s)" in problem(stopped, 409)["detail"]
    rejected = await desk.stepped(at_decision, passed=False, reasons="异议成立")
    assert rejected["status"] == "rejected"
    assert [o["status"] for o in rejected["objections"]] == ["upheld"]


async def test_a_dismissed_objection_lets_the_award_through(desk: Desk):
    application = await desk.walk(await desk.applied("quality_frontrunner"), until="public_notice")
    filed = await desk.client.post(
        f"/api/v1/awards/applications/{application['id']}/objections", json={"text": "质疑"}
    )
    await desk.client.post(
        f"/api/v1/awards/objections/{filed.json()['id']}/resolution",
        json={"upheld": False, "reasons": "异议不成立"},
        headers=desk.regulator,
    )

    granted = await desk.walk(application)

    assert granted["status"] == "granted"


async def test_only_an_application_in_notice_takes_objections(desk: Desk):
    application = await desk.applied("quality_frontrunner")

    response = await desk.client.post(
        f"/api/v1/awards/applications/{application['id']}/objections", json={"text": "质疑"}
    )

    problem(response, 404)  # not public yet


async def test_a_geographical_indication_takes_objections_for_two_months(desk: Desk, clock):
    application = await desk.applied("geographical_indication")
    at_window = await desk.walk(application, until="objection_window")
    assert at_window["notice_ends_on"] == add_months(TODAY, 2).isoformat()

    clock.today(desk.today + timedelta(days=59))
    assert "takes objections until" in problem(await desk.step(at_window), 409)["detail"]
    desk.after_notice(at_window)
    assert (await desk.stepped(at_window))["stage"] == "expert_technical_review"
