"""What anyone may read: the programmes, each programme's current holders, the public
notices with their objection deadlines, and any award with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qgov_brands import queries, views
from qgov_brands.dependencies import ContextDep
from qgov_brands.domain import ProgrammeNotFound
from qgov_brands.schemas import (
    AwardDetail,
    AwardPublic,
    HolderFilters,
    NoticePublic,
    ProgrammePublic,
)
from qgov_brands.schemas.text import Code
from qgov_shared.app import SessionDep
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId

router = APIRouter(prefix="/api/v1/awards", tags=["public"])


@router.get("/programmes", response_model=list[ProgrammePublic])
async def programmes(ctx: ContextDep) -> list[ProgrammePublic]:
    """Every award programme: rounds, eligibility, stages, evaluation, quotas and basis."""
    return [views.programme(p) for p in ctx.policy.programmes.values()]


@router.get("/programmes/{code}", response_model=ProgrammePublic)
async def programme(code: Code, ctx: ContextDep) -> ProgrammePublic:
    if code not in ctx.policy.programmes:
        raise ProgrammeNotFound(code)
    return views.programme(ctx.policy.programmes[code])


@router.get("/holders", response_model=Page[AwardPublic])
async def holders(
    ctx: ContextDep,
    session: SessionDep,
    page: PageRequestDep,
    filters: Annotated[HolderFilters, Query()],
) -> Page[AwardPublic]:
    """The programme's current holders (of one round with `round`): awards standing today."""
    rows = await queries.holders(session, filters, ctx.today, page)
    return views.page(rows, AwardPublic)


@router.get("/notices", response_model=Page[NoticePublic])
async def notices(ctx: ContextDep, session: SessionDep, page: PageRequestDep) -> Page[NoticePublic]:
    """Applications in public notice, the soonest to end first: objections are taken until
    each one's `notice_ends_on`."""
    rows = await queries.notices(session, ctx.policy, ctx.today, page)
    return Page[NoticePublic](
        items=[views.notice(row, ctx.policy) for row in rows.items], next_cursor=rows.next_cursor
    )


@router.get("/granted/{award_id}", response_model=AwardDetail)
async def award(award_id: RowId, session: SessionDep) -> AwardDetail:
    """An award, standing or not, with every change of its status."""
    row = await queries.award(session, award_id)
    return views.award_detail(row, await queries.award_history(session, award_id))
