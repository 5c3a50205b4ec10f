"""The demo's use cases: record a ping (and announce it); apply announced pings."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_demo.events import PingRecorded
from qgov_demo.models import Ping, PingReceipt
from qgov_shared.envelope import CloudEvent
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork

# The backbone's benchmarks run through these two: the hot path of any service.
_PINGS = FastInsert(Ping.__table__, returning=("id", "created_at"))
_RECEIPTS = FastInsert(PingReceipt.__table__)


async def record_ping(credit_code: str, message: str, uow: UnitOfWork) -> Ping:
    values = {"credit_code": credit_code, "message": message}
    row = await _PINGS.one(await uow.connection(), values)
    recorded = PingRecorded(ping_id=row["id"], credit_code=credit_code, message=message)
    uow.publish(recorded.event(subject=credit_code, time=row["created_at"]))
    return Ping(**values, id=row["id"], created_at=row["created_at"])


async def apply_pings(events: list[CloudEvent], uow: UnitOfWork) -> None:
    """A receipt per ping, all in one statement."""
    receipts = [
        {"event_id": e.id, "credit_code": e.data["credit_code"], "ping_id": e.data["ping_id"]}
        for e in events
        if e.type == PingRecorded.TYPE
    ]
    if receipts:
        await _RECEIPTS.many(await uow.connection(), receipts)


async def receipts_for(credit_code: str, session: AsyncSession) -> list[int]:
    query = (
        select(PingReceipt.ping_id)
        .where(PingReceipt.credit_code == credit_code)
        .order_by(PingReceipt.id)
    )
    return list((await session.execute(query)).scalars())
