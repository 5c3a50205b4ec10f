"""The demo's use cases: record a ping (and announce it); apply an announced ping."""

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_demo.events import PingRecorded
from qgov_demo.models import Ping, PingReceipt
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork


async def record_ping(credit_code: str, message: str, uow: UnitOfWork) -> Ping:
    ping = Ping(credit_code=credit_code, message=message)
    uow.session.add(ping)
    await uow.session.flush()
    await uow.session.refresh(ping)
    recorded = PingRecorded(ping_id=ping.id, credit_code=credit_code, message=message)
    uow.publish(recorded.event(subject=credit_code, time=ping.created_at))
    return ping


async def apply_ping(event: CloudEvent, uow: UnitOfWork) -> None:
    if event.type != PingRecorded.TYPE:
        return
    await uow.session.execute(
        insert(PingReceipt).values(
            event_id=event.id, credit_code=event.data["credit_code"], ping_id=event.data["ping_id"]
        )
    )


async def receipts_for(credit_code: str, session: AsyncSession) -> list[int]:
    query = (
        select(PingReceipt.ping_id)
        .where(PingReceipt.credit_code == credit_code)
        .order_by(PingReceipt.id)
    )
    return list((await session.execute(query)).scalars())
