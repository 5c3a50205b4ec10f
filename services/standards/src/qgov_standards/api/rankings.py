"""Frontrunners: regulators set each category's evaluation plan; everyone reads plans,
rankings and the categories they rank."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.uow import UnitOfWork
from qgov_standards import views
from qgov_standards.api import PREFIX
from qgov_standards.dependencies import ContextDep, Regulator
from qgov_standards.handlers import plans
from qgov_standards.queries import rankings as stored
from qgov_standards.schemas.rankings import Placement, PlanIn, PlanPublic, RankingPublic

router = APIRouter(prefix=PREFIX, tags=["frontrunners"])
Category = Annotated[str, Path(max_length=40, description="one of `GET /categories`")]


class CategoryShown(BaseModel):
    code: str
    name: str


class Categories(BaseModel):
    categories: list[CategoryShown]


@router.get("/categories", response_model=Categories)
async def categories(ctx: ContextDep) -> Categories:
    """The product and service categories declarations, limits and rankings name."""
    listed = ctx.policy.categories.items()
    return Categories(categories=[CategoryShown(code=c, name=n) for c, n in listed])


@router.put("/plans/{category}", status_code=status.HTTP_201_CREATED, response_model=PlanPublic)
async def set_plan(
    category: Category,
    body: PlanIn,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Set the category's next evaluation plan; the category is ranked anew by it."""

    async def act(uow: UnitOfWork) -> PlanPublic:
        return views.plan(await plans.set_plan(category, body, uow, ctx))

    return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.get("/plans/{category}", response_model=PlanPublic)
async def plan(
    category: Category,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> PlanPublic:
    """The category's newest plan, or the `version` asked for."""
    return views.plan(await stored.plan(session, category, version))


@router.get("/rankings/{category}", response_model=RankingPublic)
async def ranking(category: Category, session: SessionDep) -> RankingPublic:
    """The category's latest ranking: its plan version and its frontrunners."""
    return views.ranking(await stored.ranking(session, category))


@router.get("/rankings/{category}/entries", response_model=Page[Placement])
async def entries(category: Category, session: SessionDep, page: PageRequestDep) -> Page[Placement]:
    """Every declaration of the category in the latest ranking, best first, the excluded last."""
    latest = await stored.ranking(session, category)
    rows, cursor = await stored.entries(session, category, page)
    return Page(items=[views.placement(row, latest) for row in rows], next_cursor=cursor)
