"""Two writers naming an enterprise credit has never seen, at the same moment (a regulator's
record and an event taken in, say), open one file between them, and neither fails."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select, text

from qgov_credit.handlers import Context
from qgov_credit.handlers.files import open_files
from qgov_credit.models import Enterprise
from qgov_credit.policy import load_policy
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import wait_for

from .conftest import Office

NEW = credit_code(7001, "440203")
_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def test_concurrent_first_mentions_open_one_file(office: Office) -> None:
    runtime = office.svc.runtime
    ctx = Context(policy=load_policy(), now=office.clock())

    async def someone_waits() -> bool:
        async with runtime.engine.connect() as connection:
            return await connection.scalar(_WAITING) > 0

    async with runtime.unit_of_work() as first:
        await open_files([(NEW, "韶关甲公司", None)], first, ctx)

        async def second_writer() -> None:
            async with runtime.unit_of_work() as second:
                await open_files([(NEW, "韶关甲公司", None)], second, ctx)
                await second.commit()

        second = asyncio.create_task(second_writer())
        # The second is blocked behind the first's uncommitted file before the first commits.
        await wait_for(someone_waits, within=10, what="the second writer to wait")
        await first.commit()
    await second

    async with runtime.session_factory() as session:
        count = await session.scalar(
            select(func.count()).select_from(Enterprise).where(Enterprise.credit_code == NEW)
        )
    assert count == 1
