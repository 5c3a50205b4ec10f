"""Closing an application's current stage: a regulator of the applicant's region (or an
admin) passes or fails it with reasons. The domain says what the stage needs first; a passed
decision grants the award, and a decided re-review renews the old award or ends it."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import scoring
from qgov_brands.domain.awards import AwardStatus, Ground, valid_until
from qgov_brands.domain.eligibility import refusals
from qgov_brands.domain.stages import Fact, Progress, Status, Step, take_step
from qgov_brands.events import AwardGranted, AwardRevoked
from qgov_brands.handlers import Context
from qgov_brands.handlers.applying import applicant_of
from qgov_brands.handlers.recording import (
    about_award,
    announce,
    change_award,
    log_award,
    take,
)
from qgov_brands.models import Application, Award, Brand
from qgov_brands.programme import StageKind
from qgov_brands.schemas import StepCreate
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork


async def close_stage(
    application_id: int, body: StepCreate, uow: UnitOfWork, ctx: Context
) -> Application:
    application = await queries.handled_application(
        uow.session, application_id, ctx.principal, for_update=True
    )
    if body.stage != application.stage:
        raise RuleViolation(f"the application is at {application.stage}, not {body.stage}", "stage")
    programme = ctx.programme(application.programme)
    progress = await progress_of(application, uow, ctx)
    step = take_step(programme, progress, body.passed, ctx.today)
    if programme.stage(application.stage).kind is StageKind.SCORING:
        application.score = progress.score
    take(application, step, body.passed, body.reasons, uow, ctx)
    await _after_decision(application, step, body.reasons, uow, ctx)
    return application


async def progress_of(application: Application, uow: UnitOfWork, ctx: Context) -> Progress:
    """What the domain needs to judge the current stage: objections, scores, eligibility."""
    programme = ctx.programme(application.programme)
    kind = programme.stage(application.stage).kind
    open_count, upheld = await queries.objection_counts(uow.session, application.id)
    score = None
    if kind is StageKind.SCORING:
        totals = await queries.score_totals(uow.session, application.id)
        if len(totals) >= programme.review.min_reviewers:
            score = scoring.result(programme.review, totals)
    reasons: list[str] = []
    if kind in (StageKind.ELIGIBILITY, StageKind.DECISION):
        brand = await uow.session.get(Brand, application.brand_id) if application.brand_id else None
        applicant = await applicant_of(uow, application.credit_code, brand)
        reasons = refusals(programme, applicant, ctx.today)
    return Progress(
        stage=application.stage,
        status=Status(application.status),
        notice_ends_on=application.notice_ends_on,
        open_objections=open_count,
        upheld_objections=upheld,
        score=score,
        refusals=tuple(reasons),
    )


async def _after_decision(
    application: Application, step: Step, reasons: str, uow: UnitOfWork, ctx: Context
) -> None:
    if step.fact is Fact.GRANTED:
        await grant(application, reasons, uow, ctx)
    if application.renewal_of is None or step.fact not in (Fact.GRANTED, Fact.REJECTED):
        return
    old = await uow.session.get(Award, application.renewal_of, with_for_update=True)
    if old.status != AwardStatus.GRANTED:
        return  # suspended or revoked meanwhile: the re-review changes nothing of it
    if step.fact is Fact.GRANTED:
        change_award(old, AwardStatus.RENEWED, "renewed", reasons, uow, ctx)
        return
    change_award(old, AwardStatus.REVOKED, "revoked", reasons, uow, ctx)
    old.revoked_on, old.revocation_ground = ctx.today, Ground.RE_REVIEW_FAILED
    old_application = await uow.session.get(Application, old.application_id)
    fact = AwardRevoked(
        **about_award(old, old_application, ctx),
        ground=Ground.RE_REVIEW_FAILED,
        revoked_on=ctx.today,
        reasons=reasons,
    )
    announce(fact, uow, ctx)


async def grant(application: Application, reasons: str, uow: UnitOfWork, ctx: Context) -> Award:
    programme = ctx.programme(application.programme)
    award = Award(
        application_id=application.id,
        programme=application.programme,
        round=application.round,
        credit_code=application.credit_code,
        enterprise_name=application.enterprise_name,
        brand_id=application.brand_id,
        tier=application.tier or "award",
        status=AwardStatus.GRANTED,
        granted_on=ctx.today,
        valid_until=valid_until(programme, ctx.today),
        reasons=reasons,
    )
    uow.session.add(award)
    await uow.session.flush()
    log_award(award, None, "granted", reasons, uow, ctx)
    fact = AwardGranted(
        **about_award(award, application, ctx),
        granted_on=award.granted_on,
        valid_until=award.valid_until,
        reasons=reasons,
    )
    announce(fact, uow, ctx)
    return award
