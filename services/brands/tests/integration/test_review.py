"""Expert review: a regulator assigns reviewers an admin registered, never one with a conflict
(the refusal says which); assigned reviewers score within each criterion's weight; the result
drops the highest and lowest of five or more, and fewer than the minimum cannot decide. A
reviewer sees only the applications assigned to it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from qgov_brands.models import Assignment, Score
from qgov_shared.testing.problems import pointers, problem

from .conftest import APPLICANT, OTHER, Desk

QUALITY = "china_quality_award"


async def at_scoring(desk: Desk, **changes) -> dict:
    return await desk.walk(await desk.applied(QUALITY, **changes), until="on_site_review")


async def count(desk: Desk, table) -> int:
    async with desk.svc.runtime.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def test_a_reviewer_with_a_conflict_cannot_be_assigned_and_the_refusal_says_why(
    desk: Desk,
):
    application = await at_scoring(desk, enterprise_group="南粮集团")
    cases = {
        "declared": {"conflicts": [APPLICANT]},
        "employer": {"employer_credit_code": APPLICANT},
        "group": {"enterprise_group": " 南粮集团 "},
        "region": {"region_code": "440100"},  # 广州: the applicant's province, which CQA forbids
    }
    refusals = {}
    for case, changes in cases.items():
        registered = await desk.register_reviewer(f"conflicted-{case}", **changes)
        assert registered.status_code == 201, registered.text
        response = await desk.assign(application["id"], registered.json()["id"])
        refusals[case] = problem(response, 409)["detail"]

    assert f"declared a conflict of interest with {APPLICANT}" in refusals["declared"]
    assert "works for the applicant" in refusals["employer"]
    assert "enterprise group (南粮集团)" in refusals["group"]
    assert "the applicant's province (440200)" in refusals["region"]
    assert await count(desk, Assignment) == 0
    [(free, _)] = await desk.reviewers(1)
    assert (await desk.assign(application["id"], free)).status_code == 200
    problem(await desk.assign(application["id"], free), 409)  # once


async def test_five_scores_drop_the_highest_and_lowest_and_fewer_than_three_cannot_decide(
    desk: Desk,
):
    application = await at_scoring(desk)
    await desk.scored(application, [0.9, 0.5])

    too_few = await desk.step(application)
    assert "3 reviewers must score" in problem(too_few, 409)["detail"]

    panel = await desk.reviewers(5)
    for (reviewer_id, subject), share in zip(panel[2:], [0.7, 0.8, 0.6], strict=True):
        assert (await desk.assign(application["id"], reviewer_id)).status_code == 200
        scored = await desk.score(application["id"], subject, desk.points(QUALITY, share))
        assert scored.status_code == 201, scored.text
    closed = await desk.stepped(application)

    # totals 900, 500, 700, 800, 600: without 900 and 500, the mean of 700, 800 and 600
    assert Decimal(str(closed["score"])) == Decimal("700.00")
    assert closed["stage"] == "committee"
    assert sorted(r["total"] for r in closed["reviewers"]) == [500, 600, 700, 800, 900]


async def test_a_score_below_the_pass_mark_cannot_pass_but_can_fail(desk: Desk):
    application = await at_scoring(desk)
    await desk.scored(application, [0.5, 0.55, 0.5])

    passed = await desk.step(application)
    failed = await desk.stepped(application, passed=False, reasons="未达评审分数线")

    assert "below the pass mark 600" in problem(passed, 409)["detail"]
    assert (failed["status"], failed["stage"]) == ("rejected", "on_site_review")


async def test_a_reviewer_scores_each_criterion_within_its_weight_once(desk: Desk):
    application = await at_scoring(desk)
    [(reviewer_id, subject)] = await desk.reviewers(1)
    await desk.assign(application["id"], reviewer_id)
    points = desk.points(QUALITY, 0.5)

    over = await desk.score(application["id"], subject, {**points, "results": 401})
    partial = await desk.score(application["id"], subject, {"leadership": 10})
    first = await desk.score(application["id"], subject, points)
    again = await desk.score(application["id"], subject, points)

    assert pointers(problem(over, 422)) == ["#/scores/results"]
    assert pointers(problem(partial, 422)) == ["#/scores"]
    assert first.json()["total"] == sum(points.values())
    problem(again, 409)
    assert await count(desk, Score) == 1


async def test_a_reviewer_sees_only_the_applications_assigned_to_it(desk: Desk):
    mine = await at_scoring(desk)
    theirs = await desk.walk(await desk.applied(QUALITY, OTHER), until="on_site_review")
    [(reviewer_id, subject), (_, other_subject)] = await desk.reviewers(2)
    await desk.assign(mine["id"], reviewer_id)
    me = desk.reviewer(subject)

    shown = await desk.shown(mine["id"], me)
    hidden = await desk.shown(theirs["id"], me)
    listed = await desk.client.get("/api/v1/awards/applications", headers=me)
    scoring_theirs = await desk.score(theirs["id"], subject, desk.points(QUALITY, 0.8))
    stranger = await desk.client.get(
        "/api/v1/awards/applications", headers=desk.reviewer("not-registered")
    )
    unassigned = await desk.client.get(
        "/api/v1/awards/applications", headers=desk.reviewer(other_subject)
    )

    assert shown.status_code == 200
    assert [r["reviewer_id"] for r in shown.json()["reviewers"]] == [reviewer_id]
    problem(hidden, 404)
    problem(scoring_theirs, 404)
    assert [a["id"] for a in listed.json()["items"]] == [mine["id"]]
    problem(stranger, 403)
    assert unassigned.json()["items"] == []
