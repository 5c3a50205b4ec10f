"""How a use case records what it did: the submission's new state with the deadline it now
runs against, an entry in the audit trail, and the fact it announces to other services."""

from __future__ import annotations

from datetime import date
from typing import Any

from qgov_complaints import domain, events
from qgov_complaints.domain import Deadline, Kind, State, Status, Step
from qgov_complaints.events import SubmissionEvent
from qgov_complaints.handlers import Context
from qgov_complaints.models import Submission, SubmissionHistory
from qgov_shared.uow import UnitOfWork


def state_of(row: Submission) -> State:
    return State(
        kind=Kind(row.kind),
        status=Status(row.status),
        received_on=row.received_on,
        known_harm_on=row.known_harm_on,
        due={Deadline(k): date.fromisoformat(v) for k, v in row.due.items()},
        extended=row.extended,
        satisfaction=row.satisfaction,
    )


def take(
    row: Submission,
    step: Step,
    action: str,
    uow: UnitOfWork,
    ctx: Context,
    detail: dict[str, Any] | None = None,
) -> Submission:
    """Apply the domain's `step` to the row, record it as `action`, announce its fact."""
    before = row.status
    for name, value in step.changes.items():
        if name == "due":
            value = {deadline.value: day.isoformat() for deadline, day in value.items()}
        setattr(row, name, value)
    row.status = step.status.value
    running = domain.running_deadline(state_of(row))
    row.running_deadline, row.running_due_on = running if running else (None, None)
    audit(row, uow, ctx, action, before, detail or {})
    if step.event:
        fact = events.for_step(step.event)(**SubmissionEvent.case_of(row), **step.event_data)
        announce(fact, uow, ctx)
    return row


def audit(
    row: Submission,
    uow: UnitOfWork,
    ctx: Context,
    action: str,
    before: str | None,
    detail: dict[str, Any],
) -> None:
    uow.session.add(
        SubmissionHistory(
            submission_id=row.id,
            at=ctx.now,
            actor=ctx.actor,
            action=action,
            from_status=before,
            to_status=row.status,
            detail=detail,
        )
    )


def announce(fact: SubmissionEvent, uow: UnitOfWork, ctx: Context) -> None:
    """Facts for other services, about the respondent, at the moment the step was taken."""
    uow.publish(fact.event(subject=fact.respondent_credit_code, time=ctx.now))
