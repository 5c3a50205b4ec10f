"""Credit repair (信用修复): an enterprise applies, after the minimum period and with a pledge
and proof of correction, to end its listing or an ordinary penalty's publicity; a regulator of
its region decides."""

from __future__ import annotations

from sqlalchemy import select

from qgov_credit import domain
from qgov_credit.domain import EnterpriseNotFound, Record, RepairNotFound, RuleViolation
from qgov_credit.events import RepairDecided
from qgov_credit.handlers import Context
from qgov_credit.handlers.grading import regrade
from qgov_credit.handlers.listing import delist
from qgov_credit.models import CreditRecord, Enterprise, RepairApplication
from qgov_credit.queries import active_listing
from qgov_shared.auth import Principal
from qgov_shared.uow import UnitOfWork


async def apply_for_repair(
    code: str,
    target: str,
    record_id: int | None,
    pledge: str,
    correction: str,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> RepairApplication:
    """The enterprise asks to end its listing, or a penalty's publicity, after the minimum."""
    enterprise = await uow.session.get(Enterprise, code, with_for_update=True)
    if enterprise is None or not principal.can_act_for_enterprise(code):
        raise EnterpriseNotFound(code)
    application = RepairApplication(
        credit_code=code, target=target, pledge=pledge, correction=correction, applied_at=ctx.now
    )
    if target == "listing":
        listing = await active_listing(uow.session, code)
        if listing is None:
            raise RuleViolation("the enterprise is not on the serious-violation list", "target")
        domain.check_repair_due(listing.earliest_delisting_on, ctx.today)
        application.listing_id = listing.id
    else:
        record = await uow.session.get(CreditRecord, record_id) if record_id else None
        if record is None or record.credit_code != code or not record.public:
            raise RuleViolation("no public record of this enterprise has that id", "record_id")
        as_domain = Record(record.id, record.kind, record.severity, record.effective_on)
        earliest = domain.earliest_publicity_end(as_domain, enterprise.industry, ctx.policy)
        domain.check_repair_due(earliest, ctx.today)
        application.record_id = record.id
    await _refuse_second_pending(application, uow)
    uow.session.add(application)
    await uow.session.flush()
    return application


async def decide_repair(
    application_id: int,
    approve: bool,
    reason: str,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> RepairApplication:
    application = await uow.session.get(RepairApplication, application_id, with_for_update=True)
    enterprise = application and await uow.session.get(Enterprise, application.credit_code)
    if application is None or not principal.covers_region(enterprise.region_code):
        raise RepairNotFound(str(application_id))
    if application.status != "pending":
        raise RuleViolation(f"this application was already {application.status}")
    application.status = "approved" if approve else "refused"
    application.decided_by = f"{principal.role}:{principal.subject}"
    application.decided_at, application.decision_reason = ctx.now, reason
    if approve:
        await _repair(application, enterprise, uow, ctx)
    decided = RepairDecided(
        credit_code=enterprise.credit_code,
        application_id=application.id,
        target=application.target,
        approved=approve,
        decided_on=ctx.today,
    )
    uow.publish(decided.event(subject=enterprise.credit_code, time=ctx.now))
    return application


async def _repair(
    application: RepairApplication, enterprise: Enterprise, uow: UnitOfWork, ctx: Context
) -> None:
    """Approved: the listing ends, or the penalty stops being public; history is kept."""
    if application.target == "penalty_publicity":
        record = await uow.session.get(CreditRecord, application.record_id, with_for_update=True)
        record.public = False
        return
    await delist(application.listing_id, enterprise, uow, ctx)
    await regrade(enterprise.credit_code, uow, ctx, cause=f"repair:{application.id}")


async def _refuse_second_pending(application: RepairApplication, uow: UnitOfWork) -> None:
    query = select(RepairApplication.id).where(
        RepairApplication.credit_code == application.credit_code,
        RepairApplication.status == "pending",
        RepairApplication.target == application.target,
        RepairApplication.record_id.is_not_distinct_from(application.record_id),
    )
    if (await uow.session.scalars(query)).first() is not None:
        raise RuleViolation("an application for this is already waiting for a decision")
