"""The relay publishes when a writer commits, not at its next poll, and keeps doing so after
its listening connection is cut; its linger, meant for bursts, never holds back a commit that
comes after a quiet spell."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from qgov_shared.outbox import RELAY_APPLICATION_NAME
from qgov_shared.testing.stack import RunningService, TestStack, wait_for

from .conftest import ENTERPRISES, receipts, record_ping, running_demo

# Far longer than any wait below: only a commit notice can explain a prompt publication.
POLL_INTERVAL_S = 600.0
PROMPTLY_S = 15.0
# A linger long enough that a commit held by it would be seen to wait.
LINGER_S = 6.0


@pytest.fixture
async def demo_that_never_polls(stack: TestStack) -> AsyncIterator[RunningService]:
    async with running_demo(stack, outbox_poll_interval_s=POLL_INTERVAL_S) as service:
        yield service


@pytest.fixture
async def demo_that_lingers(stack: TestStack) -> AsyncIterator[RunningService]:
    async with running_demo(
        stack, outbox_poll_interval_s=POLL_INTERVAL_S, outbox_linger_s=LINGER_S
    ) as service:
        yield service


async def test_a_commit_wakes_the_relay(demo_that_never_polls: RunningService) -> None:
    service = demo_that_never_polls
    await _settled(service)

    ping = await record_ping(service, ENTERPRISES[0], "wake up")

    await wait_for(lambda: _received(service, ping), within=PROMPTLY_S, what="the ping applied")


async def test_the_relay_listens_again_after_its_connection_is_cut(
    demo_that_never_polls: RunningService,
) -> None:
    service = demo_that_never_polls
    await _settled(service)
    async with service.runtime.engine.connect() as connection:
        cut = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :relay"
            ),
            {"relay": RELAY_APPLICATION_NAME},
        )
    assert cut == 1, "the relay holds one connection, which listens"

    ping = await record_ping(service, ENTERPRISES[1], "still awake")

    await wait_for(lambda: _received(service, ping), within=PROMPTLY_S, what="the ping applied")


async def test_a_commit_after_a_quiet_spell_is_not_lingered_over(
    demo_that_lingers: RunningService,
) -> None:
    service = demo_that_lingers
    await _settled(service)
    await asyncio.sleep(LINGER_S + 0.5)  # quieter than the linger: no burst to wait for

    ping = await record_ping(service, ENTERPRISES[1], "after a quiet spell")

    await wait_for(
        lambda: _received(service, ping), within=LINGER_S - 1.0, what="the ping, not lingered"
    )


async def _settled(service: RunningService) -> None:
    """The relay has started and taken its first look (the first pass always looks)."""
    first = await record_ping(service, ENTERPRISES[2], "first")
    await wait_for(lambda: _received(service, first), within=PROMPTLY_S, what="the first ping")


async def _received(service: RunningService, ping_id: int) -> bool:
    return ping_id in await receipts(service)
