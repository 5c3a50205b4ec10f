"""The catalogue of national standards: everyone reads it; regulators add standards, change a
mandatory standard's limits and record withdrawals, each answered with the declarations it
flagged at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.http.problems import ProblemException
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork
from qgov_standards import views
from qgov_standards.api import PREFIX
from qgov_standards.dependencies import ContextDep, Regulator
from qgov_standards.handlers import catalogue
from qgov_standards.handlers.catalogue import StandardChanged
from qgov_standards.numbers import InvalidStandardNumber, Kind, parse_standard_number
from qgov_standards.queries import catalogue as listed
from qgov_standards.schemas.catalogue import (
    CatalogueChange,
    CatalogueStandardCreate,
    CatalogueStandardPublic,
    LimitsChange,
    StandardWithdrawal,
)

router = APIRouter(prefix=f"{PREFIX}/catalogue", tags=["catalogue"])


async def _changed(uow: UnitOfWork, changed: StandardChanged, ctx: ContextDep) -> CatalogueChange:
    row, flagged = changed
    limits = await listed.limits_of(uow.session, row.id)
    shown = views.catalogue_standard(row, limits, ctx.today)
    return CatalogueChange(standard=shown, flagged=flagged)


@router.get("", response_model=Page[CatalogueStandardPublic])
async def list_standards(
    session: SessionDep,
    page: PageRequestDep,
    ctx: ContextDep,
    number: Annotated[
        str | None, Query(max_length=64, description="any spelling; without a year, every edition")
    ] = None,
    kind: Kind | None = None,
) -> Page[CatalogueStandardPublic]:
    """The catalogue, in the order standards were added."""
    wanted = None
    if number is not None:
        try:
            wanted = parse_standard_number(number, ctx.policy.industry_codes)
        except InvalidStandardNumber as error:
            detail = str(error)
            raise ProblemException(
                422, detail, errors=[{"parameter": "number", "in": "query", "detail": detail}]
            ) from error
    rows, cursor = await listed.standards(session, wanted, kind, page)
    limits = await listed.limits_by_standard(session, [row.id for row in rows])
    items = [views.catalogue_standard(row, limits[row.id], ctx.today) for row in rows]
    return Page(items=items, next_cursor=cursor)


@router.get("/{standard_id}", response_model=CatalogueStandardPublic)
async def show(standard_id: RowId, session: SessionDep, ctx: ContextDep) -> CatalogueStandardPublic:
    row = await listed.standard(session, standard_id)
    return views.catalogue_standard(row, await listed.limits_of(session, row.id), ctx.today)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CatalogueChange)
async def add(
    body: CatalogueStandardCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Add a national standard, with its limits when it is mandatory."""

    async def act(uow: UnitOfWork) -> CatalogueChange:
        return await _changed(uow, await catalogue.add_standard(body, uow, ctx), ctx)

    return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.put("/{standard_id}/limits", response_model=CatalogueChange)
async def change_limits(
    standard_id: RowId,
    body: LimitsChange,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Set all of a mandatory standard's limits; declarations a stricter one leaves below the
    floor are flagged, flags a looser one no longer supports are cleared."""

    async def act(uow: UnitOfWork) -> CatalogueChange:
        return await _changed(uow, await catalogue.change_limits(standard_id, body, uow, ctx), ctx)

    return await execute(uow, key, act, lambda shown: shown)


@router.post("/{standard_id}/withdrawal", response_model=CatalogueChange)
async def withdraw(
    standard_id: RowId,
    body: StandardWithdrawal,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record that a standard is withdrawn (废止) from a day, and what replaces it; every
    published declaration citing it is flagged."""

    async def act(uow: UnitOfWork) -> CatalogueChange:
        return await _changed(
            uow, await catalogue.withdraw_standard(standard_id, body, uow, ctx), ctx
        )

    return await execute(uow, key, act, lambda shown: shown)
