"""The rules of a 12315 complaint (投诉) or report (举报): every step, every refusal, and the
deadline each state runs against, counted in working days under 市场监督管理投诉举报处理暂行办法.
Dates are counted by hand in the comments against the State Council's 2026 holiday notice."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest

from qgov_complaints.domain import (
    FINAL,
    MEDIATION_ENDED,
    Deadline,
    Kind,
    RuleViolation,
    State,
    Status,
    Step,
    accept,
    begin_verification,
    close,
    deadlines_at_filing,
    decide_report,
    end_mediation,
    extend,
    is_nearly_due,
    is_overdue,
    is_time_barred,
    rate,
    reject,
    running_deadline,
    start_mediation,
)
from qgov_complaints.policy import load_policy

POLICY = load_policy()

# Received Mon 2026-09-28; 7 working days: Sep 29, 30, [Oct 1-7 off], Oct 8, 9, Sat Oct 10
# (make-up), Mon 12, Tue 13.
RECEIVED = date(2026, 9, 28)
ACCEPTANCE_DUE = date(2026, 10, 13)


def complaint(status: Status = Status.SUBMITTED, **fields: object) -> State:
    values: dict = {"received_on": RECEIVED, **fields}
    values.setdefault("due", deadlines_at_filing(Kind.COMPLAINT, values["received_on"], POLICY))
    return State(kind=Kind.COMPLAINT, status=status, **values)


def report(status: Status = Status.SUBMITTED, **fields: object) -> State:
    values: dict = {"received_on": date(2026, 4, 28), **fields}
    values.setdefault("due", deadlines_at_filing(Kind.REPORT, values["received_on"], POLICY))
    return State(kind=Kind.REPORT, status=status, **values)


def after(state: State, step: Step) -> State:
    """The state a handler would persist after the step."""
    known = {f.name for f in dataclasses.fields(State)}
    return dataclasses.replace(
        state, status=step.status, **{k: v for k, v in step.changes.items() if k in known}
    )


# --- deadlines at filing ---------------------------------------------------------------------


def test_a_complaint_is_due_for_acceptance_7_working_days_after_receipt() -> None:
    assert deadlines_at_filing(Kind.COMPLAINT, RECEIVED, POLICY) == {
        Deadline.ACCEPTANCE: ACCEPTANCE_DUE
    }


def test_a_report_is_due_for_decision_15_working_days_after_receipt() -> None:
    # Received Tue 2026-04-28: Apr 29, 30, [May 1-5 off], May 6, 7, 8, Sat May 9 (make-up),
    # May 11-15, 18, 19, 20, Thu May 21 is the 15th.
    assert deadlines_at_filing(Kind.REPORT, date(2026, 4, 28), POLICY) == {
        Deadline.REPORT_DECISION: date(2026, 5, 21)
    }


def test_a_kind_read_back_as_a_plain_string_gets_the_same_deadlines() -> None:
    # The database stores kind and status as text; "complaint" must not count as a report.
    assert deadlines_at_filing("complaint", RECEIVED, POLICY) == {  # type: ignore[arg-type]
        Deadline.ACCEPTANCE: ACCEPTANCE_DUE
    }


# --- accepting a complaint -------------------------------------------------------------------


def test_accepting_starts_the_45_working_day_mediation_clock_on_the_acceptance_day() -> None:
    # Accepted Fri 2026-10-09 (not on receipt): Sat Oct 10 make-up (1), Oct 12-16 (2-6),
    # Oct 19-23 (7-11), Oct 26-30 (12-16), Nov 2-6 (17-21), Nov 9-13 (22-26),
    # Nov 16-20 (27-31), Nov 23-27 (32-36), Nov 30 - Dec 4 (37-41), Dec 7-10 (42-45).
    # Counted from receipt (Sep 28) it would have been Fri Dec 4.
    step = accept(complaint(), date(2026, 10, 9), POLICY)
    assert step.status is Status.ACCEPTED
    assert step.changes == {
        "accepted_on": date(2026, 10, 9),
        "due": {Deadline.ACCEPTANCE: ACCEPTANCE_DUE, Deadline.MEDIATION: date(2026, 12, 10)},
    }
    assert step.event == "complaint.accepted"
    assert step.event_data == {"accepted_on": "2026-10-09", "mediation_due_on": "2026-12-10"}


def test_accepting_the_day_after_receipt_across_national_day() -> None:
    # Accepted Tue 2026-09-29: Sep 30 (1), [Oct 1-7 off], Oct 8, 9, 10 (2-4), Oct 12-16 (5-9),
    # Oct 19-23 (10-14), Oct 26-30 (15-19), Nov 2-6 (20-24), Nov 9-13 (25-29),
    # Nov 16-20 (30-34), Nov 23-27 (35-39), Nov 30 - Dec 4 (40-44), Mon Dec 7 (45).
    step = accept(complaint(), date(2026, 9, 29), POLICY)
    assert step.changes["due"][Deadline.MEDIATION] == date(2026, 12, 7)


# --- rejecting a complaint -------------------------------------------------------------------


@pytest.mark.parametrize(
    "ground",
    [
        "outside_duties",  # 不属于职责 / 无处理权限
        "already_handled",  # 已受理或者处理过同一争议
        "not_consumption",  # 非生活消费 / 无消费者权益争议
        "time_barred",  # 超过三年 (the harm below was known in 2020)
        "materials_missing",  # 未提供必要材料
        "other_legal_ground",  # 其他不予受理情形
    ],
)
def test_a_complaint_can_be_rejected_on_each_statutory_ground(ground: str) -> None:
    state = complaint(known_harm_on=date(2020, 6, 1))
    step = reject(state, ground, date(2026, 10, 8), POLICY)
    assert step.status is Status.REJECTED
    assert step.changes == {"decided_on": date(2026, 10, 8), "ground": ground}
    assert step.event == "complaint.rejected"
    assert step.event_data == {"ground": ground, "rejected_on": "2026-10-08"}


@pytest.mark.parametrize(
    "ground",
    [
        "bored",  # not a code at all
        "withdrawn_or_settled",  # a termination reason, not a rejection ground
        "不属于市场监督管理部门职责，或者本行政机关不具有处理权限",  # the text, not the code
        "",
        "Outside_Duties",  # codes are exact
    ],
)
def test_an_unknown_rejection_ground_is_refused_on_the_ground_field(ground: str) -> None:
    with pytest.raises(RuleViolation, match="unknown rejection ground") as refused:
        reject(complaint(), ground, date(2026, 10, 8), POLICY)
    assert refused.value.field == "ground"


@pytest.mark.parametrize(
    ("known_harm_on", "received_on", "barred"),
    [
        # limitation_years: barred only when MORE than 3 years have passed. The period runs from
        # the day after the harm was known (民法典 第二百零一条) and ends on the
        # corresponding day 3 years on (第二百零二条), which is still within time.
        (date(2023, 5, 10), date(2026, 5, 10), False),  # exactly 3 years: not barred
        (date(2023, 5, 10), date(2026, 5, 11), True),  # one day more: barred
        (date(2023, 5, 11), date(2026, 5, 10), False),  # one day short of 3 years
        (date(2025, 1, 1), date(2026, 5, 10), False),  # well within time
        (date(2019, 12, 31), date(2026, 5, 10), True),  # long past
        (date(2026, 5, 10), date(2026, 5, 10), False),  # filed the day the harm was known
        # 29 February: 2027 has no corresponding day, so the period ends on the month's last
        # day, 28 February 2027 (第二百零二条); 1 March is already more than 3 years.
        (date(2024, 2, 29), date(2027, 2, 28), False),
        (date(2024, 2, 29), date(2027, 3, 1), True),
        # Into a leap year, 28 February still corresponds to 28 February.
        (date(2021, 2, 28), date(2024, 2, 28), False),
        (date(2021, 2, 28), date(2024, 2, 29), True),
        # 29 February to 29 February over a leap cycle is 4 years: barred.
        (date(2020, 2, 29), date(2024, 2, 29), True),
    ],
)
def test_time_barred_only_after_more_than_3_years(
    known_harm_on: date, received_on: date, barred: bool
) -> None:
    state = State(Kind.COMPLAINT, Status.SUBMITTED, received_on, known_harm_on=known_harm_on)
    assert is_time_barred(state, POLICY) is barred
    if barred:
        assert reject(state, "time_barred", received_on, POLICY).status is Status.REJECTED
    else:
        with pytest.raises(RuleViolation, match="not time-barred") as refused:
            reject(state, "time_barred", received_on, POLICY)
        assert refused.value.field == "ground"


def test_a_complaint_without_a_known_harm_date_is_not_time_barred() -> None:
    state = complaint(known_harm_on=None)
    assert not is_time_barred(state, POLICY)
    with pytest.raises(RuleViolation) as refused:
        reject(state, "time_barred", date(2026, 10, 8), POLICY)
    assert refused.value.field == "ground"


def test_other_grounds_need_no_known_harm_date() -> None:
    assert reject(complaint(), "materials_missing", date(2026, 9, 29), POLICY).status is (
        Status.REJECTED
    )


# --- mediation -------------------------------------------------------------------------------


def test_an_accepted_complaint_goes_to_mediation_without_an_announcement() -> None:
    step = start_mediation(complaint(Status.ACCEPTED))
    assert step == Step(Status.MEDIATING, {}, None)


@pytest.mark.parametrize(
    ("from_status", "outcome", "reason"),
    [
        # An agreement is reached in mediation.
        (Status.MEDIATING, Status.MEDIATED, None),
        # Mediation was tried and failed.
        (Status.MEDIATING, Status.MEDIATION_FAILED, None),
        # Mediation could not even start (e.g. the respondent would not take part).
        (Status.ACCEPTED, Status.MEDIATION_FAILED, None),
        # termination_reasons: ended on a coded reason, before or during mediation.
        (Status.ACCEPTED, Status.TERMINATED, "withdrawn_or_settled"),
        (Status.MEDIATING, Status.TERMINATED, "time_limit"),
    ],
)
def test_mediation_ends_with_a_parties_notice_deadline(
    from_status: Status, outcome: Status, reason: str | None
) -> None:
    # Ended Wed 2026-09-30; the parties are told within 7 working days:
    # [Oct 1-7 off], Oct 8 (1), 9 (2), Sat Oct 10 make-up (3), Oct 12 (4), 13 (5), 14 (6),
    # Thu Oct 15 (7).
    state = complaint(from_status, due={Deadline.MEDIATION: date(2026, 12, 10)})
    step = end_mediation(state, outcome, date(2026, 9, 30), POLICY, reason)
    assert step.status is outcome
    assert step.event is None
    assert step.changes == {
        "mediation_ended_on": date(2026, 9, 30),
        "termination_reason": reason,
        "due": {
            Deadline.MEDIATION: date(2026, 12, 10),
            Deadline.PARTIES_NOTICE: date(2026, 10, 15),
        },
    }


@pytest.mark.parametrize(
    "reason",
    [
        "withdrawn_or_settled",
        "party_refuses",
        "no_agreement",
        "time_limit",
        "inadmissible_found",
        "testing_disagreement",
        "other_legal_ground",
    ],
)
def test_every_coded_termination_reason_is_accepted(reason: str) -> None:
    step = end_mediation(
        complaint(Status.MEDIATING), Status.TERMINATED, date(2026, 11, 2), POLICY, reason
    )
    assert step.status is Status.TERMINATED
    assert step.changes["termination_reason"] == reason


@pytest.mark.parametrize("from_status", [Status.ACCEPTED, Status.MEDIATING])
@pytest.mark.parametrize(
    "reason",
    [
        None,  # no reason given
        "",
        "bored",  # not a code
        "time_barred",  # a rejection ground, not a termination reason
        "投诉人撤回投诉",  # the text, not the code
    ],
)
def test_a_termination_needs_a_coded_reason(from_status: Status, reason: str | None) -> None:
    with pytest.raises(RuleViolation, match="coded reasons") as refused:
        end_mediation(complaint(from_status), Status.TERMINATED, date(2026, 11, 2), POLICY, reason)
    assert refused.value.field == "reason"


def test_an_agreement_without_a_mediation_is_refused() -> None:
    with pytest.raises(RuleViolation, match="mediation to have started") as refused:
        end_mediation(complaint(Status.ACCEPTED), Status.MEDIATED, date(2026, 11, 2), POLICY)
    assert refused.value.field == "outcome"


def test_an_outcome_read_back_as_a_plain_string_is_checked_like_the_enum() -> None:
    # "mediated" from accepted and "terminated" without a reason must not slip through.
    with pytest.raises(RuleViolation) as refused:
        end_mediation(complaint(Status.ACCEPTED), "mediated", date(2026, 11, 2), POLICY)  # type: ignore[arg-type]
    assert refused.value.field == "outcome"
    with pytest.raises(RuleViolation) as refused:
        end_mediation(complaint(Status.MEDIATING), "terminated", date(2026, 11, 2), POLICY)  # type: ignore[arg-type]
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    "outcome",
    [Status.CLOSED, Status.ACCEPTED, Status.MEDIATING, Status.REJECTED, Status.CASE_OPENED],
)
def test_mediation_cannot_end_in_a_status_that_is_not_a_mediation_end(outcome: Status) -> None:
    with pytest.raises(RuleViolation) as refused:
        end_mediation(
            complaint(Status.MEDIATING), outcome, date(2026, 11, 2), POLICY, "withdrawn_or_settled"
        )
    assert refused.value.field == "outcome"


# --- closing and rating ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (Status.MEDIATED, None),
        (Status.MEDIATION_FAILED, None),
        (Status.TERMINATED, "party_refuses"),
    ],
)
def test_a_complaint_is_closed_from_each_mediation_end(outcome: Status, reason: str | None) -> None:
    mediating = complaint(Status.MEDIATING)
    ended = after(mediating, end_mediation(mediating, outcome, date(2026, 9, 30), POLICY, reason))
    # While the parties have not been told, the complaint runs against the notice deadline.
    assert running_deadline(ended) == (Deadline.PARTIES_NOTICE, date(2026, 10, 15))
    step = close(ended, date(2026, 10, 12))
    assert step.status is Status.CLOSED
    assert step.changes == {"closed_on": date(2026, 10, 12), "outcome": outcome.value}
    assert step.event == "complaint.closed"
    assert step.event_data == {"outcome": outcome.value, "closed_on": "2026-10-12"}
    assert running_deadline(after(ended, step)) is None


@pytest.mark.parametrize("satisfaction", [1, 2, 3, 4, 5])
def test_a_closed_complaint_is_rated_from_1_to_5(satisfaction: int) -> None:
    step = rate(complaint(Status.CLOSED), satisfaction)
    assert step == Step(Status.CLOSED, {"satisfaction": satisfaction}, None)


@pytest.mark.parametrize("satisfaction", [0, 6, -1, 10])
def test_a_rating_outside_1_to_5_is_refused(satisfaction: int) -> None:
    with pytest.raises(RuleViolation, match="1 to 5") as refused:
        rate(complaint(Status.CLOSED), satisfaction)
    assert refused.value.field == "satisfaction"


def test_a_complaint_is_rated_only_once() -> None:
    closed = complaint(Status.CLOSED)
    rated = after(closed, rate(closed, 4))
    assert rated.satisfaction == 4
    with pytest.raises(RuleViolation, match="already been rated") as refused:
        rate(rated, 5)
    assert refused.value.field is None  # a conflict with the case's state: 409, not 422


def test_a_complaint_from_filing_to_rating() -> None:
    state = complaint()
    state = after(state, accept(state, date(2026, 9, 29), POLICY))
    assert state.status is Status.ACCEPTED
    state = after(state, start_mediation(state))
    state = after(state, end_mediation(state, Status.MEDIATED, date(2026, 10, 20), POLICY))
    state = after(state, close(state, date(2026, 10, 22)))
    state = after(state, rate(state, 5))
    assert (state.status, state.satisfaction) == (Status.CLOSED, 5)
    assert state.status in FINAL


# --- reports ---------------------------------------------------------------------------------


def test_a_report_goes_to_verification_without_an_announcement() -> None:
    assert begin_verification(report()) == Step(Status.VERIFYING, {}, None)


@pytest.mark.parametrize(
    ("case_opened", "status", "event"),
    [
        (True, Status.CASE_OPENED, "report.case_opened"),
        (False, Status.NOT_OPENED, "report.not_opened"),
    ],
)
def test_a_verified_report_is_decided_with_a_reason(
    case_opened: bool, status: Status, event: str
) -> None:
    step = decide_report(
        report(Status.VERIFYING), case_opened, "涉嫌销售不合格产品", date(2026, 5, 20)
    )
    assert step.status is status
    assert step.changes == {
        "decided_on": date(2026, 5, 20),
        "decision_reason": "涉嫌销售不合格产品",
    }
    assert step.event == event
    assert step.event_data == {"decided_on": "2026-05-20"}


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_decision_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(RuleViolation, match="reason") as refused:
        decide_report(report(Status.VERIFYING), False, reason, date(2026, 5, 20))
    assert refused.value.field == "reason"


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.VERIFYING])
def test_an_extension_adds_15_working_days_to_the_current_due_date(status: Status) -> None:
    # Due Thu 2026-05-21 (15 working days after receipt on Apr 28). Extended by 15 working
    # days from that date, not from today: May 22 (1), May 25-29 (2-6), Jun 1-5 (7-11),
    # Jun 8 (12), 9 (13), 10 (14), Thu Jun 11 (15).
    state = report(status)
    step = extend(state, "需要检验检测", date(2026, 5, 20), POLICY)
    assert step.status is status
    assert step.event is None
    assert step.changes == {
        "extended": True,
        "extension_reason": "需要检验检测",
        "due": {Deadline.REPORT_DECISION: date(2026, 6, 11)},
    }


def test_an_extension_across_dragon_boat_counts_from_the_current_due_date() -> None:
    # A current due date of Wed 2026-06-10: Jun 11, 12 (1-2), Jun 15-18 (3-6),
    # [Fri Jun 19 Dragon Boat off], Jun 22-26 (7-11), Jun 29, 30, Jul 1, Thu Jul 2 (12-15).
    state = report(Status.VERIFYING, due={Deadline.REPORT_DECISION: date(2026, 6, 10)})
    assert extend(state, "案情复杂", date(2026, 6, 1), POLICY).changes["due"] == {
        Deadline.REPORT_DECISION: date(2026, 7, 2)
    }


def test_a_report_is_extended_only_once() -> None:
    state = report(Status.VERIFYING)
    extended = after(state, extend(state, "需要检验检测", date(2026, 5, 20), POLICY))
    assert extended.extended
    assert running_deadline(extended) == (Deadline.REPORT_DECISION, date(2026, 6, 11))
    with pytest.raises(RuleViolation, match="only once") as refused:
        extend(extended, "还需要更多时间", date(2026, 5, 21), POLICY)
    assert refused.value.field is None


def test_an_extension_must_be_approved_before_the_deadline_passes() -> None:
    state = report(Status.VERIFYING)  # due Thu 2026-05-21
    assert extend(state, "案情复杂", date(2026, 5, 21), POLICY).changes["extended"]
    with pytest.raises(RuleViolation, match="has passed") as refused:
        extend(state, "案情复杂", date(2026, 5, 22), POLICY)
    assert refused.value.field is None


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_extension_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(RuleViolation, match="reason") as refused:
        extend(report(Status.VERIFYING), reason, date(2026, 5, 20), POLICY)
    assert refused.value.field == "reason"


def test_a_report_from_filing_to_decision() -> None:
    state = report()
    state = after(state, begin_verification(state))
    state = after(state, extend(state, "需要检验检测", date(2026, 5, 20), POLICY))
    step = decide_report(state, True, "立案调查", date(2026, 6, 1))
    assert after(state, step).status is Status.CASE_OPENED
    assert step.status in FINAL


# --- wrong kind or wrong state ---------------------------------------------------------------

TODAY = date(2026, 10, 12)
ACTIONS: dict[str, tuple[Callable[[State], Step], Kind, frozenset[Status]]] = {
    "accept": (lambda s: accept(s, TODAY, POLICY), Kind.COMPLAINT, frozenset({Status.SUBMITTED})),
    "reject": (
        lambda s: reject(s, "outside_duties", TODAY, POLICY),
        Kind.COMPLAINT,
        frozenset({Status.SUBMITTED}),
    ),
    "start_mediation": (start_mediation, Kind.COMPLAINT, frozenset({Status.ACCEPTED})),
    "end_mediation": (
        lambda s: end_mediation(s, Status.MEDIATION_FAILED, TODAY, POLICY),
        Kind.COMPLAINT,
        frozenset({Status.ACCEPTED, Status.MEDIATING}),
    ),
    "close": (lambda s: close(s, TODAY), Kind.COMPLAINT, MEDIATION_ENDED),
    "rate": (lambda s: rate(s, 4), Kind.COMPLAINT, frozenset({Status.CLOSED})),
    "begin_verification": (begin_verification, Kind.REPORT, frozenset({Status.SUBMITTED})),
    "extend": (
        lambda s: extend(s, "需要检验检测", date(2026, 5, 20), POLICY),
        Kind.REPORT,
        frozenset({Status.SUBMITTED, Status.VERIFYING}),
    ),
    "decide_report": (
        lambda s: decide_report(s, True, "立案调查", TODAY),
        Kind.REPORT,
        frozenset({Status.VERIFYING}),
    ),
}
ALL_DUE = {
    Deadline.ACCEPTANCE: ACCEPTANCE_DUE,
    Deadline.MEDIATION: date(2026, 12, 10),
    Deadline.PARTIES_NOTICE: date(2026, 12, 21),
    Deadline.REPORT_DECISION: date(2026, 10, 23),
}


def _any_state(kind: Kind, status: Status) -> State:
    return State(kind, status, RECEIVED, known_harm_on=date(2020, 1, 1), due=dict(ALL_DUE))


@pytest.mark.parametrize(
    ("action", "kind", "status"),
    [
        (action, kind, status)
        for action, (_, allowed_kind, allowed) in ACTIONS.items()
        for kind in Kind
        for status in Status
        if not (kind is allowed_kind and status in allowed)
    ],
)
def test_a_step_on_the_wrong_kind_or_in_the_wrong_state_is_refused(
    action: str, kind: Kind, status: Status
) -> None:
    run = ACTIONS[action][0]
    with pytest.raises(RuleViolation, match=r"^(only a|cannot)") as refused:
        run(_any_state(kind, status))
    assert refused.value.field is None


@pytest.mark.parametrize(
    ("action", "kind", "status"),
    [
        (action, kind, status)
        for action, (_, kind, allowed) in ACTIONS.items()
        for status in sorted(allowed)
    ],
)
def test_the_same_steps_are_allowed_in_their_own_state(
    action: str, kind: Kind, status: Status
) -> None:
    # The counterpart of the refusals above, so that they do not pass vacuously.
    assert isinstance(ACTIONS[action][0](_any_state(kind, status)), Step)


def test_a_state_read_back_with_plain_strings_is_not_taken_for_another_kind() -> None:
    state = State("complaint", "submitted", RECEIVED, due=dict(ALL_DUE))  # type: ignore[arg-type]
    assert running_deadline(state) == (Deadline.ACCEPTANCE, ACCEPTANCE_DUE)
    assert accept(state, TODAY, POLICY).status is Status.ACCEPTED


# --- the running deadline --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "deadline"),
    [
        (Kind.COMPLAINT, Status.SUBMITTED, Deadline.ACCEPTANCE),  # 7 days to accept or reject
        (Kind.COMPLAINT, Status.ACCEPTED, Deadline.MEDIATION),  # 45 days to mediate
        (Kind.COMPLAINT, Status.MEDIATING, Deadline.MEDIATION),
        (Kind.COMPLAINT, Status.MEDIATED, Deadline.PARTIES_NOTICE),  # 7 days to tell them
        (Kind.COMPLAINT, Status.MEDIATION_FAILED, Deadline.PARTIES_NOTICE),
        (Kind.COMPLAINT, Status.TERMINATED, Deadline.PARTIES_NOTICE),
        (Kind.COMPLAINT, Status.REJECTED, None),  # final: nothing runs
        (Kind.COMPLAINT, Status.CLOSED, None),
        (Kind.REPORT, Status.SUBMITTED, Deadline.REPORT_DECISION),  # 15 days to decide
        (Kind.REPORT, Status.VERIFYING, Deadline.REPORT_DECISION),
        (Kind.REPORT, Status.CASE_OPENED, None),
        (Kind.REPORT, Status.NOT_OPENED, None),
    ],
)
def test_the_running_deadline_follows_the_state(
    kind: Kind, status: Status, deadline: Deadline | None
) -> None:
    expected = None if deadline is None else (deadline, ALL_DUE[deadline])
    assert running_deadline(_any_state(kind, status)) == expected


def test_no_running_deadline_when_its_date_was_never_set() -> None:
    # Accepted, but the mediation due date is missing: nothing to run against, no crash.
    state = complaint(Status.ACCEPTED, due={Deadline.ACCEPTANCE: ACCEPTANCE_DUE})
    assert running_deadline(state) is None
    assert not is_overdue(state, date(2027, 1, 1))
    assert not is_nearly_due(state, date(2026, 10, 12), POLICY)


# --- overdue and nearly due ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2026, 10, 12), False),  # the day before the due date
        (ACCEPTANCE_DUE, False),  # on the due date itself there is still time
        (date(2026, 10, 14), True),  # the day after
        (date(2026, 12, 31), True),
    ],
)
def test_overdue_only_after_the_due_date(today: date, overdue: bool) -> None:
    assert is_overdue(complaint(), today) is overdue


@pytest.mark.parametrize("status", sorted(FINAL))
def test_a_final_submission_is_never_overdue(status: Status) -> None:
    kind = Kind.REPORT if status in {Status.CASE_OPENED, Status.NOT_OPENED} else Kind.COMPLAINT
    assert not is_overdue(_any_state(kind, status), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("today", "due", "nearly"),
    [
        # Due Tue 2026-03-17.
        (date(2026, 3, 12), date(2026, 3, 17), False),  # Thu: Fri, Mon, Tue left = 3
        (date(2026, 3, 13), date(2026, 3, 17), True),  # Fri: Mon, Tue left = 2 (weekend skipped)
        (date(2026, 3, 14), date(2026, 3, 17), True),  # Sat: Mon, Tue left = 2
        (date(2026, 3, 16), date(2026, 3, 17), True),  # Mon: Tue left = 1
        (date(2026, 3, 17), date(2026, 3, 17), True),  # the due date itself: 0 left
        (date(2026, 3, 18), date(2026, 3, 17), False),  # past due: overdue, not nearly due
        # Due Fri 2026-10-09, after National Day.
        (date(2026, 9, 29), date(2026, 10, 9), False),  # Tue: Sep 30, Oct 8, Oct 9 = 3
        (date(2026, 9, 30), date(2026, 10, 9), True),  # Wed: Oct 8, 9 = 2, 9 calendar days
        # Due Mon 2026-02-16 would be a holiday; take Tue Feb 24 after the Spring Festival.
        (date(2026, 2, 13), date(2026, 2, 24), True),  # Fri: Sat 14 make-up, Tue 24 = 2
        (date(2026, 2, 12), date(2026, 2, 24), False),  # Thu: Fri 13, Sat 14, Tue 24 = 3
    ],
)
def test_nearly_due_within_2_working_days(today: date, due: date, nearly: bool) -> None:
    state = complaint(due={Deadline.ACCEPTANCE: due})
    assert is_nearly_due(state, today, POLICY) is nearly


def test_a_final_submission_is_never_nearly_due() -> None:
    state = _any_state(Kind.COMPLAINT, Status.CLOSED)
    assert not is_nearly_due(state, date(2026, 12, 20), POLICY)


@pytest.mark.parametrize("outcome", [Status.MEDIATED, Status.MEDIATION_FAILED])
def test_only_a_termination_keeps_a_termination_reason(outcome: Status) -> None:
    step = end_mediation(
        complaint(Status.MEDIATING), outcome, date(2026, 11, 2), POLICY, "no_agreement"
    )
    assert step.changes["termination_reason"] is None
