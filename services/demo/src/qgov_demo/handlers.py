"""The demo's use cases: record a ping (and announce it); apply announced pings."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_demo.events import PingRecorded
from qgov_demo.models import Ping, PingReceipt
from qgov_shared.envelope import CloudEvent
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork

_RECEIPTS = FastInsert(PingReceipt.__table__)


async def record_ping(credit_code: str, message: str, uow: UnitOfWork) -> Ping:
    ping = Ping(credit_code=credit_code, message=message)
    uow.session.add(ping)
    await uow.session.flush()
    await uow.session.refresh(ping)
    recorded = PingRecorded(ping_id=ping.id, credit_code=credit_code, message=message)
    uow.publish(recorded.event(subject=credit_code, time=ping.created_at))
    return ping


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
