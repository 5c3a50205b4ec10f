"""Filing: a complaint (投诉) or a report (举报) becomes a submission, running against its first
deadline, with its first audit-trail entry, and announced without the filer's personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qgov_complaints import domain
from qgov_complaints.domain import Kind, RuleViolation, Status
from qgov_complaints.events import ComplaintFiled, ReportFiled, SubmissionEvent
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.recording import announce
from qgov_complaints.models import Submission, SubmissionHistory
from qgov_complaints.policy import Policy
from qgov_complaints.schemas import ComplaintCreate, ReportCreate
from qgov_complaints.tracking import new_token, new_tracking_number, token_digest
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork

# Filing is the platform's busiest write: its two rows go to asyncpg directly.
_NEW_SUBMISSION = FastInsert(Submission.__table__, returning="id")
_NEW_HISTORY = FastInsert(SubmissionHistory.__table__)


@dataclass(frozen=True)
class Filed:
    """A submission just filed: what its filer is told, and the token, shown only once."""

    id: int
    tracking_number: str
    kind: str
    status: str
    received_at: datetime
    running_due_on: date
    token: str


async def file_complaint(
    body: ComplaintCreate,
    uow: UnitOfWork,
    ctx: Context,
    channel: str = "api",
    place: dict[str, Any] | None = None,
) -> Filed:
    """File a complaint; `place` is where it happened, when the channel says (Open311)."""
    _check_category(body.category, ctx.policy)
    _not_after_today(body.incident_on, "incident_on", ctx)
    _not_after_today(body.known_harm_on, "known_harm_on", ctx)
    person = body.complainant
    values = _new_submission(
        Kind.COMPLAINT,
        body,
        ctx,
        channel,
        person_name=person.name,
        person_phone=person.phone,
        person_address=person.address,
        person_id_number=person.id_number,
        request=body.request,
        amount=body.amount,
        known_harm_on=body.known_harm_on,
        agent=body.agent.model_dump(mode="json") if body.agent else None,
        **(place or {}),
    )
    return await _record_filing(values, uow, ctx)


async def file_report(
    body: ReportCreate, uow: UnitOfWork, ctx: Context, channel: str = "api"
) -> Filed:
    if body.category is not None:
        _check_category(body.category, ctx.policy)
    _not_after_today(body.incident_on, "incident_on", ctx)
    person = body.reporter
    values = _new_submission(
        Kind.REPORT,
        body,
        ctx,
        channel,
        anonymous=person is None,
        person_name=person and person.name,
        person_phone=person and person.phone,
        person_address=person and person.address,
        person_id_number=person and person.id_number,
    )
    return await _record_filing(values, uow, ctx)


def _new_submission(
    kind: Kind, body: ComplaintCreate | ReportCreate, ctx: Context, channel: str, **fields
) -> dict[str, Any]:
    """The new submission's column values (filing is a hot path: no ORM object is built)."""
    [(deadline, due_on)] = domain.deadlines_at_filing(kind, ctx.today, ctx.policy).items()
    return {
        "tracking_number": new_tracking_number(kind, ctx.today),
        "kind": kind.value,
        "status": Status.SUBMITTED.value,
        "channel": channel,
        "region_code": body.region_code,
        "handling_region_code": body.region_code,
        "category": body.category,
        "respondent_name": body.respondent.name,
        "respondent_address": body.respondent.address,
        "respondent_credit_code": body.respondent.credit_code,
        "facts": body.facts,
        "incident_on": body.incident_on,
        "evidence": [e.model_dump(mode="json") for e in body.evidence],
        "received_at": ctx.now,
        "received_on": ctx.today,
        "due": {deadline.value: due_on.isoformat()},
        "running_deadline": deadline.value,
        "running_due_on": due_on,
        "overdue_notified": [],
        "extended": False,
        "anonymous": False,
        **fields,
    }


async def _record_filing(values: dict[str, Any], uow: UnitOfWork, ctx: Context) -> Filed:
    token = new_token()
    values["token_hash"] = token_digest(token)
    connection = await uow.connection()
    submission_id = await _NEW_SUBMISSION.one(connection, values)
    await _NEW_HISTORY.one(
        connection,
        {
            "submission_id": submission_id,
            "at": ctx.now,
            "actor": ctx.actor,
            "action": "filed",
            "from_status": None,
            "to_status": values["status"],
            "detail": {"channel": values["channel"]},
        },
    )
    announce(_filed_fact(values, ctx), uow, ctx)
    return Filed(
        id=submission_id,
        tracking_number=values["tracking_number"],
        kind=values["kind"],
        status=values["status"],
        received_at=ctx.now,
        running_due_on=values["running_due_on"],
        token=token,
    )


def _check_category(category: str, policy: Policy) -> None:
    if category not in policy.categories:
        raise RuleViolation(f"unknown category; one of {', '.join(policy.categories)}", "category")


def _not_after_today(day: date | None, field: str, ctx: Context) -> None:
    if day is not None and day > ctx.today:
        raise RuleViolation("this date is in the future", field)


def _filed_fact(values: dict[str, Any], ctx: Context) -> ComplaintFiled | ReportFiled:
    case = SubmissionEvent.case_of(values)
    due_on = values["running_due_on"]
    if values["kind"] == Kind.COMPLAINT:
        amount = ComplaintFiled.yuan(values["amount"])
        return ComplaintFiled(**case, received_on=ctx.today, due_on=due_on, amount=amount)
    return ReportFiled(**case, received_on=ctx.today, due_on=due_on)
