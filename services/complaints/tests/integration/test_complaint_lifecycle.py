"""A complaint from filing to closing and rating, through the API, with the working-day
deadlines the policy gives (National Day 2026 and its make-up workdays included)."""

from __future__ import annotations

from datetime import date

import pytest

from qgov_complaints.policy import load_policy
from qgov_shared.testing.problems import pointers, problem

from .conftest import CODE, Desk, Filed, complaint_body

POLICY = load_policy()
TERMINATION_REASONS = sorted(POLICY.termination_reasons)
GROUNDS_ALWAYS_OPEN = sorted(set(POLICY.rejection_grounds) - {"time_barred"})


async def accepted(desk: Desk, filed_on: date = date(2026, 3, 2)) -> Filed:
    desk.today(filed_on)
    filed = await desk.file_complaint()
    await desk.step_ok(filed, "decision", {"decision": "accept"})
    return filed


def check_all(contracts, events: list[dict]) -> None:
    for event in events:
        contracts.check(event)
        assert event["subject"] == CODE
        assert event["source"] == "/qgov/complaints"


async def test_filed_before_national_day_the_acceptance_is_due_after_it(desk: Desk, contracts):
    desk.today(date(2026, 9, 28))
    filed = await desk.file_complaint()

    # 9-29, 9-30, (10-01..10-07 off), 10-08, 10-09, Saturday 10-10 (调休上班), 10-12, 10-13
    assert filed.receipt["kind"] == "complaint"
    assert filed.receipt["status"] == "submitted"
    assert filed.receipt["due_on"] == "2026-10-13"
    assert filed.receipt["due_is_provisional"] is False
    assert filed.tracking_number.startswith("T20260928")
    tracked = (await desk.track(filed)).json()
    assert (tracked["running_deadline"], tracked["due_on"]) == ("acceptance", "2026-10-13")

    [event] = await desk.events("complaint.filed")
    assert event["data"]["received_on"] == "2026-09-28"
    assert event["data"]["due_on"] == "2026-10-13"
    assert event["data"]["amount"] == "1299.00"
    check_all(contracts, [event])


async def test_a_complaint_mediated_to_an_agreement_and_closed(desk: Desk, contracts):
    desk.today(date(2026, 9, 28))
    filed = await desk.file_complaint()

    desk.today(date(2026, 9, 30))
    shown = await desk.step_ok(filed, "decision", {"decision": "accept"})
    # 45 working days after 9-30 across the Golden Week and its two make-up Saturdays
    assert (shown["status"], shown["running_deadline"]) == ("accepted", "mediation")
    assert shown["due_on"] == "2026-12-08"

    desk.today(date(2026, 10, 8))
    shown = await desk.step_ok(filed, "mediation/start")
    assert (shown["status"], shown["due_on"]) == ("mediating", "2026-12-08")

    desk.today(date(2026, 10, 9))
    shown = await desk.step_ok(
        filed, "mediation/outcome", {"outcome": "mediated", "agreement": "退款 1000 元"}
    )
    # the parties are told within 7 working days; Saturday 10-10 is one of them
    assert (shown["status"], shown["running_deadline"]) == ("mediated", "parties_notice")
    assert shown["due_on"] == "2026-10-19"

    desk.today(date(2026, 10, 12))
    shown = await desk.step_ok(filed, "close")
    assert (shown["status"], shown["outcome"]) == ("closed", "mediated")
    assert (shown["running_deadline"], shown["due_on"]) == (None, None)

    tracked = (await desk.track(filed)).json()
    assert [h["action"] for h in tracked["history"]] == [
        "filed",
        "accepted",
        "mediation_started",
        "mediated",
        "closed",
    ]
    assert tracked["outcome"] == "mediated"

    events = await desk.events()
    assert [e["type"].split(".", 2)[2] for e in events] == [
        "complaint.filed.v1",
        "complaint.accepted.v1",
        "complaint.closed.v1",
    ]
    accepted_event, closed_event = events[1]["data"], events[2]["data"]
    assert accepted_event["accepted_on"] == "2026-09-30"
    assert accepted_event["mediation_due_on"] == "2026-12-08"
    assert (closed_event["outcome"], closed_event["closed_on"]) == ("mediated", "2026-10-12")
    check_all(contracts, events)


