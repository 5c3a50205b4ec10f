"""Reports (举报): filed with a reporter or anonymously, verified, and decided within 15
working days (Labour Day 2026 and its make-up Saturday included), extended at most once."""

from __future__ import annotations

from datetime import date

import pytest

from qgov_shared.testing.problems import pointers, problem

from .conftest import CODE, NAME, PHONE, Desk, dumped, report_body


async def test_an_anonymous_report_is_decided_within_15_working_days(desk: Desk, contracts):
    desk.today(date(2026, 4, 24))
    filed = await desk.file_report(report_body(reporter=None))

    # 4-27..4-30, (5-01..5-05 off), 5-06..5-08, Saturday 5-09 (调休上班), 5-11..5-15, 5-18, 5-19
    assert filed.receipt["kind"] == "report"
    assert filed.receipt["status"] == "submitted"
    assert filed.receipt["due_on"] == "2026-05-19"
    assert filed.receipt["due_is_provisional"] is False
    assert filed.tracking_number.startswith("J20260424")

    shown = (await desk.show(filed)).json()
    assert shown["person"] is None
    assert (shown["running_deadline"], shown["due_on"]) == ("report_decision", "2026-05-19")
    tracked = (await desk.track(filed)).json()
    assert (tracked["kind"], tracked["due_on"]) == ("report", "2026-05-19")

    [event] = await desk.events()
    assert event["type"] == "qgov.complaints.report.filed.v1"
    assert event["subject"] == CODE
    assert event["data"]["due_on"] == "2026-05-19"
    contracts.check(event)


async def test_a_reporter_who_gives_details_is_known_to_the_regulator_only(desk: Desk, contracts):
    filed = await desk.file_report()
    person = (await desk.show(filed)).json()["person"]
    assert person == {
        "name": "李四",
        "phone": "13900001111",
        "address": "广东省韶关市浈江区",
        "id_number": None,
    }
    [event] = await desk.events("report.filed")
    assert "李四" not in dumped(event)
    assert "13900001111" not in dumped(event)
    contracts.check(event)


@pytest.mark.parametrize(("case_opened", "status"), [(True, "case_opened"), (False, "not_opened")])
async def test_a_verified_report_is_decided_with_its_reason(
    desk: Desk, contracts, case_opened, status
):
    desk.today(date(2026, 4, 24))
    filed = await desk.file_report()

    desk.today(date(2026, 4, 27))
    shown = await desk.step_ok(filed, "verification")
    assert (shown["status"], shown["running_deadline"]) == ("verifying", "report_decision")
    assert shown["due_on"] == "2026-05-19"

    desk.today(date(2026, 5, 9))  # the make-up Saturday is a working day like any other
    reason = "现场检查发现无证生产" if case_opened else "经核查，举报事项不属实"
    shown = await desk.step_ok(
        filed, "report-decision", {"case_opened": case_opened, "reason": reason}
    )
    assert (shown["status"], shown["decision_reason"]) == (status, reason)
    assert (shown["running_deadline"], shown["due_on"]) == (None, None)

    tracked = (await desk.track(filed)).json()
    assert tracked["status"] == status
    assert [h["action"] for h in tracked["history"]] == ["filed", "verification_started", status]
    assert "decision_reason" not in tracked  # the reason stays in the regulator's file

    filed_event, decided = await desk.events()
    assert decided["type"] == f"qgov.complaints.report.{status}.v1"
    assert decided["data"]["decided_on"] == "2026-05-09"
    assert reason not in dumped(decided)
    for event in (filed_event, decided):
        contracts.check(event)


@pytest.mark.parametrize("body", [{"case_opened": True}, {"case_opened": False, "reason": "  "}])
async def test_a_report_decision_needs_a_reason(desk: Desk, body):
    filed = await desk.file_report()
    await desk.step_ok(filed, "verification")
    refused = problem(await desk.act(filed, "report-decision", body), 422)
    assert pointers(refused) == ["#/reason"]
    assert (await desk.show(filed)).json()["status"] == "verifying"


