"""The brands service's reads, each narrowed to what the caller may see: brands, holders and
notices are public; an enterprise sees its own applications and transfers, a regulator those
of its regions (an admin all), a reviewer only the applications assigned to it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_brands.domain import (
    ApplicationNotFound,
    AwardNotFound,
    BrandNotFound,
    TransferNotFound,
)
from qgov_brands.domain.eligibility import CreditFact, Standing
from qgov_brands.models import (
    Application,
    ApplicationStep,
    Assignment,
    Award,
    AwardHistory,
    Brand,
    BrandTransfer,
    CreditFactRow,
    CreditStanding,
    Objection,
    Reviewer,
    Score,
)
from qgov_brands.policy import Policy
from qgov_brands.programme import StageKind
from qgov_shared.auth import Principal, Role
from qgov_shared.http.pagination import Page, PageRequest, keyset_page
from qgov_shared.http.problems import ProblemException
from qgov_shared.region_scope import in_regions

# --- brands ----------------------------------------------------------------------------------


async def brand(session: AsyncSession, brand_id: int) -> Brand:
    row = await session.get(Brand, brand_id)
    if row is None:
        raise BrandNotFound(str(brand_id))
    return row


async def accepted_transfers(session: AsyncSession, brand_id: int) -> list[BrandTransfer]:
    query = select(BrandTransfer).where(
        BrandTransfer.brand_id == brand_id, BrandTransfer.status == "accepted"
    )
    return list(await session.scalars(query.order_by(BrandTransfer.id)))


async def brands(session: AsyncSession, credit_code: str | None, page: PageRequest) -> Page:
    query = select(Brand)
    if credit_code is not None:
        query = query.where(Brand.credit_code == credit_code)
    return await _page(session, query, [Brand.id], page)


async def transfer_for(
    session: AsyncSession, transfer_id: int, principal: Principal, *, for_update: bool = False
) -> BrandTransfer:
    """A transfer the calling enterprise gives or receives."""
    row = await session.get(BrandTransfer, transfer_id, with_for_update=for_update)
    if row is None or principal.credit_code not in (row.from_credit_code, row.to_credit_code):
        raise TransferNotFound(str(transfer_id))
    return row


async def transfers_of(session: AsyncSession, credit_code: str, page: PageRequest) -> Page:
    query = select(BrandTransfer).where(
        or_(
            BrandTransfer.from_credit_code == credit_code,
            BrandTransfer.to_credit_code == credit_code,
        )
    )
    return await _page(session, query, [BrandTransfer.id], page)


# --- the credit view -------------------------------------------------------------------------


async def credit_view(
    session: AsyncSession, credit_code: str
) -> tuple[Standing, tuple[CreditFact, ...]]:
    row = await session.get(CreditStanding, credit_code)
    standing = (
        Standing(row.grade, row.listed, row.listed_on, row.listing_reason) if row else Standing()
    )
    query = select(CreditFactRow).where(CreditFactRow.credit_code == credit_code)
    facts = tuple(
        CreditFact(fact.kind, fact.severity, fact.occurred_on)
        for fact in await session.scalars(query)
    )
    return standing, facts


# --- applications ----------------------------------------------------------------------------


async def handled_application(
    session: AsyncSession, application_id: int, principal: Principal, *, for_update: bool = False
) -> Application:
    """The application, if the caller's regions cover the applicant's."""
    row = await session.get(Application, application_id, with_for_update=for_update)
    if row is None or not principal.covers_region(row.region_code):
        raise ApplicationNotFound(str(application_id))
    return row


async def reviewer_for(session: AsyncSession, principal: Principal) -> Reviewer:
    """The reviewer record an admin bound to the caller's token subject."""
    query = select(Reviewer).where(Reviewer.subject == principal.subject)
    reviewer = (await session.scalars(query)).first()
    if reviewer is None:
        raise ProblemException(403, "You are not registered as a reviewer.")
    return reviewer


async def assigned_application(
    session: AsyncSession, application_id: int, reviewer: Reviewer, *, for_update: bool = False
) -> Application:
    query = select(Assignment.id).where(
        Assignment.application_id == application_id, Assignment.reviewer_id == reviewer.id
    )
    if await session.scalar(query) is None:
        raise ApplicationNotFound(str(application_id))
    return await session.get(Application, application_id, with_for_update=for_update)


async def visible_application(
    session: AsyncSession, application_id: int, principal: Principal
) -> Application:
    """One application as its caller may see it: its applicant, its regions' regulators (and
    admins), or a reviewer assigned to it."""
    if principal.role is Role.REVIEWER:
        return await assigned_application(
            session, application_id, await reviewer_for(session, principal)
        )
    row = await session.get(Application, application_id)
    if row is None or not (
        principal.covers_region(row.region_code)
        or (principal.role is Role.ENTERPRISE and principal.credit_code == row.credit_code)
    ):
        raise ApplicationNotFound(str(application_id))
    return row


async def applications(
    session: AsyncSession, principal: Principal, filters: Any, page: PageRequest
) -> Page:
    query = select(Application).where(await _visible(session, principal))
    for name in ("programme", "round", "stage", "status"):
        if (value := getattr(filters, name)) is not None:
            query = query.where(getattr(Application, name) == value)
    return await _page(session, query, [Application.id], page)


