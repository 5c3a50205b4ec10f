"""The brand registry: enterprises register their brands and transfer them; anyone reads a
brand, its owners over time and its awards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from qgov_brands import queries, views
from qgov_brands.dependencies import ContextDep, Enterprise
from qgov_brands.handlers import brands
from qgov_brands.schemas import (
    AwardPublic,
    BrandCreate,
    BrandDetail,
    BrandFilters,
    BrandPublic,
    TransferCreate,
    TransferPublic,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId

router = APIRouter(prefix="/api/v1/brands", tags=["brands"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BrandPublic)
async def register(
    body: BrandCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Register a brand your enterprise owns, with its trademark registration."""
    return await execute(
        uow,
        key,
        lambda uow: brands.register(body, uow, ctx),
        BrandPublic.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", response_model=Page[BrandPublic])
async def list_brands(
    session: SessionDep, page: PageRequestDep, filters: Annotated[BrandFilters, Query()]
) -> Page[BrandPublic]:
    """Registered brands, oldest first; of one owner with `credit_code`."""
    return views.page(await queries.brands(session, filters.credit_code, page), BrandPublic)


@router.get("/transfers", response_model=Page[TransferPublic])
async def my_transfers(
    principal: Enterprise, session: SessionDep, page: PageRequestDep
) -> Page[TransferPublic]:
    """Transfers your enterprise requested or is asked to accept."""
    rows = await queries.transfers_of(session, principal.credit_code, page)
    return views.page(rows, TransferPublic)


@router.post("/transfers/{transfer_id}/acceptance", response_model=TransferPublic)
async def accept(
    transfer_id: RowId,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Accept a brand transferred to your enterprise: it is yours from now on."""
    return await execute(
        uow,
        key,
        lambda uow: brands.accept_transfer(transfer_id, uow, ctx),
        TransferPublic.model_validate,
    )


@router.post("/transfers/{transfer_id}/refusal", response_model=TransferPublic)
async def refuse(
    transfer_id: RowId,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Refuse a brand transferred to your enterprise."""
    return await execute(
        uow,
        key,
        lambda uow: brands.refuse_transfer(transfer_id, uow, ctx),
        TransferPublic.model_validate,
    )


@router.get("/{brand_id}", response_model=BrandDetail)
async def show(brand_id: RowId, session: SessionDep) -> BrandDetail:
    """A brand and every enterprise that has owned it."""
    brand = await queries.brand(session, brand_id)
    return views.brand_detail(brand, await queries.accepted_transfers(session, brand_id))


@router.get("/{brand_id}/awards", response_model=Page[AwardPublic])
async def award_history(
    brand_id: RowId, session: SessionDep, page: PageRequestDep
) -> Page[AwardPublic]:
    """Every award the brand was granted, standing or not, oldest first."""
    await queries.brand(session, brand_id)
    return views.page(await queries.brand_awards(session, brand_id, page), AwardPublic)


@router.post(
    "/{brand_id}/transfers", status_code=status.HTTP_201_CREATED, response_model=TransferPublic
)
async def request_transfer(
    brand_id: RowId,
    body: TransferCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Offer your brand to another enterprise; it passes when the receiver accepts."""
    return await execute(
        uow,
        key,
        lambda uow: brands.request_transfer(brand_id, body, uow, ctx),
        TransferPublic.model_validate,
        status_code=status.HTTP_201_CREATED,
    )
