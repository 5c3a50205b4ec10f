"""Reads of award applications, each narrowed to what the caller may see: an enterprise its own,
a regulator its regions' (an admin all), a reviewer only those assigned to it; anyone the
applications in public notice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_brands.domain import (
    ApplicationNotFound,
)
from qgov_brands.models import (
    Application,
    ApplicationStep,
    Assignment,
    Objection,
    Reviewer,
    Score,
)
from qgov_brands.policy import Policy
from qgov_brands.programme import StageKind
from qgov_brands.queries.pages import page_of
from qgov_shared.auth import Principal, Role
from qgov_shared.http.pagination import Page, PageRequest
from qgov_shared.http.problems import ProblemException
from qgov_shared.region_scope import in_regions

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
    return await page_of(session, query, [Application.id], page)


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
    return await page_of(session, query, [Application.notice_ends_on, Application.id], page)
