"""From the sample to the result that stands: the inspectors record the sample, which goes to
a laboratory under a blind code (the policy's `min_laboratories` rule); the laboratory enters
its result; a pass stands at once, a failure after the objection period (`objection_days`)
unless the enterprise objects, when a retest at another laboratory decides. A final result is
announced once, for credit and standards."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_inspections import blinding, domain
from qgov_inspections.domain import FirstResult, InspectionNotFound, Outcome, Status
from qgov_inspections.events import FailingIndicator, ResultFinal, SampleTaken
from qgov_inspections.handlers import CHINA, Context
from qgov_inspections.models import Campaign, Inspection, Laboratory, Sample
from qgov_inspections.queries import inspections as stored
from qgov_inspections.schemas.inspections import LabResult, ObjectionCreate, SampleRecord
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork

FINALISE_BATCH = 500


async def record_sample(
    inspection_id: int, body: SampleRecord, uow: UnitOfWork, ctx: Context
) -> Inspection:
    row = await stored.handled(uow.session, inspection_id, ctx.principal, for_update=True)
    if row.status != Status.DRAWN:
        raise RuleViolation("the sample of this inspection is taken already")
    campaign = await uow.session.get(Campaign, row.campaign_id)
    sampled_on = body.sampled_at.astimezone(CHINA).date()
    if body.sampled_at > ctx.now:
        raise RuleViolation("this time is in the future", "sampled_at")
    if not campaign.period_start <= sampled_on <= campaign.period_end:
        raise RuleViolation("outside the campaign's period", "sampled_at")
    domain.check_sampling_team(
        row.team, body.inspectors, ctx.policy.limits.min_inspectors_per_check
    )
    _send_to_laboratory(row, body, campaign.laboratory_ids, (), "test", uow, ctx)
    row.sampling = body.model_dump(mode="json")
    row.status = Status.SAMPLED.value
    team = await stored.inspectors(uow.session, body.inspectors)
    taken = SampleTaken(
        **SampleTaken.fields_of(row),
        product_name=body.product_name,
        lot=body.lot,
        quantity=body.quantity,
        standard_numbers=list(body.standard_numbers),
        inspectors=[stored.named(i) for i in team],
        sampled_at=body.sampled_at,
    )
    uow.publish(taken.event(subject=row.credit_code, time=ctx.now))
    return row


def _send_to_laboratory(
    row: Inspection,
    sampling: SampleRecord,
    laboratories: list[int],
    excluding: tuple[int, ...],
    purpose: str,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    uow.session.add(
        Sample(
            inspection_id=row.id,
            purpose=purpose,
            blind_code=blinding.blind_code(),
            laboratory_id=blinding.choose_laboratory(laboratories, excluding),
            product_name=sampling.product_name,
            quantity=sampling.quantity,
            standard_numbers=list(sampling.standard_numbers),
            received_at=ctx.now,
        )
    )


async def enter_result(
    laboratory: Laboratory, blind_code: str, body: LabResult, uow: UnitOfWork, ctx: Context
) -> Sample:
    """A laboratory's result for a sample it holds, known to it by its blind code only."""
    sample = await stored.sample_at(uow.session, laboratory.id, blind_code, for_update=True)
    if sample.result is not None:
        raise RuleViolation("the result of this sample is entered already")
    if body.tested_on > ctx.today:
        raise RuleViolation("this date is in the future", "tested_on")
    if body.tested_on < sample.received_at.astimezone(CHINA).date():
        raise RuleViolation("before the laboratory received the sample", "tested_on")
    domain.check_result(body.outcome, body.failing_indicators, body.findings)
    sample.result = body.model_dump(mode="json")
    sample.tested_on = body.tested_on
    row = await uow.session.get(Inspection, sample.inspection_id, with_for_update=True)
    row.result = sample.result
    if sample.purpose == "retest":
        await finalise(row, uow, ctx, retested=True)
        return sample
    row.notified_on = ctx.today
    row.objection_due_on = domain.objection_due(ctx.today, ctx.policy.limits.objection_days)
    row.status = Status.TESTED.value
    if _tested(row).final_at_once():
        await finalise(row, uow, ctx, retested=False)
    return sample


def _tested(row: Inspection) -> FirstResult:
    return FirstResult(Outcome(row.result["outcome"]), row.objection_due_on)


async def object_to(
    inspection_id: int, body: ObjectionCreate, uow: UnitOfWork, ctx: Context
) -> Inspection:
    """The enterprise objects to a failure within the period: a retest at another laboratory
    decides, on the sample kept for it."""
    row = await uow.session.get(Inspection, inspection_id, with_for_update=True)
    if row is None or not ctx.principal.can_act_for_enterprise(row.credit_code):
        raise InspectionNotFound(str(inspection_id))
    if row.status != Status.TESTED:
        raise RuleViolation("only a tested result that is not final can be objected to")
    _tested(row).check_objection(ctx.today)
    first = await stored.first_sample(uow.session, row.id)
    campaign = await uow.session.get(Campaign, row.campaign_id)
    sampling = SampleRecord.model_validate(row.sampling)
    excluding = (first.laboratory_id,)
    _send_to_laboratory(row, sampling, campaign.laboratory_ids, excluding, "retest", uow, ctx)
    row.objection = body.reason
    row.status = Status.OBJECTED.value
    return row


async def finalise_due(uow: UnitOfWork, ctx: Context) -> int:
    """Results whose objection period is over without an objection stand; how many."""
    query = (
        select(Inspection)
        .where(Inspection.status == Status.TESTED.value, Inspection.objection_due_on < ctx.today)
        .order_by(Inspection.id)
        .limit(FINALISE_BATCH)
        .with_for_update(skip_locked=True)
    )
    rows = list(await uow.session.scalars(query))
    for row in rows:
        await finalise(row, uow, ctx, retested=False)
    return len(rows)


async def finalise(row: Inspection, uow: UnitOfWork, ctx: Context, *, retested: bool) -> None:
    """The result stands: announce it once, open the follow-up of a failure, and complete the
    campaign when it was its last."""
    outcome = Outcome(row.result["outcome"])
    row.status, row.final_outcome, row.final_on = Status.FINAL.value, outcome.value, ctx.today
    row.retested = retested
    if outcome is not Outcome.PASSED:
        days = ctx.policy.limits.rectification_days
        row.rectification_due_on = domain.rectification_due(ctx.today, days)
    sampling = row.sampling
    final = ResultFinal(
        **ResultFinal.fields_of(row),
        declaration_id=sampling.get("declaration_id"),
        product_name=sampling["product_name"],
        standard_number=sampling["standard_numbers"][0],
        outcome=outcome,
        failing_indicators=[FailingIndicator(**i) for i in row.result["failing_indicators"]],
        findings=row.result["findings"],
        retested=retested,
        decided_on=ctx.today,
    )
    uow.publish(final.event(subject=row.credit_code, time=ctx.now))
    await uow.session.flush()
    open_ = await uow.session.scalar(
        select(func.count())
        .select_from(Inspection)
        .where(Inspection.campaign_id == row.campaign_id, Inspection.status != Status.FINAL.value)
    )
    if not open_:
        campaign = await uow.session.get(Campaign, row.campaign_id, with_for_update=True)
        campaign.status, campaign.completed_on = "completed", ctx.today
