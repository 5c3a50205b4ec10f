"""The demo's HTTP API."""

from fastapi import APIRouter, status
from sqlalchemy import select

from qgov_demo import handlers
from qgov_demo.models import Ping
from qgov_demo.schemas import PingCreate, PingPublic, ReceiptsPublic
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep, keyset_page
from qgov_shared.uscc import CreditCodeStr

router = APIRouter(prefix="/api/v1/demo", tags=["demo"])


@router.post("/pings", status_code=status.HTTP_201_CREATED, response_model=PingPublic)
async def record_ping(body: PingCreate, uow: UnitOfWorkDep, key: IdempotencyKeyDep):
    return await execute(
        uow,
        key,
        lambda uow: handlers.record_ping(body.credit_code, body.message, uow),
        PingPublic.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/pings", response_model=Page[PingPublic])
async def list_pings(session: SessionDep, page: PageRequestDep) -> Page[PingPublic]:
    rows, next_cursor = await keyset_page(session, select(Ping), [Ping.id], page)
    return Page(
        items=[PingPublic.model_validate(row.Ping) for row in rows], next_cursor=next_cursor
    )


@router.get("/receipts/{credit_code}", response_model=ReceiptsPublic)
async def receipts(credit_code: CreditCodeStr, session: SessionDep) -> ReceiptsPublic:
    ping_ids = await handlers.receipts_for(credit_code, session)
    return ReceiptsPublic(credit_code=credit_code, count=len(ping_ids), ping_ids=ping_ids)
