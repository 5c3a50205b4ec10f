"""Running a programme: admins register reviewers, regulators pick them; the committee
proposes a round by its quotas; a regulator revokes an award."""

from __future__ import annotations

from fastapi import APIRouter, status

from qgov_brands import queries, views
from qgov_brands.dependencies import Admin, ContextDep, Regulator
from qgov_brands.handlers import awards, reviewers, rounds
from qgov_brands.schemas import (
    ApplicationSummary,
    AwardPublic,
    ProposalCreate,
    ReviewerCreate,
    ReviewerPublic,
    RevocationCreate,
)
from qgov_brands.schemas.text import Code, RoundCode
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId

router = APIRouter(prefix="/api/v1/awards", tags=["committee"])


@router.post("/reviewers", status_code=status.HTTP_201_CREATED, response_model=ReviewerPublic)
async def register_reviewer(
    body: ReviewerCreate,
    principal: Admin,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Register an expert as a reviewer, bound to the subject of the expert's access tokens,
    with the conflicts of interest the expert declared."""
    return await execute(
        uow,
        key,
        lambda uow: reviewers.register(body, uow, ctx),
        ReviewerPublic.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/reviewers", response_model=Page[ReviewerPublic])
async def list_reviewers(
    principal: Regulator, session: SessionDep, page: PageRequestDep
) -> Page[ReviewerPublic]:
    """The registered reviewers, to choose whom to assign."""
    return views.page(await queries.reviewers(session, page), ReviewerPublic)


@router.post(
    "/programmes/{code}/rounds/{round_code}/proposal", response_model=list[ApplicationSummary]
)
async def propose(
    code: Code,
    round_code: RoundCode,
    body: ProposalCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """The committee's proposal for a closed round: by score, the programme's quotas put the
    best to public notice for the award or a nomination; the rest are turned down."""

    async def proposed(uow) -> list[ApplicationSummary]:
        ranked = await rounds.propose_round(code, round_code, body.reasons, uow, ctx)
        await uow.session.flush()
        return [ApplicationSummary.model_validate(row) for row in ranked]

    return await execute(uow, key, proposed, lambda shown: shown)


@router.post("/granted/{award_id}/revocation", response_model=AwardPublic)
async def revoke(
    award_id: RowId,
    body: RevocationCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Revoke an award: confirm the listing that suspended it, or on fraud found later."""
    return await execute(
        uow,
        key,
        lambda uow: awards.revoke(award_id, body, uow, ctx),
        AwardPublic.model_validate,
    )