async def _visible(session: AsyncSession, principal: Principal):
    if principal.role is Role.ADMIN:
        return true()
    if principal.role is Role.REGULATOR:
        return in_regions(Application.region_code, principal.regions)
    if principal.role is Role.ENTERPRISE:
        return Application.credit_code == principal.credit_code
    reviewer = await reviewer_for(session, principal)
    assigned = select(Assignment.application_id).where(Assignment.reviewer_id == reviewer.id)
    return Application.id.in_(assigned)


async def steps_and_objections(session: AsyncSession, application_id: int) -> tuple[list, list]:
    steps = select(ApplicationStep).where(ApplicationStep.application_id == application_id)
    objections = select(Objection).where(Objection.application_id == application_id)
    return (
        list(await session.scalars(steps.order_by(ApplicationStep.id))),
        list(await session.scalars(objections.order_by(Objection.id))),
    )


async def assignments(session: AsyncSession, application_id: int) -> list[Any]:
    """Each assigned reviewer with its score's total, if it has scored."""
    query = (
        select(Assignment, Reviewer, Score.total)
        .join(Reviewer, Reviewer.id == Assignment.reviewer_id)
        .outerjoin(
            Score,
            and_(
                Score.application_id == Assignment.application_id, Score.reviewer_id == Reviewer.id
            ),
        )
        .where(Assignment.application_id == application_id)
        .order_by(Assignment.id)
    )
    return list((await session.execute(query)).all())


async def objection_counts(session: AsyncSession, application_id: int) -> tuple[int, int]:
    query = (
        select(Objection.status, func.count())
        .where(Objection.application_id == application_id)
        .group_by(Objection.status)
    )
    counts = dict((await session.execute(query)).all())
    return counts.get("open", 0), counts.get("upheld", 0)


async def score_totals(session: AsyncSession, application_id: int) -> list[int]:
    query = select(Score.total).where(Score.application_id == application_id)
    return list(await session.scalars(query))


async def round_applications(
    session: AsyncSession, programme: str, round_code: str
) -> list[Application]:
    """The round's applications still in progress, locked for the committee."""
    query = select(Application).where(
        Application.programme == programme,
        Application.round == round_code,
        Application.status == "in_progress",
    )
    return list(await session.scalars(query.order_by(Application.id).with_for_update()))


def _in_notice(policy: Policy):
    """In progress at one of the programmes' public-notice stages."""
    stages = [
        and_(Application.programme == code, Application.stage == stage.name)
        for code, programme in policy.programmes.items()
        for stage in programme.stages
        if stage.kind is StageKind.NOTICE
    ]
    return and_(Application.status == "in_progress", or_(*stages) if stages else false())


async def in_notice(session: AsyncSession, application_id: int, policy: Policy) -> Application:
    """An application anyone may object to: one in public notice (the others are not public)."""
    query = select(Application).where(Application.id == application_id, _in_notice(policy))
    row = (await session.scalars(query)).first()
    if row is None:
        raise ApplicationNotFound(str(application_id))
    return row


async def notices(session: AsyncSession, policy: Policy, today: Any, page: PageRequest) -> Page:
    query = select(Application).where(_in_notice(policy), Application.notice_ends_on >= today)
    return await _page(session, query, [Application.notice_ends_on, Application.id], page)


# --- awards ----------------------------------------------------------------------------------


async def award(session: AsyncSession, award_id: int) -> Award:
    row = await session.get(Award, award_id)
    if row is None:
        raise AwardNotFound(str(award_id))
    return row


async def handled_award(
    session: AsyncSession, award_id: int, principal: Principal, *, for_update: bool = False
) -> Award:
    row = await session.get(Award, award_id, with_for_update=for_update)
    if row is None or not principal.covers_region(row.credit_code[2:8]):
        raise AwardNotFound(str(award_id))
    return row


async def award_history(session: AsyncSession, award_id: int) -> list[Any]:
    query = select(AwardHistory).where(AwardHistory.award_id == award_id)
    return list(await session.scalars(query.order_by(AwardHistory.id)))


async def awards_of(
    session: AsyncSession, credit_code: str, status: str
) -> list[tuple[Award, Application]]:
    """The enterprise's awards of `status` with their applications, locked for change."""
    query = (
        select(Award, Application)
        .join(Application, Application.id == Award.application_id)
        .where(Award.credit_code == credit_code, Award.status == status)
        .order_by(Award.id)
        .with_for_update(of=Award)
    )
    return [(row.Award, row.Application) for row in await session.execute(query)]


async def brand_awards(session: AsyncSession, brand_id: int, page: PageRequest) -> Page:
    query = select(Award).where(Award.brand_id == brand_id)
    return await _page(session, query, [Award.id], page)


async def holders(session: AsyncSession, filters: Any, today: Any, page: PageRequest) -> Page:
    """Awards standing today: granted, not suspended, revoked or past re-review."""
    query = select(Award).where(
        Award.programme == filters.programme,
        Award.status == "granted",
        or_(Award.valid_until.is_(None), Award.valid_until >= today),
    )
    if filters.round is not None:
        query = query.where(Award.round == filters.round)
    return await _page(session, query, [Award.id], page)


async def reviewers(session: AsyncSession, page: PageRequest) -> Page:
    return await _page(session, select(Reviewer), [Reviewer.id], page)


async def _page(session: AsyncSession, query: Select, key: list[Any], page: PageRequest) -> Page:
    """A page of one entity's rows (the routes present them)."""
    rows, cursor = await keyset_page(session, query, key, page)
    return Page(items=[row[0] for row in rows], next_cursor=cursor)
