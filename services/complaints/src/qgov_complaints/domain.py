"""The rules of a 12315 submission, free of I/O: which step may follow which, what each step
must carry, and the deadline each state runs against (all counted in working days).

Each step takes the submission's current `State` and returns a `Step`: the new status, the
fields that change, and the fact to announce. The handlers persist it and publish the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from qgov_complaints.policy import Policy
from qgov_shared.errors import NotFound, RuleViolation


class SubmissionNotFound(NotFound):
    """No such submission, or none the caller may know of."""

    what = "submission"


class Kind(StrEnum):
    COMPLAINT = "complaint"  # 投诉: a consumer dispute, mediated
    REPORT = "report"  # 举报: a tip about a violation, verified


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MEDIATING = "mediating"
    MEDIATED = "mediated"
    MEDIATION_FAILED = "mediation_failed"
    TERMINATED = "terminated"
    CLOSED = "closed"
    VERIFYING = "verifying"
    CASE_OPENED = "case_opened"
    NOT_OPENED = "not_opened"


FINAL = frozenset({Status.REJECTED, Status.CLOSED, Status.CASE_OPENED, Status.NOT_OPENED})
MEDIATION_ENDED = frozenset({Status.MEDIATED, Status.MEDIATION_FAILED, Status.TERMINATED})


class Deadline(StrEnum):
    ACCEPTANCE = "acceptance"  # accept or reject a complaint
    MEDIATION = "mediation"  # reach an agreement, or end mediation
    PARTIES_NOTICE = "parties_notice"  # tell the parties how it ended, and close
    REPORT_DECISION = "report_decision"  # open a case or decide not to


@dataclass(frozen=True)
class State:
    kind: Kind
    status: Status
    received_on: date
    known_harm_on: date | None = None
    due: dict[Deadline, date] = field(default_factory=dict)
    extended: bool = False
    satisfaction: int | None = None


@dataclass(frozen=True)
class Step:
    status: Status
    changes: dict[str, Any]
    event: str | None  # e.g. "complaint.accepted"; None when nothing is announced
    event_data: dict[str, Any] = field(default_factory=dict)


def deadlines_at_filing(kind: Kind, received_on: date, policy: Policy) -> dict[Deadline, date]:
    limits = policy.limits
    if kind == Kind.COMPLAINT:  # == not `is`: the database hands back plain strings
        days = limits.complaint_acceptance_working_days
        return {Deadline.ACCEPTANCE: policy.calendar.add_working_days(received_on, days)}
    days = limits.report_decision_working_days
    return {Deadline.REPORT_DECISION: policy.calendar.add_working_days(received_on, days)}


def running_deadline(state: State) -> tuple[Deadline, date] | None:
    """The deadline the submission currently runs against, if any."""
    kind = {
        Status.SUBMITTED: Deadline.ACCEPTANCE
        if state.kind == Kind.COMPLAINT
        else Deadline.REPORT_DECISION,
        Status.VERIFYING: Deadline.REPORT_DECISION,
        Status.ACCEPTED: Deadline.MEDIATION,
        Status.MEDIATING: Deadline.MEDIATION,
        **dict.fromkeys(MEDIATION_ENDED, Deadline.PARTIES_NOTICE),
    }.get(state.status)
    return (kind, state.due[kind]) if kind and kind in state.due else None


# Whether a deadline is overdue or nearly due depends on its due date alone, compared with two
# cut-off days; the queries compare the stored due date with the same two days, so the lists
# regulators work from apply this rule and not a copy of it.


def overdue_before(today: date) -> date:
    """Deadlines due before this day have passed: on its due day a step is still in time."""
    return today


def nearly_due_before(today: date, policy: Policy) -> date:
    """Deadlines due before this day are overdue or nearly due, that is at most the policy's
    `nearly_due_working_days` working days away: the first working day beyond that."""
    return policy.calendar.add_working_days(today, policy.limits.nearly_due_working_days + 1)


def is_overdue(state: State, today: date) -> bool:
    running = running_deadline(state)
    return running is not None and running[1] < overdue_before(today)


def is_nearly_due(state: State, today: date, policy: Policy) -> bool:
    running = running_deadline(state)
    if running is None:
        return False
    return overdue_before(today) <= running[1] < nearly_due_before(today, policy)


# --- complaints ----------------------------------------------------------------------------


def accept(state: State, today: date, policy: Policy) -> Step:
    _require(state, Kind.COMPLAINT, {Status.SUBMITTED}, "accept")
    mediation_due = policy.calendar.add_working_days(today, policy.limits.mediation_working_days)
    return Step(
        Status.ACCEPTED,
        {"accepted_on": today, "due": {**state.due, Deadline.MEDIATION: mediation_due}},
        "complaint.accepted",
        {"accepted_on": today.isoformat(), "mediation_due_on": mediation_due.isoformat()},
    )


def reject(state: State, ground: str, today: date, policy: Policy) -> Step:
    _require(state, Kind.COMPLAINT, {Status.SUBMITTED}, "reject")
    if ground not in policy.rejection_grounds:
        raise RuleViolation(f"unknown rejection ground {ground!r}", field="ground")
    if ground == "time_barred" and not is_time_barred(state, policy):
        raise RuleViolation(
            f"the complainant knew of the harm less than {policy.limits.limitation_years} years "
            "before filing; the complaint is not time-barred",
            field="ground",
        )
    return Step(
        Status.REJECTED,
        {"decided_on": today, "ground": ground},
        "complaint.rejected",
        {"ground": ground, "rejected_on": today.isoformat()},
    )


def is_time_barred(state: State, policy: Policy) -> bool:
    if state.known_harm_on is None:
        return False
    years = policy.limits.limitation_years
    known = state.known_harm_on
    try:
        limit = known.replace(year=known.year + years)
    except ValueError:  # 29 February: no such day, so the month's last (民法典 第二百零二条)
        limit = date(known.year + years, 2, 28)
    return state.received_on > limit


def start_mediation(state: State) -> Step:
    _require(state, Kind.COMPLAINT, {Status.ACCEPTED}, "start mediation")
    return Step(Status.MEDIATING, {}, None)


def end_mediation(
    state: State, outcome: Status, today: date, policy: Policy, reason: str | None = None
) -> Step:
    """Mediation ends in an agreement, a failure, or a termination on a coded reason."""
    _require(state, Kind.COMPLAINT, {Status.ACCEPTED, Status.MEDIATING}, "end mediation")
    if outcome not in MEDIATION_ENDED:
        raise RuleViolation(f"a mediation ends as one of {sorted(MEDIATION_ENDED)}", "outcome")
    if outcome == Status.MEDIATED and state.status != Status.MEDIATING:
        raise RuleViolation("an agreement needs a mediation to have started", field="outcome")
    if outcome == Status.TERMINATED and reason not in policy.termination_reasons:
        raise RuleViolation("a termination needs one of the coded reasons", field="reason")
    notice_days = policy.limits.parties_notice_working_days
    notice_due = policy.calendar.add_working_days(today, notice_days)
    return Step(
        outcome,
        {
            "mediation_ended_on": today,
            "termination_reason": reason if outcome == Status.TERMINATED else None,
            "due": {**state.due, Deadline.PARTIES_NOTICE: notice_due},
        },
        None,
    )


def close(state: State, today: date) -> Step:
    """The parties have been told how mediation ended; the complaint is closed."""
    _require(state, Kind.COMPLAINT, MEDIATION_ENDED, "close")
    return Step(
        Status.CLOSED,
        {"closed_on": today, "outcome": state.status.value},
        "complaint.closed",
        {"outcome": state.status.value, "closed_on": today.isoformat()},
    )


def rate(state: State, satisfaction: int) -> Step:
    _require(state, Kind.COMPLAINT, {Status.CLOSED}, "rate")
    if state.satisfaction is not None:  # the case's state, not the value: a conflict
        raise RuleViolation("this complaint has already been rated")
    if not 1 <= satisfaction <= 5:
        raise RuleViolation("satisfaction is rated from 1 to 5", field="satisfaction")
    return Step(Status.CLOSED, {"satisfaction": satisfaction}, None)


# --- reports -------------------------------------------------------------------------------


def begin_verification(state: State) -> Step:
    _require(state, Kind.REPORT, {Status.SUBMITTED}, "begin verification")
    return Step(Status.VERIFYING, {}, None)


def extend(state: State, reason: str, today: date, policy: Policy) -> Step:
    """One extension of the decision deadline, with a reason, approved before it passes."""
    _require(state, Kind.REPORT, {Status.SUBMITTED, Status.VERIFYING}, "extend")
    if state.extended:
        raise RuleViolation("the decision deadline can be extended only once")
    if today > state.due[Deadline.REPORT_DECISION]:
        raise RuleViolation("the decision deadline has passed; it can no longer be extended")
    if not reason.strip():
        raise RuleViolation("an extension needs a reason", field="reason")
    days = policy.limits.report_extension_working_days
    new_due = policy.calendar.add_working_days(state.due[Deadline.REPORT_DECISION], days)
    return Step(
        state.status,
        {
            "extended": True,
            "extension_reason": reason,
            "due": {**state.due, Deadline.REPORT_DECISION: new_due},
        },
        None,
    )


def decide_report(state: State, case_opened: bool, reason: str, today: date) -> Step:
    _require(state, Kind.REPORT, {Status.VERIFYING}, "decide on")
    if not reason.strip():
        raise RuleViolation("a decision needs its reason", field="reason")
    status = Status.CASE_OPENED if case_opened else Status.NOT_OPENED
    return Step(
        status,
        {"decided_on": today, "decision_reason": reason},
        f"report.{status.value}",
        {"decided_on": today.isoformat()},
    )


def _require(
    state: State, kind: Kind, allowed: set[Status] | frozenset[Status], action: str
) -> None:
    if state.kind != kind:
        raise RuleViolation(f"only a {kind.value} can {action}")
    if state.status not in allowed:
        raise RuleViolation(f"cannot {action} a {state.kind.value} that is {state.status.value}")
