"""The complaints service's use cases. Each runs inside a unit of work the caller commits: it
loads the submission, asks the domain for the step, stores it with an audit-trail entry and
publishes the fact. Events name the respondent by credit code and carry no personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from qgov_complaints import domain, events
from qgov_complaints.domain import Deadline, Kind, RuleViolation, State, Status, Step
from qgov_complaints.events import ComplaintFiled, ReportFiled, SubmissionEvent, SubmissionOverdue
from qgov_complaints.models import EnterpriseResponse, Submission, SubmissionHistory, SubmissionNote
from qgov_complaints.policy import Policy
from qgov_complaints.schemas import ComplaintCreate, ReportCreate
from qgov_shared.auth import Principal, Role
from qgov_shared.errors import NotFound
from qgov_shared.uow import UnitOfWork

_TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on a phone


class SubmissionNotFound(NotFound):
    """No such submission, or none the caller may know of."""

    what = "submission"


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Deadlines count in the regulators' own calendar days (China Standard Time)."""
        return self.now.astimezone(ZoneInfo(self.policy.timezone)).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"


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


# --- filing --------------------------------------------------------------------------------


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
        "tracking_number": _tracking_number(kind, ctx.today),
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
    token = secrets.token_urlsafe(18)
    values["token_hash"] = token_digest(token)
    submission_id = await uow.session.scalar(
        insert(Submission).values(**values).returning(Submission.id)
    )
    await uow.session.execute(
        insert(SubmissionHistory).values(
            submission_id=submission_id,
            at=ctx.now,
            actor=ctx.actor,
            action="filed",
            from_status=None,
            to_status=values["status"],
            detail={"channel": values["channel"]},
        )
    )
    case = SubmissionEvent.case_of(values)
    due_on = values["running_due_on"]
    if values["kind"] == Kind.COMPLAINT:
        amount = ComplaintFiled.yuan(values["amount"])
        filed = ComplaintFiled(**case, received_on=ctx.today, due_on=due_on, amount=amount)
    else:
        filed = ReportFiled(**case, received_on=ctx.today, due_on=due_on)
    _announce(filed, uow, ctx)
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


def _tracking_number(kind: Kind, today: date) -> str:
    suffix = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(8))
    return f"{'T' if kind is Kind.COMPLAINT else 'J'}{today:%Y%m%d}{suffix}"


def token_digest(token: str) -> str:
    """How a tracking token is stored: only its digest, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- following a submission ----------------------------------------------------------------


async def track(tracking_number: str, token: str, uow: UnitOfWork) -> Submission:
    """The citizen's view: the tracking number and the token together, or nothing."""
    row = await _by_tracking_number(tracking_number, uow)
    if row is None or not hmac.compare_digest(row.token_hash, token_digest(token)):
        raise SubmissionNotFound(tracking_number)
    return row


async def history_of(row: Submission, uow: UnitOfWork) -> list[SubmissionHistory]:
    query = select(SubmissionHistory).where(SubmissionHistory.submission_id == row.id)
    return list(await uow.session.scalars(query.order_by(SubmissionHistory.id)))


async def rate(
    tracking_number: str, token: str, satisfaction: int, uow: UnitOfWork, ctx: Context
) -> Submission:
    row = await track(tracking_number, token, uow)
    await uow.session.refresh(row, with_for_update=True)
    return await _take(row, domain.rate(state_of(row), satisfaction), "rated", uow, ctx)


# --- regulators ----------------------------------------------------------------------------