async def test_a_failed_mediation_is_closed_with_that_outcome(desk: Desk, contracts):
    filed = await accepted(desk)
    desk.today(date(2026, 3, 4))
    await desk.step_ok(filed, "mediation/start")
    shown = await desk.step_ok(filed, "mediation/outcome", {"outcome": "mediation_failed"})
    assert (shown["status"], shown["due_on"]) == ("mediation_failed", "2026-03-13")

    shown = await desk.step_ok(filed, "close")
    assert (shown["status"], shown["outcome"]) == ("closed", "mediation_failed")
    [closed] = await desk.events("complaint.closed")
    assert closed["data"]["outcome"] == "mediation_failed"
    check_all(contracts, await desk.events())


async def test_an_agreement_needs_a_mediation_that_started(desk: Desk):
    filed = await accepted(desk)
    body = problem(await desk.act(filed, "mediation/outcome", {"outcome": "mediated"}), 422)
    assert pointers(body) == ["#/outcome"]
    assert (await desk.show(filed)).json()["status"] == "accepted"


@pytest.mark.parametrize("reason", TERMINATION_REASONS)
async def test_mediation_is_terminated_on_a_coded_reason(desk: Desk, contracts, reason):
    filed = await accepted(desk)
    shown = await desk.step_ok(
        filed, "mediation/outcome", {"outcome": "terminated", "reason": reason}
    )
    assert (shown["status"], shown["termination_reason"]) == ("terminated", reason)
    assert shown["running_deadline"] == "parties_notice"

    shown = await desk.step_ok(filed, "close")
    assert (shown["status"], shown["outcome"]) == ("closed", "terminated")
    check_all(contracts, await desk.events())


@pytest.mark.parametrize("reason", [None, "", "bored"])
async def test_a_termination_without_a_coded_reason_is_refused(desk: Desk, reason):
    filed = await accepted(desk)
    body = {"outcome": "terminated", **({"reason": reason} if reason is not None else {})}
    refused = problem(await desk.act(filed, "mediation/outcome", body), 422)
    assert pointers(refused) == ["#/reason"]
    shown = (await desk.show(filed)).json()
    assert (shown["status"], shown["termination_reason"]) == ("accepted", None)


@pytest.mark.parametrize("ground", GROUNDS_ALWAYS_OPEN)
async def test_a_complaint_is_rejected_on_a_ground(desk: Desk, contracts, ground):
    filed = await desk.file_complaint()
    desk.today(date(2026, 3, 4))
    shown = await desk.step_ok(filed, "decision", {"decision": "reject", "ground": ground})
    assert (shown["status"], shown["ground"]) == ("rejected", ground)
    assert (shown["running_deadline"], shown["due_on"]) == (None, None)
    assert (await desk.track(filed)).json()["ground"] == ground

    [rejected] = await desk.events("complaint.rejected")
    assert rejected["data"]["ground"] == ground
    assert rejected["data"]["rejected_on"] == "2026-03-04"
    check_all(contracts, await desk.events())


@pytest.mark.parametrize("ground", [None, "", "dont_like_it"])
async def test_a_rejection_needs_a_known_ground(desk: Desk, ground):
    filed = await desk.file_complaint()
    body = {"decision": "reject", **({"ground": ground} if ground is not None else {})}
    assert pointers(problem(await desk.act(filed, "decision", body), 422)) == ["#/ground"]
    assert (await desk.show(filed)).json()["status"] == "submitted"
    assert await desk.events("complaint.rejected") == []


@pytest.mark.parametrize("known_harm_on", ["2023-03-02", "2024-06-01", "2026-02-01"])
async def test_time_barred_is_refused_within_three_years(desk: Desk, known_harm_on):
    desk.today(date(2026, 3, 2))
    filed = await desk.file_complaint(known_harm_on=known_harm_on)
    reject = {"decision": "reject", "ground": "time_barred"}
    refused = problem(await desk.act(filed, "decision", reject), 422)
    assert pointers(refused) == ["#/ground"]
    assert (await desk.show(filed)).json()["status"] == "submitted"


