"""Who may apply: only with one's own brand, to an open round, and only if the programme's
rules admit the applicant today — its credit standing (listing, grade D) and serious facts of
the last years, as credit's events told this service, and its brand's age and kind. Every
refusal says why, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from qgov_brands.domain.dates import add_years
from qgov_brands.models import Application
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem

from .conftest import APPLICANT, OTHER, TODAY, Desk
from .credit_feed import graded, listed, reason, record_added

QUALITY = "china_quality_award"


async def applications(desk: Desk) -> int:
    async with desk.svc.runtime.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(Application))


async def test_an_enterprise_cannot_apply_with_another_enterprises_brand(desk: Desk):
    theirs = await desk.brand(OTHER)

    response = await desk.apply("time_honoured_brand", APPLICANT, brand_id=theirs["id"])
    unknown = await desk.apply("time_honoured_brand", APPLICANT, brand_id=999_999)

    assert "another enterprise" in problem(response, 403)["detail"]
    assert pointers(problem(unknown, 422)) == ["#/brand_id"]
    assert await applications(desk) == 0
    assert await desk.events("qgov.brands.award.applied.v1") == []


async def test_a_brand_programme_needs_a_brand_and_a_round_must_be_open(desk: Desk, clock):
    without = await desk.apply("geographical_indication", APPLICANT, brand_id=None)
    no_round = await desk.apply(QUALITY, APPLICANT, round="1999")
    clock.today(TODAY + timedelta(days=30))  # the window closed on day 20
    closed = await desk.apply(QUALITY, APPLICANT)

    assert pointers(problem(without, 422)) == ["#/brand_id"]
    assert pointers(problem(no_round, 422)) == ["#/round"]
    assert "takes applications from" in problem(closed, 422)["detail"]
    assert await applications(desk) == 0


async def test_one_application_per_round(desk: Desk):
    await desk.applied(QUALITY)

    again = await desk.apply(QUALITY)

    assert "applied to this round already" in problem(again, 409)["detail"]
    assert await applications(desk) == 1


async def test_a_listed_enterprise_is_refused_and_told_why(desk: Desk):
    await desk.credit(listed(APPLICANT, TODAY - timedelta(days=3)))

    refused = await desk.apply(QUALITY)

    detail = problem(refused, 409)["detail"]
    assert "serious-violation list" in detail
    assert "serious_penalty" in detail
    assert await applications(desk) == 0


async def test_a_d_graded_enterprise_is_refused_and_a_better_grade_is_not(desk: Desk):
    await desk.credit(graded(APPLICANT, "D", 40), graded(OTHER, "B", 80))

    assert "credit grade is D" in problem(await desk.apply(QUALITY), 409)["detail"]
    assert (await desk.apply(QUALITY, OTHER)).status_code == 201


@pytest.mark.parametrize(
    ("years_ago", "days", "eligible"),
    [(5, 1, False), (5, -1, True), (2, 0, False)],
    ids=["a day within five years", "a day before five years", "two years ago"],
)
async def test_a_serious_accident_in_the_last_five_years_excludes_the_applicant(
    desk: Desk, years_ago: int, days: int, eligible: bool
):
    on = add_years(TODAY, -years_ago) + timedelta(days=days)
    await desk.credit(record_added(APPLICANT, 7, "quality_accident", "serious", on))

    response = await desk.apply(QUALITY)

    if eligible:
        assert response.status_code == 201, response.text
    else:
        detail = problem(response, 409)["detail"]
        assert f"a serious quality_accident on {on}, within 5 years" in detail


async def test_a_general_accident_does_not_exclude_but_a_serious_penalty_named_by_a_grade_does(
    desk: Desk,
):
    await desk.credit(record_added(APPLICANT, 1, "quality_accident", "general", TODAY))
    assert (await desk.apply(QUALITY)).status_code == 201

    penalty = reason(2, "serious_penalty", "serious", TODAY - timedelta(days=400), 1825)
    await desk.credit(graded(OTHER, "C", 60, penalty))
    refused = await desk.apply(QUALITY, OTHER)
    assert "serious serious_penalty" in problem(refused, 409)["detail"]


async def test_a_provincial_programme_takes_only_its_provinces_enterprises(desk: Desk):
    beijing = credit_code(3, region_code="110105")

    refused = await desk.apply("guangdong_government_quality_award", beijing)

    assert "registered in 440000, not 110105" in problem(refused, 409)["detail"]


async def test_a_time_honoured_brand_is_fifty_years_old_or_more(desk: Desk):
    young = await desk.brand(APPLICANT, founded_year=TODAY.year - 49)
    old = await desk.brand(APPLICANT, founded_year=TODAY.year - 50)
    plain = await desk.brand(APPLICANT, time_honoured_candidate=False)

    too_young = await desk.apply("time_honoured_brand", brand_id=young["id"])
    not_candidate = await desk.apply("time_honoured_brand", brand_id=plain["id"])
    fifty = await desk.apply("time_honoured_brand", brand_id=old["id"])

    assert "fewer than 50 years ago" in problem(too_young, 409)["detail"]
    assert "not declared a time-honoured-candidate" in problem(not_candidate, 409)["detail"]
    assert fifty.status_code == 201, fifty.text


async def test_eligibility_is_checked_again_at_the_decision(desk: Desk):
    application = await desk.applied("quality_frontrunner")
    at_decision = await desk.walk(application, until="certification")
    await desk.credit(listed(APPLICANT, desk.today))

    refused = await desk.step(at_decision)

    assert "not eligible" in problem(refused, 409)["detail"]
    rejected = await desk.stepped(at_decision, passed=False, reasons="列入严重违法失信名单")
    assert (rejected["status"], rejected["decision_reasons"]) == (
        "rejected",
        "列入严重违法失信名单",
    )
    [event] = await desk.events("qgov.brands.award.rejected.v1")
    assert event["data"]["stage"] == "certification"
