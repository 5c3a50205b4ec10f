"""Laboratories, with their key: the samples they hold, each known only by its blind code with
the product and the standards to test against (抽检分离), and the results they enter."""

from __future__ import annotations

from fastapi import APIRouter, Path

from qgov_inspections import views
from qgov_inspections.api import PREFIX
from qgov_inspections.blinding import BLIND_CODE_LENGTH
from qgov_inspections.dependencies import ContextDep, LaboratoryDep
from qgov_inspections.handlers import testing
from qgov_inspections.queries import inspections as stored
from qgov_inspections.schemas.inspections import LabResult, LabSample
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep

router = APIRouter(
    prefix=f"{PREFIX}/laboratory/samples",
    tags=["laboratories"],
    responses={401: {"description": "No laboratory key, or one no laboratory was given."}},
)
BlindCode = Path(min_length=BLIND_CODE_LENGTH, max_length=BLIND_CODE_LENGTH, pattern=r"^[A-Z2-9]+$")


@router.get("", response_model=Page[LabSample])
async def samples(
    laboratory: LaboratoryDep,
    session: SessionDep,
    page: PageRequestDep,
    pending: bool | None = None,
) -> Page[LabSample]:
    """The samples sent to your laboratory, oldest first; `pending` for those awaiting a
    result."""
    rows, cursor = await stored.laboratory_samples(session, laboratory.id, pending, page)
    return Page(items=[views.lab_sample(row) for row in rows], next_cursor=cursor)


@router.get("/{blind_code}", response_model=LabSample)
async def sample(
    laboratory: LaboratoryDep, session: SessionDep, blind_code: str = BlindCode
) -> LabSample:
    return views.lab_sample(await stored.sample_at(session, laboratory.id, blind_code))


@router.post("/{blind_code}/result", response_model=LabSample)
async def enter_result(
    laboratory: LaboratoryDep,
    body: LabResult,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
    blind_code: str = BlindCode,
):
    """Enter the result for a sample: passed, or failed with its failing indicators. A pass
    stands at once; a failure once the enterprise's objection period is over."""
    return await execute(
        uow,
        key,
        lambda uow: testing.enter_result(laboratory, blind_code, body, uow, ctx),
        views.lab_sample,
    )
