"""The steps of the 12315 procedure after filing: the handling regulator's (accept or reject,
mediate, close, verify, extend, decide, transfer, note), the respondent's answers, and the
citizen's rating. Each loads the submission locked for change, asks the domain for the step
and records it."""

from __future__ import annotations

from qgov_complaints import domain, queries
from qgov_complaints.domain import RuleViolation, Status
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.recording import audit, state_of, take
from qgov_complaints.models import EnterpriseResponse, Submission, SubmissionNote
from qgov_shared.uow import UnitOfWork

# --- regulators ----------------------------------------------------------------------------


async def _handled(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    return await queries.handled_submission(
        uow.session, submission_id, ctx.principal, for_update=True
    )


async def decide_complaint(
    submission_id: int, accept: bool, ground: str | None, uow: UnitOfWork, ctx: Context
) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    state = state_of(row)
    if accept:
        step = domain.accept(state, ctx.today, ctx.policy)
    else:
        step = domain.reject(state, ground or "", ctx.today, ctx.policy)
    return take(row, step, "accepted" if accept else "rejected", uow, ctx)


async def start_mediation(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    return take(row, domain.start_mediation(state_of(row)), "mediation_started", uow, ctx)


async def end_mediation(
    submission_id: int,
    outcome: str,
    reason: str | None,
    agreement: str | None,
    uow: UnitOfWork,
    ctx: Context,
) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    step = domain.end_mediation(state_of(row), Status(outcome), ctx.today, ctx.policy, reason)
    return take(row, step, outcome, uow, ctx, {"agreement": agreement} if agreement else {})


async def close(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    return take(row, domain.close(state_of(row), ctx.today), "closed", uow, ctx)


async def begin_verification(submission_id: int, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    return take(row, domain.begin_verification(state_of(row)), "verification_started", uow, ctx)


async def extend(submission_id: int, reason: str, uow: UnitOfWork, ctx: Context) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    step = domain.extend(state_of(row), reason, ctx.today, ctx.policy)
    return take(row, step, "extended", uow, ctx, {"reason": reason})


async def decide_report(
    submission_id: int, case_opened: bool, reason: str, uow: UnitOfWork, ctx: Context
) -> Submission:
    row = await _handled(submission_id, uow, ctx)
    step = domain.decide_report(state_of(row), case_opened, reason, ctx.today)
    return take(row, step, step.status.value, uow, ctx)


async def transfer(
    submission_id: int, region_code: str, reason: str, uow: UnitOfWork, ctx: Context
) -> Submission:
    """Hand a submission to another region's office; its deadlines keep running."""
    row = await _handled(submission_id, uow, ctx)
    if row.status in domain.FINAL:
        raise RuleViolation(f"a {row.kind} that is {row.status} cannot be transferred")
    if region_code == row.handling_region_code:
        raise RuleViolation("the submission is already handled there", "region_code")
    detail = {"from": row.handling_region_code, "to": region_code, "reason": reason}
    row.handling_region_code = region_code
    audit(row, uow, ctx, "transferred", row.status, detail)
    return row


async def add_note(submission_id: int, text: str, uow: UnitOfWork, ctx: Context) -> SubmissionNote:
    row = await _handled(submission_id, uow, ctx)
    note = SubmissionNote(submission_id=row.id, at=ctx.now, author=ctx.actor, text=text)
    uow.session.add(note)
    return note


# --- the respondent and the citizen --------------------------------------------------------


async def respond(
    submission_id: int, kind: str, text: str, uow: UnitOfWork, ctx: Context
) -> Submission:
    """The respondent answers a complaint about itself, or proposes a settlement (在线纠纷解决),
    any time before mediation has ended."""
    code = ctx.principal.credit_code
    row = await queries.complaint_about(uow.session, submission_id, code, for_update=True)
    if Status(row.status) not in {Status.SUBMITTED, Status.ACCEPTED, Status.MEDIATING}:
        raise RuleViolation(f"the complaint is {row.status}: responses are closed")
    response = EnterpriseResponse(
        submission_id=row.id, at=ctx.now, credit_code=code, kind=kind, text=text
    )
    uow.session.add(response)
    audit(row, uow, ctx, f"enterprise_{kind}", row.status, {})
    return row


async def rate(
    tracking_number: str, token: str, satisfaction: int, uow: UnitOfWork, ctx: Context
) -> Submission:
    """The citizen rates how a closed complaint was handled, once."""
    row = await queries.tracked(uow.session, tracking_number, token)
    await uow.session.refresh(row, with_for_update=True)
    return take(row, domain.rate(state_of(row), satisfaction), "rated", uow, ctx)
