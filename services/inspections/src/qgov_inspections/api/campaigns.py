"""Campaigns: regulators publish them for their regions and draw them; everyone reads the
campaign page, its inspections with their final results, and the draw with all its inputs, so
that anyone can re-run it (README, "Verifying a draw")."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from fastapi.responses import PlainTextResponse

from qgov_inspections import views
from qgov_inspections.api import PREFIX
from qgov_inspections.dependencies import ContextDep, Regulator
from qgov_inspections.handlers import campaigns as publishing
from qgov_inspections.models import Campaign
from qgov_inspections.queries import campaigns as stored
from qgov_inspections.queries import inspections as stored_inspections
from qgov_inspections.schemas.campaigns import (
    CampaignCreate,
    CampaignPublic,
    DrawRecord,
    DrawRequest,
    PublicInspection,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork

router = APIRouter(prefix=f"{PREFIX}/campaigns", tags=["campaigns"])


async def _shown(session, row: Campaign, ctx) -> CampaignPublic:
    counted = await stored.counts(session, [row.id])
    return views.campaign(row, counted.get(row.id, (0, 0)), ctx.policy)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CampaignPublic)
async def publish(
    body: CampaignCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Publish a sampling campaign for your regions, committing to the secret seed by its
    SHA-256; the seed is revealed when you draw."""

    async def act(uow: UnitOfWork) -> CampaignPublic:
        return await _shown(uow.session, await publishing.publish(body, uow, ctx), ctx)

    return await execute(uow, key, act, lambda shown: shown, status_code=201)


@router.post("/{campaign_id}/draw", response_model=CampaignPublic)
async def run_draw(
    campaign_id: RowId,
    body: DrawRequest,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Reveal the seed and draw the enterprises and their inspectors. The candidate list,
    the inspector pool and the exclusions are frozen and published with the draw."""

    async def act(uow: UnitOfWork) -> CampaignPublic:
        drawn = await publishing.run_draw(campaign_id, body.seed, uow, ctx)
        await uow.session.flush()
        return await _shown(uow.session, drawn, ctx)

    return await execute(uow, key, act, lambda shown: shown)


@router.get("", response_model=Page[CampaignPublic])
async def list_campaigns(
    session: SessionDep,
    ctx: ContextDep,
    page: PageRequestDep,
    status: Literal["published", "drawn", "completed"] | None = None,
) -> Page[CampaignPublic]:
    """Every campaign, oldest first: public from its publication."""
    rows, cursor = await stored.campaigns(session, status, page)
    counted = await stored.counts(session, [row.id for row in rows])
    items = [views.campaign(row, counted.get(row.id, (0, 0)), ctx.policy) for row in rows]
    return Page(items=items, next_cursor=cursor)


@router.get("/{campaign_id}", response_model=CampaignPublic)
async def show(campaign_id: RowId, session: SessionDep, ctx: ContextDep) -> CampaignPublic:
    """The public campaign page: scope, ratios, the seed's commitment, progress, and the
    last day its results may become public once it is complete."""
    return await _shown(session, await stored.campaign(session, campaign_id), ctx)


@router.get("/{campaign_id}/inspections", response_model=Page[PublicInspection])
async def list_inspections(
    campaign_id: RowId, session: SessionDep, page: PageRequestDep
) -> Page[PublicInspection]:
    """The campaign's drawn enterprises with their inspectors, and each result once final."""
    await stored.campaign(session, campaign_id)
    rows, cursor = await stored_inspections.campaign_inspections(session, campaign_id, page)
    teams = await stored_inspections.teams(session, rows)
    items = [views.public_inspection(row, teams[row.id]) for row in rows]
    return Page(items=items, next_cursor=cursor)


@router.get("/{campaign_id}/draw", response_model=DrawRecord)
async def show_draw(campaign_id: RowId, session: SessionDep) -> DrawRecord:
    """The draw and everything it ran on: the revealed seed, the candidate list's hash, the
    ratios, the inspector pool and the exclusions, and what was drawn."""
    row = await stored.campaign(session, campaign_id)
    record = await stored.draw_of(session, campaign_id)
    drawn = await stored.drawn_teams(session, campaign_id)
    teams = await stored_inspections.teams(session, drawn)
    return views.draw_record(record, row, drawn, teams)


@router.get(
    "/{campaign_id}/draw/candidates",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def candidates(campaign_id: RowId, session: SessionDep) -> PlainTextResponse:
    """The frozen candidate list, exactly the text whose SHA-256 is `candidates_hash`: one
    `credit_code,grade` line per candidate, in credit-code order."""
    record = await stored.draw_of(session, campaign_id)
    return PlainTextResponse(record.candidates)
