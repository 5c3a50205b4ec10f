"""Recalls (缺陷产品召回): started by the producer or ordered by a regulator, with the affected
downstream set computed from the trace graph; progress by party, and closure."""

from __future__ import annotations

from fastapi import APIRouter, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork
from qgov_traceability import views
from qgov_traceability.dependencies import ContextDep, Member
from qgov_traceability.handlers import Context, recalls
from qgov_traceability.models import Recall
from qgov_traceability.queries import recalls as records
from qgov_traceability.schemas import (
    ProgressCreate,
    RecallClose,
    RecallCreate,
    RecallPublic,
    RecallSummary,
)

router = APIRouter(prefix="/api/v1/recalls", tags=["recalls"])


async def _shown(recall: Recall, uow: UnitOfWork, ctx: Context) -> RecallPublic:
    await uow.session.flush()
    parties = await records.recall_parties(uow.session, recall.id)
    affected = await records.affected_items(uow.session, recall.id)
    return views.recall(recall, parties, affected, ctx.today, ctx.policy)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RecallPublic)
async def initiate(
    body: RecallCreate,
    principal: Member,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Start a recall: an enterprise its own (voluntary), a regulator one it orders."""

    async def run(uow: UnitOfWork) -> RecallPublic:
        return await _shown(await recalls.initiate(body, uow, ctx), uow, ctx)

    return await execute(uow, key, run, lambda shown: shown, status_code=status.HTTP_201_CREATED)


@router.get("", response_model=Page[RecallSummary])
async def list_recalls(
    principal: Member, session: SessionDep, page: PageRequestDep
) -> Page[RecallSummary]:
    rows, cursor = await records.recalls(session, principal, page)
    return Page(items=[views.recall_summary(r[0]) for r in rows], next_cursor=cursor)


@router.get("/{recall_id}", response_model=RecallPublic)
async def show(
    recall_id: RowId, principal: Member, ctx: ContextDep, session: SessionDep
) -> RecallPublic:
    recall = await records.recall_for(session, recall_id, principal)
    parties = await records.recall_parties(session, recall.id)
    affected = await records.affected_items(session, recall.id)
    return views.recall(recall, parties, affected, ctx.today, ctx.policy)


@router.post("/{recall_id}/progress", response_model=RecallPublic)
async def report_progress(
    recall_id: RowId,
    body: ProgressCreate,
    principal: Member,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Units a party holding the products has recovered."""

    async def run(uow: UnitOfWork) -> RecallPublic:
        return await _shown(await recalls.progress(recall_id, body, uow, ctx), uow, ctx)

    return await execute(uow, key, run, lambda shown: shown)


@router.post("/{recall_id}/close", response_model=RecallPublic)
async def close(
    recall_id: RowId,
    body: RecallClose,
    principal: Member,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Close a recall carried out, with its summary."""

    async def run(uow: UnitOfWork) -> RecallPublic:
        return await _shown(await recalls.close(recall_id, body, uow, ctx), uow, ctx)

    return await execute(uow, key, run, lambda shown: shown)
