"""Regulators keep the rosters a draw runs on: inspectors and their declared conflicts, the
laboratories, and the directory of enterprises by product; everyone reads the catalogue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from qgov_inspections import views
from qgov_inspections.api import PREFIX
from qgov_inspections.dependencies import ContextDep, Regulator
from qgov_inspections.handlers import roster
from qgov_inspections.queries import directory
from qgov_inspections.schemas.roster import (
    ConflictCreate,
    ConflictPublic,
    DirectoryEnterprise,
    DirectoryImport,
    DirectoryImported,
    InspectorCreate,
    InspectorPublic,
    LaboratoryCreate,
    LaboratoryPublic,
    LaboratoryRegistered,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId

router = APIRouter(prefix=PREFIX, tags=["rosters"])


@router.get("/catalogue", response_model=dict[str, str])
async def catalogue(ctx: ContextDep) -> dict[str, str]:
    """The key products campaigns sample, by code."""
    return ctx.policy.catalogue


@router.post("/inspectors", status_code=status.HTTP_201_CREATED, response_model=InspectorPublic)
async def register_inspector(
    body: InspectorCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """An inspector of an office in your regions joins the pool campaigns draw from."""
    return await execute(
        uow,
        key,
        lambda uow: roster.register_inspector(body, uow, ctx),
        views.inspector,
        status_code=201,
    )


@router.get("/inspectors", response_model=Page[InspectorPublic])
async def list_inspectors(
    principal: Regulator, session: SessionDep, page: PageRequestDep
) -> Page[InspectorPublic]:
    """The inspectors of your regions."""
    rows, cursor = await directory.inspectors_in(session, principal.regions, page)
    return Page(items=[views.inspector(row) for row in rows], next_cursor=cursor)


@router.post(
    "/inspectors/{inspector_id}/conflicts",
    status_code=status.HTTP_201_CREATED,
    response_model=ConflictPublic,
)
async def declare_conflict(
    inspector_id: RowId,
    body: ConflictCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """An inspector's declared interest in an enterprise: no draw sends them to it."""
    return await execute(
        uow,
        key,
        lambda uow: roster.declare_conflict(inspector_id, body, uow, ctx),
        views.conflict,
        status_code=201,
    )


@router.post(
    "/laboratories", status_code=status.HTTP_201_CREATED, response_model=LaboratoryRegistered
)
async def register_laboratory(
    body: LaboratoryCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """A testing laboratory; the answer holds its access key, shown this once."""
    return await execute(
        uow,
        key,
        lambda uow: roster.register_laboratory(body, uow, ctx),
        lambda registered: LaboratoryRegistered(
            **views.laboratory(registered[0]).model_dump(), access_key=registered[1]
        ),
        status_code=201,
    )


@router.get("/laboratories", response_model=Page[LaboratoryPublic])
async def list_laboratories(session: SessionDep, page: PageRequestDep) -> Page[LaboratoryPublic]:
    """The laboratories campaigns may send samples to."""
    rows, cursor = await directory.laboratories(session, page)
    return Page(items=[views.laboratory(row) for row in rows], next_cursor=cursor)


@router.post("/directory", response_model=DirectoryImported)
async def import_directory(
    body: DirectoryImport,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """List enterprises of your regions for products of the catalogue (检查对象名录库); they
    join those the standards service's declarations place."""
    return await execute(
        uow,
        key,
        lambda uow: roster.import_directory(body, uow, ctx),
        lambda count: DirectoryImported(imported=count),
    )


@router.get("/directory", response_model=Page[DirectoryEnterprise])
async def list_directory(
    principal: Regulator,
    ctx: ContextDep,
    session: SessionDep,
    page: PageRequestDep,
    category: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[DirectoryEnterprise]:
    """Enterprises of your regions, with what they make and their credit grade."""
    rows, cursor = await directory.listed(
        session, principal.regions, category, ctx.policy.default_grade, page
    )
    return Page(items=[views.directory_entry(*row) for row in rows], next_cursor=cursor)