async def test_a_report_is_verified_before_it_is_decided(desk: Desk):
    filed = await desk.file_report()
    decision = {"case_opened": True, "reason": "违法"}
    problem(await desk.act(filed, "report-decision", decision), 409)

    await desk.step_ok(filed, "verification")
    problem(await desk.act(filed, "verification"), 409)  # already verifying
    await desk.step_ok(filed, "report-decision", decision)
    problem(await desk.act(filed, "report-decision", decision), 409)  # already decided
    problem(await desk.act(filed, "decision", {"decision": "accept"}), 409)  # not a complaint
    assert [e["type"] for e in await desk.events()] == [
        "qgov.complaints.report.filed.v1",
        "qgov.complaints.report.case_opened.v1",
    ]


async def test_the_decision_deadline_is_extended_once_from_its_due_date(desk: Desk):
    desk.today(date(2026, 5, 20))
    filed = await desk.file_report()
    assert filed.receipt["due_on"] == "2026-06-10"

    desk.today(date(2026, 5, 22))  # extended early: 15 working days from the due date, not today
    await desk.step_ok(filed, "verification")
    shown = await desk.step_ok(filed, "extension", {"reason": "需要委托检验，报请负责人批准延长"})
    # 6-11..6-18, (6-19 端午节 off), 6-22..6-30, 7-01, 7-02
    assert (shown["status"], shown["due_on"], shown["extended"]) == (
        "verifying",
        "2026-07-02",
        True,
    )
    assert shown["history"][-1]["action"] == "extended"
    assert shown["history"][-1]["detail"] == {"reason": "需要委托检验，报请负责人批准延长"}

    refused = problem(await desk.act(filed, "extension", {"reason": "还需要时间"}), 409)
    assert "only once" in refused["detail"]
    tracked = (await desk.track(filed)).json()
    assert (tracked["running_deadline"], tracked["due_on"]) == ("report_decision", "2026-07-02")
    assert [e["type"] for e in await desk.events()] == ["qgov.complaints.report.filed.v1"]


async def test_a_report_may_be_extended_before_verification_starts(desk: Desk):
    desk.today(date(2026, 4, 24))
    filed = await desk.file_report()
    shown = await desk.step_ok(filed, "extension", {"reason": "线索复杂"})
    assert (shown["status"], shown["due_on"]) == ("submitted", "2026-06-09")


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
async def test_an_extension_needs_a_reason(desk: Desk, body):
    filed = await desk.file_report()
    assert pointers(problem(await desk.act(filed, "extension", body), 422)) == ["#/reason"]
    assert (await desk.show(filed)).json()["extended"] is False


async def test_a_decided_report_is_not_extended(desk: Desk):
    filed = await desk.file_report()
    await desk.step_ok(filed, "verification")
    await desk.step_ok(filed, "report-decision", {"case_opened": False, "reason": "不属实"})
    problem(await desk.act(filed, "extension", {"reason": "迟来的延期"}), 409)
    assert (await desk.show(filed)).json()["extended"] is False


async def test_an_extension_after_the_deadline_has_passed_is_refused(desk: Desk):
    desk.today(date(2026, 4, 24))
    filed = await desk.file_report()  # decision due 5-19
    desk.today(date(2026, 5, 20))
    refused = problem(await desk.act(filed, "extension", {"reason": "迟来的延期"}), 409)
    assert "has passed" in refused["detail"]
    assert (await desk.show(filed)).json()["extended"] is False


async def test_a_complainant_name_and_phone_are_not_needed_for_a_report(desk: Desk):
    """Anonymity is the reporter's choice: a report without one files, one with a partial
    reporter is refused naming the missing field."""
    reporter = {"name": NAME, "address": "广东省韶关市"}  # no phone
    refused = problem(
        await desk.client.post("/api/v1/reports", json=report_body(reporter=reporter)), 422
    )
    assert pointers(refused) == ["#/reporter/phone"]
    filed = await desk.file_report(report_body(reporter=None, category=None))
    assert (await desk.show(filed)).json()["category"] is None
    reporter["phone"] = PHONE
    assert (await desk.file_report(report_body(reporter=reporter))).receipt["status"] == "submitted"
