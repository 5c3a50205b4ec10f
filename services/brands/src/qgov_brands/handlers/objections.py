"""Objections (异议) to an application in public notice: anyone may file one until the notice
ends; a regulator of the applicant's region resolves each, upheld or dismissed, with reasons,
before the notice can close."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import ObjectionNotFound, RuleViolation
from qgov_brands.handlers import Context
from qgov_brands.models import Objection
from qgov_brands.schemas import ObjectionCreate, Resolution
from qgov_shared.uow import UnitOfWork

OPEN, UPHELD, DISMISSED = "open", "upheld", "dismissed"


async def file_objection(
    application_id: int, body: ObjectionCreate, uow: UnitOfWork, ctx: Context
) -> Objection:
    application = await queries.in_notice(uow.session, application_id, ctx.policy)
    if ctx.today > application.notice_ends_on:
        raise RuleViolation(f"the notice took objections until {application.notice_ends_on}")
    objection = Objection(
        application_id=application.id,
        stage=application.stage,
        text=body.text,
        filed_at=ctx.now,
        status=OPEN,
    )
    uow.session.add(objection)
    await uow.session.flush()
    return objection


async def resolve(objection_id: int, body: Resolution, uow: UnitOfWork, ctx: Context) -> Objection:
    objection = await uow.session.get(Objection, objection_id, with_for_update=True)
    if objection is None:
        raise ObjectionNotFound(str(objection_id))
    try:
        await queries.handled_application(uow.session, objection.application_id, ctx.principal)
    except LookupError:
        raise ObjectionNotFound(str(objection_id)) from None
    if objection.status != OPEN:
        raise RuleViolation(f"the objection was {objection.status} already")
    objection.status = UPHELD if body.upheld else DISMISSED
    objection.resolution, objection.resolved_at = body.reasons, ctx.now
    objection.resolved_by = ctx.actor
    return objection
