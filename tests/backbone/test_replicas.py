"""Two replicas of a service, as two pods run it: each with its own relay and its own consumer
in the same group. The group splits the topic's partitions between them; a replica stopped
mid-stream hands its partitions to the other and takes a share again when it comes back, and
through it all nothing is lost, nothing applied twice, and each enterprise's events keep their
order."""

from __future__ import annotations

import asyncio
import contextlib
import itertools

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.consumer import EventConsumer
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack, run_replica, run_service, wait_for

from .conftest import receipts, record_ping

# Twelve keys, so that every partition of the six is likely to carry some.
ENTERPRISES = tuple(credit_code(serial) for serial in range(1, 13))
PARTITIONS = 6


def _consumer(service: RunningService) -> EventConsumer:
    [consumer] = service.runtime.consumers
    return consumer


async def _split(*services: RunningService) -> bool:
    """Whether the group has given every partition to exactly one of `services`, each some."""
    owned = [_consumer(service).partitions for service in services]
    together = frozenset().union(*owned)
    disjoint = sum(len(partitions) for partitions in owned) == len(together)
    return len(together) == PARTITIONS and disjoint and all(owned)


async def _applied_some(service: RunningService) -> bool:
    return _consumer(service).stats.processed > 0


class Writer:
    """Pings for the enterprises in turn, one at a time, through whichever replica is up."""

    def __init__(self) -> None:
        self.written: dict[str, list[int]] = {code: [] for code in ENTERPRISES}
        self.replicas: list[RunningService] = []
        self._stop = asyncio.Event()
        self._writing = asyncio.Lock()  # held for each write, so a replica leaves between two

    async def run(self) -> None:
        codes = itertools.cycle(ENTERPRISES)
        for n in itertools.count():
            if self._stop.is_set():
                return
            code = next(codes)
            async with self._writing:
                via = self.replicas[n % len(self.replicas)]
                self.written[code].append(await record_ping(via, code, f"ping {n}"))

    async def leave(self, replica: RunningService) -> None:
        """Write no more through `replica` (it is about to stop)."""
        async with self._writing:
            self.replicas.remove(replica)

    @property
    def count(self) -> int:
        return sum(map(len, self.written.values()))

    async def more(self, count: int) -> None:
        """Until `count` more pings are written."""
        target = self.count + count

        async def enough() -> bool:
            return self.count >= target

        await wait_for(enough, within=60, what=f"{count} more pings written")

    def stop(self) -> None:
        self._stop.set()


async def test_two_replicas_split_the_partitions_and_a_rebalance_loses_and_doubles_nothing(
    stack: TestStack,
) -> None:
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, consumer_batch_size=5
    ) as first:
        writer = Writer()
        writer.replicas.append(first)
        writing = asyncio.create_task(writer.run())
        try:
            async with run_replica(first, create_app) as second:
                writer.replicas.append(second)
                await wait_for(lambda: _split(first, second), what="the partitions split")
                await writer.more(60)
                await wait_for(lambda: _applied_some(second), what="the second to apply some")
                await writer.leave(second)
            # the second replica stopped mid-stream: the first takes every partition
            await wait_for(lambda: _split(first), what="the first replica to take every partition")
            await writer.more(60)
            async with run_replica(first, create_app) as third:
                writer.replicas.append(third)
                await wait_for(lambda: _split(first, third), what="the partitions split")
                await writer.more(60)
                await wait_for(lambda: _applied_some(third), what="the third to apply some")
                writer.stop()
                await writing
                everything = sorted(i for ids in writer.written.values() for i in ids)

                async def all_applied() -> bool:
                    return sorted(await receipts(first)) == everything

                await wait_for(all_applied, within=60, what="every ping applied")
        finally:
            writer.stop()
            with contextlib.suppress(Exception):
                await writing

        for code, ids in writer.written.items():
            assert await receipts(first, code) == ids, f"{code}'s pings out of order or doubled"
        assert len(await receipts(first)) == len(everything)
