"""How a use case records what happened to an application or an award: the row's new state,
an entry in its audit trail, and the fact announced to other services about the applicant."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from qgov_brands.domain import RuleViolation
from qgov_brands.domain.stages import Fact, Step
from qgov_brands.events import ApplicationEvent, AwardProposed, AwardRejected
from qgov_brands.handlers import Context
from qgov_brands.models import Application, ApplicationStep, Award, AwardHistory
from qgov_shared.uow import UnitOfWork


def about(application: Application, ctx: Context) -> dict[str, Any]:
    """The fields every award event names the application and applicant by."""
    programme = ctx.programme(application.programme)
    return {
        "application_id": application.id,
        "programme": programme.code,
        "programme_name": programme.name,
        "level": programme.level,
        "round": application.round,
        "credit_code": application.credit_code,
        "enterprise_name": application.enterprise_name,
        "brand_id": application.brand_id,
    }


def about_award(award: Award, application: Application, ctx: Context) -> dict[str, Any]:
    return {**about(application, ctx), "award_id": award.id, "tier": award.tier}


def announce(fact: ApplicationEvent, uow: UnitOfWork, ctx: Context) -> None:
    uow.publish(fact.event(subject=fact.credit_code, time=ctx.now))


def take(
    application: Application,
    step: Step,
    passed: bool | None,
    reasons: str,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    """Apply the domain's `step` to the application, log it, announce a proposal or a
    rejection (a grant is announced with its award, by whoever creates it)."""
    stage_closed = application.stage
    application.stage, application.status = step.stage, step.status
    if step.notice_ends_on is not None:
        application.notice_ends_on = step.notice_ends_on
    if step.fact in (Fact.GRANTED, Fact.REJECTED):
        application.decided_on, application.decision_reasons = ctx.today, reasons
    uow.session.add(
        ApplicationStep(
            application_id=application.id,
            at=ctx.now,
            actor=ctx.actor,
            stage=stage_closed,
            passed=passed,
            to_stage=step.stage,
            to_status=step.status,
            reasons=reasons,
        )
    )
    if step.fact is Fact.PROPOSED:
        announce(
            AwardProposed(
                **about(application, ctx),
                tier=application.tier or "award",
                proposed_on=ctx.today,
                notice_ends_on=application.notice_ends_on,
            ),
            uow,
            ctx,
        )
    elif step.fact is Fact.REJECTED:
        fact = AwardRejected(
            **about(application, ctx), stage=stage_closed, rejected_on=ctx.today, reasons=reasons
        )
        announce(fact, uow, ctx)


def change_award(
    award: Award, status: str, action: str, reasons: str, uow: UnitOfWork, ctx: Context
) -> None:
    """Give the award its new status and log the change in its history."""
    before, award.status = award.status, status
    log_award(award, before, action, reasons, uow, ctx)


def log_award(
    award: Award, before: str | None, action: str, reasons: str, uow: UnitOfWork, ctx: Context
) -> None:
    uow.session.add(
        AwardHistory(
            award_id=award.id,
            at=ctx.now,
            actor=ctx.actor,
            action=action,
            from_status=before,
            to_status=award.status,
            reasons=reasons,
        )
    )


async def insert_once(row: Any, uow: UnitOfWork, taken: str) -> None:
    """Add `row`; a unique key it shares with a stored row is the caller's conflict."""
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
            await uow.session.flush()
    except IntegrityError:
        raise RuleViolation(taken) from None
