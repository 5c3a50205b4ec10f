"""Declarations: enterprises publish, revise and withdraw their own; everyone reads them, their
versions, the differences between versions, their flags and checks; regulators record checks
on the declarations of enterprises in their regions."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import CreditCodeStr
from qgov_standards import views
from qgov_standards.api import PREFIX, each_refusal_named
from qgov_standards.dependencies import ContextDep, Enterprise, Regulator
from qgov_standards.handlers import checks, declaring
from qgov_standards.models import Declaration
from qgov_standards.queries import declarations as stored
from qgov_standards.queries import rankings
from qgov_standards.schemas.declarations import (
    CheckCreate,
    CheckPublic,
    DeclarationCreate,
    DeclarationPublic,
    DeclarationRevision,
    DeclarationSummary,
    FlagPublic,
    VersionDiff,
    VersionPublic,
    Withdrawal,
)
from qgov_standards.schemas.rankings import Placement
from qgov_standards.versions import diff

router = APIRouter(prefix=f"{PREFIX}/declarations", tags=["declarations"])
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]
VersionQuery = Annotated[int, Query(ge=1, le=2**31 - 1)]


async def _shown(uow: UnitOfWork, row: Declaration, ctx: ContextDep) -> DeclarationPublic:
    await uow.session.flush()
    open_flags = await stored.open_flags(uow.session, [row.id])
    return views.declaration(row, open_flags, ctx.policy)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DeclarationPublic)
async def declare(
    body: DeclarationCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Publish the standards a product or service of your enterprise executes. Refused when
    it cites a withdrawn standard or an indicator is worse than a mandatory limit in force."""

    async def act(uow: UnitOfWork) -> DeclarationPublic:
        row, flagged = await declaring.declare(body, uow, ctx)
        open_flags = await stored.open_flags(uow.session, [row.id]) if flagged else []
        return views.declaration(row, open_flags, ctx.policy)

    with each_refusal_named():
        return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.get("", response_model=Page[DeclarationSummary])
async def list_declarations(
    session: SessionDep,
    page: PageRequestDep,
    credit_code: CreditCodeStr | None = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    state: Literal["published", "withdrawn"] | None = None,
) -> Page[DeclarationSummary]:
    """Declarations, oldest first: an enterprise's, a category's, in one state."""
    rows, cursor = await stored.declarations(session, credit_code, category, state, page)
    return Page(items=[views.summary(row) for row in rows], next_cursor=cursor)


@router.get("/{declaration_id}", response_model=DeclarationPublic)
async def show(declaration_id: RowId, session: SessionDep, ctx: ContextDep) -> DeclarationPublic:
    """A declaration as its latest version states it, withdrawn ones too, with open flags."""
    row = await stored.declaration(session, declaration_id)
    return views.declaration(row, await stored.open_flags(session, [row.id]), ctx.policy)


@router.post(
    "/{declaration_id}/versions",
    status_code=status.HTTP_201_CREATED,
    response_model=DeclarationPublic,
)
async def revise(
    declaration_id: RowId,
    body: DeclarationRevision,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Publish the next version of your declaration; the earlier ones stay readable."""

    async def act(uow: UnitOfWork) -> DeclarationPublic:
        return await _shown(uow, await declaring.revise(declaration_id, body, uow, ctx), ctx)

    with each_refusal_named():
        return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.post("/{declaration_id}/withdrawal", response_model=DeclarationPublic)
async def withdraw(
    declaration_id: RowId,
    body: Withdrawal,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Withdraw your declaration, with the reason; it stays on record."""

    async def act(uow: UnitOfWork) -> DeclarationPublic:
        return await _shown(uow, await declaring.withdraw(declaration_id, body, uow, ctx), ctx)

    return await execute(uow, key, act, lambda shown: shown)


@router.get("/{declaration_id}/versions", response_model=Page[VersionPublic])
async def versions(
    declaration_id: RowId, session: SessionDep, page: PageRequestDep
) -> Page[VersionPublic]:
    rows, cursor = await stored.versions(session, declaration_id, page)
    return Page(items=[views.version(row) for row in rows], next_cursor=cursor)


@router.get("/{declaration_id}/versions/{version}", response_model=VersionPublic)
async def version(
    declaration_id: RowId, version: VersionNumber, session: SessionDep
) -> VersionPublic:
    return views.version(await stored.version(session, declaration_id, version))


@router.get("/{declaration_id}/diff", response_model=VersionDiff)
async def compare(
    declaration_id: RowId,
    from_version: VersionQuery,
    to_version: VersionQuery,
    session: SessionDep,
) -> VersionDiff:
    """What changed from one version to another."""
    before = await stored.version(session, declaration_id, from_version)
    after = await stored.version(session, declaration_id, to_version)
    changes = diff(before.model_dump(), after.model_dump())
    return VersionDiff(
        declaration_id=declaration_id,
        from_version=from_version,
        to_version=to_version,
        changes=[vars(change) for change in changes],
    )


@router.get("/{declaration_id}/flags", response_model=Page[FlagPublic])
async def flags(
    declaration_id: RowId, session: SessionDep, page: PageRequestDep
) -> Page[FlagPublic]:
    """Every flag raised on the declaration, open and cleared, oldest first."""
    rows, cursor = await stored.flags(session, declaration_id, page)
    return Page(items=[views.flag(row) for row in rows], next_cursor=cursor)


@router.get("/{declaration_id}/checks", response_model=Page[CheckPublic])
async def list_checks(
    declaration_id: RowId, session: SessionDep, page: PageRequestDep
) -> Page[CheckPublic]:
    """The outcomes of checks on the declaration, public, oldest first."""
    rows, cursor = await stored.checks(session, declaration_id, page)
    return Page(items=[views.check(row) for row in rows], next_cursor=cursor)


@router.post(
    "/{declaration_id}/checks", status_code=status.HTTP_201_CREATED, response_model=CheckPublic
)
async def record_check(
    declaration_id: RowId,
    body: CheckCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record what a check of a declaration of an enterprise in your regions found."""

    async def act(uow: UnitOfWork) -> CheckPublic:
        check_id = await checks.record_check(declaration_id, body, uow, ctx)
        return views.check(await stored.check(uow.session, check_id))

    return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.get("/{declaration_id}/ranking", response_model=Placement)
async def placement(declaration_id: RowId, session: SessionDep) -> Placement:
    """Where the declaration ranks in its category's latest ranking, and why."""
    entry, ranking = await rankings.placement(session, declaration_id)
    return views.placement(entry, ranking)
