"""Deadlines as the regulators live them: the due list, the overdue filter, the overdue
announcements (once, with two replicas scanning at once), transfers that keep the clock
running, and provisional deadlines in 2027."""

from __future__ import annotations

import asyncio
from datetime import date

from qgov_complaints.handlers import Context
from qgov_complaints.handlers.overdue import announce_overdue
from qgov_complaints.main import create_app
from qgov_shared.auth import Principal, Role
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import TestStack, run_replica, wait_for

from .conftest import COVERED, UNCOVERED, Desk, Filed, complaint_body, open_desk, report_body


async def file_on(desk: Desk, day: date, region: str = COVERED) -> Filed:
    desk.today(day)
    return await desk.file_complaint(complaint_body(region_code=region))


async def test_the_due_list_puts_overdue_first_then_nearly_due_in_the_callers_regions(desk: Desk):
    first = await file_on(desk, date(2026, 3, 2))  # acceptance due 3-11
    second = await file_on(desk, date(2026, 3, 3))  # due 3-12
    due_today = await file_on(desk, date(2026, 3, 4))  # due 3-13
    in_two_days = await file_on(desk, date(2026, 3, 6))  # due 3-17
    later = await file_on(desk, date(2026, 3, 10))  # due 3-19
    elsewhere = await file_on(desk, date(2026, 3, 2), UNCOVERED)  # due 3-11, Shenzhen's
    rejected = await file_on(desk, date(2026, 3, 2))
    await desk.step_ok(rejected, "decision", {"decision": "reject", "ground": "outside_duties"})

    desk.today(date(2026, 3, 13))  # a Friday: 2 working days ahead is Tuesday 3-17
    due = await desk.listed("/due", limit=1)  # one a page: the order holds across pages
    assert [(item["id"], item["due_on"], item["overdue"]) for item in due] == [
        (first.id, "2026-03-11", True),
        (second.id, "2026-03-12", True),
        (due_today.id, "2026-03-13", False),
        (in_two_days.id, "2026-03-17", False),
    ]
    assert {item["running_deadline"] for item in due} == {"acceptance"}

    theirs = await desk.listed("/due", as_=desk.other_regulator)
    assert [(item["id"], item["overdue"]) for item in theirs] == [(elsewhere.id, True)]
    everyone = await desk.listed("/due", as_=desk.admin)
    assert [item["id"] for item in everyone] == [
        first.id,
        elsewhere.id,
        second.id,
        due_today.id,
        in_two_days.id,
    ]

    desk.today(date(2026, 3, 16))  # Monday: the horizon is 3-18, so 3-19 is not yet near
    assert [item["id"] for item in await desk.listed("/due")][-1] == in_two_days.id
    desk.today(date(2026, 3, 17))  # the horizon reaches 3-19
    assert [item["id"] for item in await desk.listed("/due")][-1] == later.id


async def test_two_replicas_scanning_at_once_announce_each_overdue_deadline_once(desk: Desk, clock):
    filed = [await file_on(desk, date(2026, 3, 2)) for _ in range(30)]  # all due 3-11
    desk.today(date(2026, 3, 12))

    async with run_replica(desk.svc, lambda s: create_app(s, clock=clock)) as pod:
        other = Desk(pod, clock)
        scans = await asyncio.gather(*(d.announce_overdue() for d in (desk, other) * 3))

    announced = [e["data"]["tracking_number"] for e in await desk.events("submission.overdue")]
    assert sorted(announced) == sorted(f.tracking_number for f in filed)
    assert sum(scans) == len(filed)


async def test_the_scanner_announces_passed_deadlines_by_itself(stack: TestStack, clock):
    async with open_desk(
        stack, clock, run_periodic_work=True, overdue_scan_interval_s=0.05
    ) as desk:
        filed = await file_on(desk, date(2026, 3, 2))  # acceptance due 3-11
        desk.today(date(2026, 3, 12))

        async def announced() -> bool:
            return bool(await desk.events("submission.overdue"))

        await wait_for(announced, what="the scanner to announce the passed deadline")
        [overdue] = await desk.events("submission.overdue")
    assert (overdue["data"]["tracking_number"], overdue["data"]["due_on"]) == (
        filed.tracking_number,
        "2026-03-11",
    )


