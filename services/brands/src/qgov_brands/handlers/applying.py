"""Applying: an enterprise applies to an open round of a programme, with its own brand where
the programme honours brands, if the programme's eligibility rules admit it today."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import RuleViolation
from qgov_brands.domain.eligibility import Applicant, BrandFacts, refusals
from qgov_brands.domain.stages import Status
from qgov_brands.events import AwardApplied
from qgov_brands.handlers import Context
from qgov_brands.handlers.brands import check_owner
from qgov_brands.handlers.recording import about, announce, insert_once
from qgov_brands.models import Application, ApplicationStep, Award, Brand
from qgov_brands.programme import Programme, Subject
from qgov_brands.schemas import ApplicationCreate
from qgov_shared.uow import UnitOfWork


async def apply(body: ApplicationCreate, uow: UnitOfWork, ctx: Context) -> Application:
    programme = _programme(body.programme, ctx)
    award_round = programme.rounds.get(body.round)
    if award_round is None:
        raise RuleViolation(f"no round {body.round} of {programme.code}", "round")
    if not award_round.is_open(ctx.today):
        raise RuleViolation(
            f"round {award_round.code} takes applications from {award_round.opens_on} "
            f"to {award_round.closes_on}",
            "round",
        )
    brand = await _brand(body, programme, uow, ctx)
    if body.renewal_of is not None:
        await _check_renewal(body.renewal_of, programme, body.brand_id, uow, ctx)
    code = ctx.principal.credit_code
    applicant = await applicant_of(uow, code, brand)
    if reasons := refusals(programme, applicant, ctx.today):
        raise RuleViolation("not eligible: " + "; ".join(reasons))
    application = Application(
        programme=programme.code,
        policy_version=ctx.policy.version,
        round=award_round.code,
        credit_code=code,
        enterprise_name=body.enterprise_name,
        region_code=code[2:8],
        enterprise_group=body.enterprise_group,
        brand_id=body.brand_id,
        renewal_of=body.renewal_of,
        statement=body.statement,
        stage=programme.first.name,
        status=Status.IN_PROGRESS,
        applied_at=ctx.now,
    )
    await insert_once(application, uow, "you applied to this round already (with this brand)")
    uow.session.add(
        ApplicationStep(
            application_id=application.id,
            at=ctx.now,
            actor=ctx.actor,
            stage=application.stage,
            to_stage=application.stage,
            to_status=application.status,
            reasons="applied",
        )
    )
    announce(AwardApplied(**about(application, ctx), applied_on=ctx.today), uow, ctx)
    return application


async def applicant_of(uow: UnitOfWork, credit_code: str, brand: Brand | None) -> Applicant:
    """The applicant as eligibility sees it: its region, credit view and brand."""
    standing, facts = await queries.credit_view(uow.session, credit_code)
    brand_facts = None
    if brand is not None:
        brand_facts = BrandFacts(
            brand.founded_year, brand.geographical_indication, brand.time_honoured_candidate
        )
    return Applicant(credit_code[2:8], standing, facts, brand_facts)


def _programme(code: str, ctx: Context) -> Programme:
    if code not in ctx.policy.programmes:
        known = ", ".join(sorted(ctx.policy.programmes))
        raise RuleViolation(f"no programme {code}; one of {known}", "programme")
    return ctx.policy.programmes[code]


async def _brand(
    body: ApplicationCreate, programme: Programme, uow: UnitOfWork, ctx: Context
) -> Brand | None:
    if body.brand_id is None:
        if programme.subject is Subject.BRAND:
            raise RuleViolation(f"{programme.name} honours a brand: name yours", "brand_id")
        return None
    brand = await uow.session.get(Brand, body.brand_id)
    if brand is None:
        raise RuleViolation("no such brand", "brand_id")
    return check_owner(brand, ctx)


async def _check_renewal(
    award_id: int, programme: Programme, brand_id: int | None, uow: UnitOfWork, ctx: Context
) -> None:
    """A re-review is asked for the holder's own standing award of the same programme."""
    award = await uow.session.get(Award, award_id)
    if not programme.renewal:
        raise RuleViolation(f"{programme.name} has no re-review", "renewal_of")
    if (
        award is None
        or award.credit_code != ctx.principal.credit_code
        or award.programme != programme.code
        or award.brand_id != brand_id
    ):
        raise RuleViolation("not an award of yours in this programme for this brand", "renewal_of")
    if award.status != "granted":
        raise RuleViolation(f"the award is {award.status}: it cannot be renewed", "renewal_of")