@pytest.mark.parametrize("known_harm_on", ["2023-03-01", "2020-01-15"])
async def test_time_barred_is_accepted_after_three_years(desk: Desk, contracts, known_harm_on):
    desk.today(date(2026, 3, 2))
    filed = await desk.file_complaint(known_harm_on=known_harm_on)
    shown = await desk.step_ok(filed, "decision", {"decision": "reject", "ground": "time_barred"})
    assert (shown["status"], shown["ground"]) == ("rejected", "time_barred")
    check_all(contracts, await desk.events())


async def test_time_barred_needs_a_known_harm_date(desk: Desk):
    filed = await desk.file_complaint(complaint_body(known_harm_on=None))
    reject = {"decision": "reject", "ground": "time_barred"}
    assert pointers(problem(await desk.act(filed, "decision", reject), 422)) == ["#/ground"]


WRONG_STEPS = [
    # (steps taken first, the step that does not fit, its body)
    ([], "mediation/start", None),
    ([], "mediation/outcome", {"outcome": "mediation_failed"}),
    ([], "close", None),
    ([], "verification", None),
    ([], "extension", {"reason": "复杂"}),
    ([], "report-decision", {"case_opened": True, "reason": "违法"}),
    (["accept"], "decision", {"decision": "accept"}),
    (["accept"], "decision", {"decision": "reject", "ground": "outside_duties"}),
    (["accept"], "close", None),
    (["accept", "start"], "mediation/start", None),
    (["accept", "start", "fail"], "mediation/outcome", {"outcome": "mediation_failed"}),
    (["accept", "start", "fail", "close"], "close", None),
    (["accept", "start", "fail", "close"], "transfer", {"region_code": "440303", "reason": "x"}),
    (["reject"], "decision", {"decision": "accept"}),
    (["reject"], "mediation/start", None),
]
SETUP = {
    "accept": ("decision", {"decision": "accept"}),
    "reject": ("decision", {"decision": "reject", "ground": "outside_duties"}),
    "start": ("mediation/start", None),
    "fail": ("mediation/outcome", {"outcome": "mediation_failed"}),
    "close": ("close", None),
}


@pytest.mark.parametrize(("before", "step", "body"), WRONG_STEPS)
async def test_a_step_the_procedure_does_not_allow_now_is_a_409(desk: Desk, before, step, body):
    filed = await desk.file_complaint()
    for name in before:
        await desk.step_ok(filed, *SETUP[name])
    status_before = (await desk.show(filed)).json()["status"]
    events_before = len(await desk.events())

    refused = problem(await desk.act(filed, step, body), 409)
    assert refused["instance"] == f"/api/v1/submissions/{filed.id}/{step}"
    assert refused["detail"]
    assert (await desk.show(filed)).json()["status"] == status_before
    assert len(await desk.events()) == events_before


async def test_a_closed_complaint_is_rated_once(desk: Desk):
    filed = await accepted(desk)
    assert problem(await desk.rate(filed, 5), 409)["detail"]

    await desk.step_ok(filed, "mediation/outcome", {"outcome": "mediation_failed"})
    assert problem(await desk.rate(filed, 5), 409)["detail"]  # mediation ended, not closed yet
    await desk.step_ok(filed, "close")

    assert pointers(problem(await desk.rate(filed, 6), 422)) == ["#/satisfaction"]
    rated = await desk.rate(filed, 4)
    assert rated.status_code == 200, rated.text
    assert rated.json()["satisfaction"] == 4
    assert rated.json()["history"][-1]["action"] == "rated"

    problem(await desk.rate(filed, 1), 409)
    assert (await desk.track(filed)).json()["satisfaction"] == 4
    assert (await desk.show(filed)).json()["satisfaction"] == 4


async def test_a_report_cannot_be_rated(desk: Desk):
    filed = await desk.file_report()
    problem(await desk.rate(filed, 5), 409)