async def test_the_list_filters_overdue_submissions(desk: Desk):
    late = await file_on(desk, date(2026, 3, 2))
    on_time = await file_on(desk, date(2026, 3, 10))
    done = await file_on(desk, date(2026, 3, 2))
    await desk.step_ok(done, "decision", {"decision": "reject", "ground": "not_consumption"})
    await file_on(desk, date(2026, 3, 2), UNCOVERED)

    desk.today(date(2026, 3, 12))
    assert [i["id"] for i in await desk.listed(overdue="true")] == [late.id]
    assert [i["id"] for i in await desk.listed(overdue="false")] == [on_time.id, done.id]
    assert [i["id"] for i in await desk.listed()] == [late.id, on_time.id, done.id]
    assert [i["id"] for i in await desk.listed(overdue="true", status="rejected")] == []


async def test_an_overdue_deadline_is_announced_once_then_the_next_one(desk: Desk, contracts):
    filed = await file_on(desk, date(2026, 3, 2))  # acceptance due 3-11

    desk.today(date(2026, 3, 11), hour=23)  # the due day itself is still in time
    assert await desk.announce_overdue() == 0
    desk.today(date(2026, 3, 12))
    assert await desk.announce_overdue() == 1
    assert await desk.announce_overdue() == 0

    [overdue] = await desk.events("submission.overdue")
    assert overdue["data"]["deadline"] == "acceptance"
    assert overdue["data"]["due_on"] == "2026-03-11"
    assert overdue["data"]["status"] == "submitted"
    assert overdue["data"]["tracking_number"] == filed.tracking_number

    shown = await desk.step_ok(filed, "decision", {"decision": "accept"})  # late, still allowed
    assert shown["due_on"] == "2026-05-19"  # 45 working days across 清明, 劳动节
    assert await desk.announce_overdue() == 0

    desk.today(date(2026, 5, 22))
    assert await desk.announce_overdue() == 1
    assert await desk.announce_overdue() == 0
    shown = await desk.step_ok(filed, "mediation/outcome", {"outcome": "mediation_failed"})
    assert (shown["running_deadline"], shown["due_on"]) == ("parties_notice", "2026-06-02")

    desk.today(date(2026, 6, 3))
    assert await desk.announce_overdue() == 1
    await desk.step_ok(filed, "close")
    desk.today(date(2026, 12, 31))
    assert await desk.announce_overdue() == 0

    announced = await desk.events("submission.overdue")
    assert [(e["data"]["deadline"], e["data"]["due_on"]) for e in announced] == [
        ("acceptance", "2026-03-11"),
        ("mediation", "2026-05-19"),
        ("parties_notice", "2026-06-02"),
    ]
    for event in await desk.events():
        contracts.check(event)


async def test_an_extended_deadline_is_announced_when_it_passes(desk: Desk):
    desk.today(date(2026, 4, 24))
    filed = await desk.file_report()  # decision due 5-19
    desk.today(date(2026, 5, 19))
    await desk.step_ok(filed, "extension", {"reason": "需要检验"})  # due 6-09
    desk.today(date(2026, 5, 20))
    assert await desk.announce_overdue() == 0

    desk.today(date(2026, 6, 10))
    assert await desk.announce_overdue() == 1
    assert await desk.announce_overdue() == 0
    announced = await desk.events("submission.overdue")
    assert [e["data"]["due_on"] for e in announced] == ["2026-06-09"]


