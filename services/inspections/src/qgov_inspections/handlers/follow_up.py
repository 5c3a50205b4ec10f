"""The follow-up of a failure (the policy's `follow_up` rule): the enterprise corrects by the
rectification deadline, the regulator re-inspects, and the follow-up closes on what the
re-inspection found: rectified, or referred for enforcement."""

from __future__ import annotations

from qgov_inspections import domain
from qgov_inspections.domain import Outcome, Status
from qgov_inspections.events import FollowUpClosed
from qgov_inspections.handlers import Context
from qgov_inspections.models import Inspection
from qgov_inspections.queries import inspections as stored
from qgov_inspections.schemas.inspections import ReinspectionCreate
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork


async def _open_follow_up(inspection_id: int, uow: UnitOfWork, ctx: Context) -> Inspection:
    row = await stored.handled(uow.session, inspection_id, ctx.principal, for_update=True)
    if row.status != Status.FINAL or row.rectification_due_on is None:
        raise RuleViolation("only a final failure has a follow-up")
    if row.followup_outcome is not None:
        raise RuleViolation("this follow-up is closed")
    return row


async def reinspect(
    inspection_id: int, body: ReinspectionCreate, uow: UnitOfWork, ctx: Context
) -> Inspection:
    row = await _open_follow_up(inspection_id, uow, ctx)
    if body.reinspected_on > ctx.today:
        raise RuleViolation("this date is in the future", "reinspected_on")
    if body.reinspected_on < row.final_on:
        raise RuleViolation("before the result became final", "reinspected_on")
    row.reinspection = body.model_dump(mode="json")
    return row


async def close(inspection_id: int, uow: UnitOfWork, ctx: Context) -> Inspection:
    row = await _open_follow_up(inspection_id, uow, ctx)
    found = Outcome(row.reinspection["outcome"]) if row.reinspection else None
    outcome = domain.follow_up_outcome(found)
    row.followup_outcome, row.followup_closed_on = outcome.value, ctx.today
    closed = FollowUpClosed(
        **FollowUpClosed.fields_of(row),
        outcome=outcome,
        rectification_due_on=row.rectification_due_on,
        reinspected_on=row.reinspection["reinspected_on"],
        closed_on=ctx.today,
    )
    uow.publish(closed.event(subject=row.credit_code, time=ctx.now))
    return row