async def handled_submission(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    """The submission, locked for change, if the caller's regions cover where it is handled."""
    row = await uow.session.get(Submission, submission_id, with_for_update=True)
    if row is None or not ctx.principal.covers_region(row.handling_region_code):
        raise SubmissionNotFound(str(submission_id))
    return row


async def decide_complaint(
    submission_id: int, accept: bool, ground: str | None, uow: UnitOfWork, ctx: Context
) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    state = state_of(row)
    if accept:
        step = domain.accept(state, ctx.today, ctx.policy)
    else:
        step = domain.reject(state, ground or "", ctx.today, ctx.policy)
    return await _take(row, step, "accepted" if accept else "rejected", uow, ctx)


async def start_mediation(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    return await _take(row, domain.start_mediation(state_of(row)), "mediation_started", uow, ctx)


async def end_mediation(
    submission_id: int,
    outcome: str,
    reason: str | None,
    agreement: str | None,
    uow: UnitOfWork,
    ctx: Context,
) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    step = domain.end_mediation(state_of(row), Status(outcome), ctx.today, ctx.policy, reason)
    return await _take(row, step, outcome, uow, ctx, {"agreement": agreement} if agreement else {})


async def close(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    return await _take(row, domain.close(state_of(row), ctx.today), "closed", uow, ctx)


async def begin_verification(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    step = domain.begin_verification(state_of(row))
    return await _take(row, step, "verification_started", uow, ctx)


async def extend(submission_id: int, reason: str, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    step = domain.extend(state_of(row), reason, ctx.today, ctx.policy)
    return await _take(row, step, "extended", uow, ctx, {"reason": reason})


async def decide_report(
    submission_id: int, case_opened: bool, reason: str, uow: UnitOfWork, ctx: Context
) -> Submission:
    row = await handled_submission(submission_id, uow, ctx)
    step = domain.decide_report(state_of(row), case_opened, reason, ctx.today)
    return await _take(row, step, step.status.value, uow, ctx)


async def transfer(
    submission_id: int, region_code: str, reason: str, uow: UnitOfWork, ctx: Context
) -> Submission:
    """Hand a submission to another region's office; its deadlines keep running."""
    row = await handled_submission(submission_id, uow, ctx)
    if row.status in domain.FINAL:
        raise RuleViolation(f"a {row.kind} that is {row.status} cannot be transferred")
    if region_code == row.handling_region_code:
        raise RuleViolation("the submission is already handled there", "region_code")
    detail = {"from": row.handling_region_code, "to": region_code, "reason": reason}
    row.handling_region_code = region_code
    _audit(row, uow, ctx, "transferred", row.status, detail)
    return row


async def add_note(submission_id: int, text: str, uow: UnitOfWork, ctx: Context) -> SubmissionNote:
    row = await handled_submission(submission_id, uow, ctx)
    note = SubmissionNote(submission_id=row.id, at=ctx.now, author=ctx.actor, text=text)
    uow.session.add(note)
    return note


# --- enterprises ---------------------------------------------------------------------------


async def respond(
    submission_id: int, kind: str, text: str, uow: UnitOfWork, ctx: Context
) -> EnterpriseResponse:
    """The respondent answers a complaint about itself, or proposes a settlement (在线纠纷解决),
    any time before mediation has ended."""
    row = await uow.session.get(Submission, submission_id, with_for_update=True)
    code = ctx.principal.credit_code
    if row is None or row.kind != Kind.COMPLAINT or row.respondent_credit_code != code:
        raise SubmissionNotFound(str(submission_id))
    if Status(row.status) not in {Status.SUBMITTED, Status.ACCEPTED, Status.MEDIATING}:
        raise RuleViolation(f"the complaint is {row.status}: responses are closed")
    response = EnterpriseResponse(
        submission_id=row.id, at=ctx.now, credit_code=code, kind=kind, text=text
    )
    uow.session.add(response)
    _audit(row, uow, ctx, f"enterprise_{kind}", row.status, {})
    return response


# --- deadlines -----------------------------------------------------------------------------


async def announce_overdue(uow: UnitOfWork, ctx: Context, limit: int = 500) -> int:
    """Publish `submission.overdue` once for each deadline that has passed; how many.

    A deadline is its kind and its date (an extended decision deadline is a new one), and the
    query leaves out those already announced, so old overdue cases never fill the batch."""
    marker = func.concat(
        Submission.running_deadline, "@", func.to_char(Submission.running_due_on, "YYYY-MM-DD")
    )
    query = (
        select(Submission)
        .where(
            Submission.running_due_on < domain.overdue_before(ctx.today),
            ~Submission.overdue_notified.contains(func.jsonb_build_array(marker)),
        )
        .order_by(Submission.running_due_on, Submission.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    announced = 0
    for row in await uow.session.scalars(query):
        marked = f"{row.running_deadline}@{row.running_due_on.isoformat()}"
        row.overdue_notified = [*row.overdue_notified, marked]
        overdue = SubmissionOverdue(
            **SubmissionEvent.case_of(row),
            deadline=row.running_deadline,
            due_on=row.running_due_on,
            status=row.status,
        )
        _announce(overdue, uow, ctx)
        announced += 1
    return announced


# --- shared steps --------------------------------------------------------------------------


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


async def _take(
    row: Submission, step: Step, action: str, uow: UnitOfWork, ctx: Context, detail=None
) -> Submission:
    before = row.status
    for name, value in step.changes.items():
        if name == "due":
            value = {deadline.value: day.isoformat() for deadline, day in value.items()}
        setattr(row, name, value)
    row.status = step.status.value
    _set_running_deadline(row)
    _audit(row, uow, ctx, action, before, detail or {})
    if step.event:
        fact = events.for_step(step.event)(**SubmissionEvent.case_of(row), **step.event_data)
        _announce(fact, uow, ctx)
    return row


def _set_running_deadline(row: Submission) -> None:
    running = domain.running_deadline(state_of(row))
    row.running_deadline, row.running_due_on = running if running else (None, None)


def _audit(
    row: Submission, uow: UnitOfWork, ctx: Context, action: str, before: str | None, detail: dict
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


def _announce(fact: SubmissionEvent, uow: UnitOfWork, ctx: Context) -> None:
    """Facts for other services, about the respondent, at the moment the step was taken."""
    uow.publish(fact.event(subject=fact.respondent_credit_code, time=ctx.now))


async def _by_tracking_number(tracking_number: str, uow: UnitOfWork) -> Submission | None:
    query = select(Submission).where(Submission.tracking_number == tracking_number)
    return (await uow.session.scalars(query)).first()


def is_regulator_for(principal: Principal, row: Submission) -> bool:
    """Only the regulator handling the submission sees its personal data unmasked."""
    if principal.role is Role.ADMIN:
        return False
    return principal.role is Role.REGULATOR and principal.covers_region(row.handling_region_code)
