"""Campaigns (the policy's `double_random` rule): a regulator publishes one for their regions
with the commitment to a secret seed, then draws it by revealing the seed. The draw freezes
the candidate list, the inspector pool and the exclusions, runs `draw`, and opens one
inspection per drawn enterprise, announcing each with the seed."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from qgov_inspections import draw
from qgov_inspections.domain import CampaignNotFound, Status
from qgov_inspections.events import CampaignPublished, InspectionDrawn, InspectorNamed
from qgov_inspections.handlers import Context
from qgov_inspections.models import Campaign, Draw, Inspection, Inspector, Laboratory
from qgov_inspections.queries import directory
from qgov_inspections.schemas.campaigns import CampaignCreate
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork


async def publish(body: CampaignCreate, uow: UnitOfWork, ctx: Context) -> Campaign:
    _check_scope(body, ctx)
    per_check = _inspectors_per_check(body, ctx)
    labs = await _laboratories(body, uow, ctx)
    given = {grade: Decimal(ratio) for grade, ratio in (body.ratios or {}).items()}
    ratios = {**ctx.policy.default_ratios, **given}
    draw.check_ratios(ratios)
    row = Campaign(
        title=body.title,
        region_codes=sorted(set(body.region_codes)),
        categories=sorted(set(body.categories)),
        period_start=body.period_start,
        period_end=body.period_end,
        ratios={grade: str(ratio) for grade, ratio in sorted(ratios.items())},
        inspectors_per_check=per_check,
        laboratory_ids=labs,
        seed_hash=body.seed_hash,
        status="published",
        published_by=ctx.actor,
        published_at=ctx.now,
    )
    uow.session.add(row)
    await uow.session.flush()
    published = CampaignPublished(
        campaign_id=row.id,
        title=row.title,
        region_codes=row.region_codes,
        categories=row.categories,
        period_start=row.period_start,
        period_end=row.period_end,
        ratios=row.ratios,
        inspectors_per_check=per_check,
        seed_hash=row.seed_hash,
        published_on=ctx.today,
    )
    uow.publish(published.event(subject=None, time=ctx.now))
    return row


def _check_scope(body: CampaignCreate, ctx: Context) -> None:
    for index, region in enumerate(body.region_codes):
        if not ctx.principal.covers_region(region):
            raise RuleViolation("that region is not one of yours", f"region_codes.{index}")
    if unknown := sorted(set(body.categories) - ctx.policy.catalogue.keys()):
        raise RuleViolation(f"not in the catalogue: {unknown}", "categories")
    if body.period_end < body.period_start:
        raise RuleViolation("the period ends before it starts", "period_end")
    if body.period_end < ctx.today:
        raise RuleViolation("the period is over already", "period_end")


def _inspectors_per_check(body: CampaignCreate, ctx: Context) -> int:
    minimum = ctx.policy.limits.min_inspectors_per_check
    per_check = body.inspectors_per_check or minimum
    if per_check < minimum:
        raise RuleViolation(f"at least {minimum} inspectors per check", "inspectors_per_check")
    return per_check


async def _laboratories(body: CampaignCreate, uow: UnitOfWork, ctx: Context) -> list[int]:
    labs = sorted(set(body.laboratory_ids))
    minimum = ctx.policy.limits.min_laboratories
    if len(labs) < minimum:
        raise RuleViolation(
            f"at least {minimum} laboratories: a retest goes to another one", "laboratory_ids"
        )
    found = await uow.session.scalars(select(Laboratory.id).where(Laboratory.id.in_(labs)))
    if missing := sorted(set(labs) - set(found)):
        raise RuleViolation(f"no laboratories {missing}", "laboratory_ids")
    return labs


async def campaign_of_mine(
    uow: UnitOfWork, campaign_id: int, ctx: Context, *, for_update: bool = False
) -> Campaign:
    row = await uow.session.get(Campaign, campaign_id, with_for_update=for_update)
    if row is None or not all(ctx.principal.covers_region(r) for r in row.region_codes):
        raise CampaignNotFound(str(campaign_id))
    return row


async def run_draw(campaign_id: int, seed: str, uow: UnitOfWork, ctx: Context) -> Campaign:
    """Reveal the seed and draw: enterprises by grade, then each one's inspectors."""
    campaign = await campaign_of_mine(uow, campaign_id, ctx, for_update=True)
    if campaign.status != "published":
        raise RuleViolation("this campaign is drawn already")
    if draw.commitment(seed) != campaign.seed_hash:
        raise RuleViolation("this is not the seed the campaign committed to", "seed")
    if ctx.today > campaign.period_end:
        raise RuleViolation("the campaign's period is over")
    session = uow.session
    candidates = await directory.candidates(session, campaign, ctx.policy.default_grade)
    listed = draw.candidate_list(candidates)
    ratios = {grade: Decimal(text) for grade, text in campaign.ratios.items()}
    chosen = draw.draw_enterprises(seed, candidates, ratios)
    codes = [c.credit_code for c in chosen]
    pool = await directory.inspector_pool(session, campaign.region_codes)
    badges = {inspector.badge_number: inspector for inspector in pool}
    exclusions = await directory.exclusions(session, codes, pool)
    teams = draw.draw_inspectors(seed, codes, badges, exclusions, campaign.inspectors_per_check)
    record = Draw(
        campaign_id=campaign.id,
        seed=seed,
        candidates=listed,
        candidates_hash=draw.list_hash(listed),
        candidate_count=len(candidates),
        pool=sorted(badges),
        exclusions=sorted([badge, code] for badge, code in exclusions),
        drawn_at=ctx.now,
    )
    session.add(record)
    campaign.status = "drawn"
    campaign.drawn_on = ctx.today
    if not chosen:
        campaign.status, campaign.completed_on = "completed", ctx.today
    names = await directory.names(session, codes)
    opened = [
        (
            Inspection(
                campaign_id=campaign.id,
                credit_code=candidate.credit_code,
                enterprise_name=names[candidate.credit_code][0],
                region_code=names[candidate.credit_code][1],
                grade=candidate.grade,
                team=[badges[badge].id for badge in teams[candidate.credit_code]],
                status=Status.DRAWN.value,
            ),
            [badges[badge] for badge in teams[candidate.credit_code]],
        )
        for candidate in chosen
    ]
    session.add_all([row for row, _ in opened])
    await session.flush()
    for row, team in opened:
        _announce(row, team, record, campaign, uow, ctx)
    return campaign


def _announce(
    row: Inspection,
    team: list[Inspector],
    record: Draw,
    campaign: Campaign,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    drawn = InspectionDrawn(
        **InspectionDrawn.fields_of(row),
        grade=row.grade,
        inspectors=[InspectorNamed(name=i.name, badge_number=i.badge_number) for i in team],
        seed=record.seed,
        seed_hash=campaign.seed_hash,
        candidates_hash=record.candidates_hash,
        drawn_on=ctx.today,
    )
    uow.publish(drawn.event(subject=row.credit_code, time=ctx.now))
