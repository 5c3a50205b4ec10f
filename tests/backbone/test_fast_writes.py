"""Writes sent straight through asyncpg (`uow.connection()`, `qgov_shared.sql.FastInsert`) are
part of the unit of work: they commit with the session's writes and vanish with a rollback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from sqlalchemy import BigInteger, Column, MetaData, Table, Text, func, select
from sqlalchemy.engine import make_url

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_demo.models import Ping
from qgov_shared.backbone import outbox_events
from qgov_shared.db import is_infrastructure_failure
from qgov_shared.sql import FastInsert
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for
from qgov_shared.uow import UnitOfWork
from tests.backbone.conftest import ENTERPRISES

_PING = FastInsert(Ping.__table__, returning="id")


async def _pings(service: RunningService) -> list[tuple[str, str]]:
    async with service.runtime.session_factory() as session:
        rows = await session.execute(select(Ping.credit_code, Ping.message).order_by(Ping.id))
        return [tuple(row) for row in rows]


async def test_a_fast_insert_commits_with_the_sessions_own_writes(
    demo_without_consumers: RunningService,
) -> None:
    demo = demo_without_consumers
    async with demo.runtime.unit_of_work() as uow:
        ping_id = await _PING.one(
            await uow.connection(), {"credit_code": ENTERPRISES[0], "message": "fast"}
        )
        uow.session.add(Ping(credit_code=ENTERPRISES[1], message="through the session"))
        await uow.commit()

    assert isinstance(ping_id, int)
    assert await _pings(demo) == [(ENTERPRISES[0], "fast"), (ENTERPRISES[1], "through the session")]


class _Abandoned(Exception):
    pass


async def _abandon(demo: RunningService, write: Callable[[UnitOfWork], Awaitable[None]]) -> None:
    """`write` in a unit of work that is then left with an error, uncommitted."""

    async def write_then_fail() -> None:
        async with demo.runtime.unit_of_work() as uow:
            await write(uow)
            raise _Abandoned

    with pytest.raises(_Abandoned):
        await write_then_fail()


async def test_a_fast_insert_before_any_session_statement_still_rolls_back(
    demo_without_consumers: RunningService,
) -> None:
    async def insert(uow: UnitOfWork) -> None:
        # The transaction's first statement: had it run outside the unit's transaction, it
        # would have committed on its own.
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[0], "message": "x"})

    await _abandon(demo_without_consumers, insert)

    assert await _pings(demo_without_consumers) == []


async def test_the_session_first_then_a_fast_insert_commit_together(
    demo_without_consumers: RunningService,
) -> None:
    demo = demo_without_consumers
    async with demo.runtime.unit_of_work() as uow:
        uow.session.add(Ping(credit_code=ENTERPRISES[1], message="through the session"))
        await uow.session.flush()
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[0], "message": "fast"})
        await uow.commit()

    assert await _pings(demo) == [(ENTERPRISES[1], "through the session"), (ENTERPRISES[0], "fast")]


async def test_a_session_that_joins_after_a_fast_insert_rolls_back_with_it(
    demo_without_consumers: RunningService,
) -> None:
    async def write_both(uow: UnitOfWork) -> None:
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[0], "message": "x"})
        uow.session.add(Ping(credit_code=ENTERPRISES[1], message="y"))
        await uow.session.flush()

    await _abandon(demo_without_consumers, write_both)

    assert await _pings(demo_without_consumers) == []


async def test_fast_inserts_after_a_commit_start_a_transaction_that_commits_too(
    demo_without_consumers: RunningService,
) -> None:
    demo = demo_without_consumers
    async with demo.runtime.unit_of_work() as uow:
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[0], "message": "1st"})
        await uow.commit()
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[1], "message": "2nd"})
        await uow.commit()
        await _PING.one(await uow.connection(), {"credit_code": ENTERPRISES[2], "message": "lost"})

    assert await _pings(demo) == [(ENTERPRISES[0], "1st"), (ENTERPRISES[1], "2nd")]


async def test_json_columns_and_scalar_defaults_are_written_as_sqlalchemy_would(
    demo_without_consumers: RunningService,
) -> None:
    demo = demo_without_consumers
    outbox = FastInsert(outbox_events)
    row = {
        "event_id": "e-1",
        "topic": "t",
        "partition_key": ENTERPRISES[0],
        "event_type": "qgov.demo.ping.recorded.v1",
        "payload": "{}",
        "headers": {"ce_id": "e-1", "名": "值"},
    }
    async with demo.runtime.unit_of_work() as uow:
        await outbox.many(await uow.connection(), [row])
        await uow.commit()

    async with demo.runtime.engine.connect() as connection:
        headers = await connection.scalar(
            select(outbox_events.c.headers).where(outbox_events.c.event_id == "e-1")
        )
        published = await connection.scalar(
            select(func.count()).where(outbox_events.c.published_at.is_not(None))
        )
    assert headers == {"ce_id": "e-1", "名": "值"}
    assert published == 0


async def test_scalar_defaults_apply_and_unknown_columns_are_refused(
    demo_without_consumers: RunningService,
) -> None:
    notes = Table(
        "notes",
        MetaData(),
        Column("id", BigInteger, primary_key=True),
        Column("body", Text),
        Column("kind", Text, default="note"),
    )
    insert_note = FastInsert(notes, returning="id")
    async with demo_without_consumers.runtime.unit_of_work() as uow:
        connection = await uow.connection()
        await connection.execute(
            "CREATE TEMP TABLE notes (id bigserial PRIMARY KEY, body text, kind text)"
        )
        note_id = await insert_note.one(connection, {"body": "x"})
        assert await connection.fetchval("SELECT kind FROM notes WHERE id = $1", note_id) == "note"
        with pytest.raises(KeyError, match="no column colour"):
            await insert_note.one(connection, {"body": "y", "colour": "red"})


async def _backend(uow) -> int:
    return await (await uow.connection()).fetchval("SELECT pg_backend_pid()")


async def test_a_pooled_connection_the_server_closed_is_discarded_not_handed_out_again(
    stack: TestStack,
) -> None:
    """After a database restart every pooled connection is dead. SQLAlchemy notices only on its
    own statements, so the hot path's asyncpg statements would meet the same dead connection
    again and again: the first meets a failure callers retry, the rest a live connection."""
    # No relay and no consumers: nothing but this test takes connections from the pool.
    quiet = {"run_outbox_relay": False, "run_consumers": False}
    async with run_service(stack, SERVICE, create_app, DemoSettings, **quiet) as demo:
        await _a_dead_pooled_connection_is_met_once(demo)


async def _a_dead_pooled_connection_is_met_once(demo: RunningService) -> None:
    units = demo.runtime.unit_of_work
    async with units() as uow:
        victim = await _backend(uow)
    # The victim now waits in the pool; the server ends it, as a restart would.
    url = make_url(demo.settings.service_database_url)
    admin = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", victim)

        async def victim_gone() -> bool:
            alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"
            return await admin.fetchval(alive, victim) == 0

        await wait_for(victim_gone, what="the server to end the pooled connection")
    finally:
        await admin.close()

    failures, backends = [], []
    for _ in range(5):
        try:
            async with units() as uow:
                backends.append(await _backend(uow))
        except Exception as error:
            failures.append(error)
    assert len(failures) == 1
    assert is_infrastructure_failure(failures[0])
    assert victim not in backends