async def test_old_announced_cases_do_not_hide_newly_overdue_ones(desk: Desk):
    """The scanner takes a batch at a time; cases it has announced must not fill the batch."""
    await file_on(desk, date(2026, 3, 2))  # due 3-11
    await file_on(desk, date(2026, 3, 3))  # due 3-12
    await file_on(desk, date(2026, 3, 4))  # due 3-13
    desk.today(date(2026, 3, 16))
    scanner = Principal(subject="test-scanner", role=Role.ADMIN)
    runs = []
    for _ in range(4):
        async with desk.svc.runtime.unit_of_work() as uow:
            ctx = Context(desk.svc.app.state.dependencies.policy, desk.clock(), scanner)
            runs.append(await announce_overdue(uow, ctx, limit=1))
            await uow.commit()
    assert runs == [1, 1, 1, 0]
    announced = await desk.events("submission.overdue")
    assert [e["data"]["due_on"] for e in announced] == ["2026-03-11", "2026-03-12", "2026-03-13"]


async def test_a_transfer_keeps_the_clock_running_and_moves_the_case(desk: Desk, contracts):
    filed = await file_on(desk, date(2026, 3, 2))  # due 3-11
    desk.today(date(2026, 3, 5))
    transfer = {"region_code": UNCOVERED, "reason": "被投诉人住所地在深圳市罗湖区"}
    shown = await desk.step_ok(filed, "transfer", transfer)
    assert (shown["handling_region_code"], shown["region_code"]) == (UNCOVERED, COVERED)
    assert (shown["status"], shown["due_on"]) == ("submitted", "2026-03-11")
    assert shown["history"][-1]["action"] == "transferred"
    assert shown["history"][-1]["detail"] == {
        "from": COVERED,
        "to": UNCOVERED,
        "reason": transfer["reason"],
    }

    problem(await desk.show(filed), 404)
    problem(await desk.act(filed, "decision", {"decision": "accept"}), 404)
    assert await desk.listed() == []
    theirs = (await desk.show(filed, as_=desk.other_regulator)).json()
    assert (theirs["running_deadline"], theirs["due_on"]) == ("acceptance", "2026-03-11")
    assert theirs["personal_data_masked"] is False

    desk.today(date(2026, 3, 12))
    [listed] = await desk.listed(overdue="true", as_=desk.other_regulator)
    assert (listed["id"], listed["due_on"]) == (filed.id, "2026-03-11")
    assert await desk.announce_overdue() == 1
    [overdue] = await desk.events("submission.overdue")
    assert overdue["data"]["handling_region_code"] == UNCOVERED
    contracts.check(overdue)

    accepted = await desk.act(filed, "decision", {"decision": "accept"}, as_=desk.other_regulator)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["due_on"] == "2026-05-19"  # 45 working days from 3-12


async def test_a_transfer_goes_somewhere_else_that_exists(desk: Desk):
    filed = await file_on(desk, date(2026, 3, 2))
    same = {"region_code": COVERED, "reason": "x"}
    assert pointers(problem(await desk.act(filed, "transfer", same), 422)) == ["#/region_code"]
    unknown = {"region_code": "449999", "reason": "x"}
    assert pointers(problem(await desk.act(filed, "transfer", unknown), 422)) == ["#/region_code"]
    assert (await desk.show(filed)).json()["handling_region_code"] == COVERED


async def test_a_deadline_in_an_unpublished_year_is_provisional_and_skips_new_year(desk: Desk):
    desk.today(date(2026, 12, 28))
    filed = await desk.file_complaint()
    # 12-29, 12-30, 12-31, (2027-01-01 元旦 off), 1-04, 1-05, 1-06, 1-07
    assert (filed.receipt["due_on"], filed.receipt["due_is_provisional"]) == ("2027-01-07", True)
    tracked = (await desk.track(filed)).json()
    assert (tracked["due_on"], tracked["due_is_provisional"]) == ("2027-01-07", True)
    [listed] = await desk.listed()
    assert listed["due_is_provisional"] is True

    report = await desk.file_report(report_body())
    assert report.receipt["due_is_provisional"] is True

    desk.today(date(2026, 12, 29))
    before_new_year = await desk.file_complaint()
    assert before_new_year.receipt["due_on"] == "2027-01-08"

    desk.today(date(2026, 12, 10))
    in_2026 = await desk.file_complaint()
    assert (in_2026.receipt["due_on"], in_2026.receipt["due_is_provisional"]) == (
        "2026-12-21",
        False,
    )
