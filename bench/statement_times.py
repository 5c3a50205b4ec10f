"""Where a path's time goes in the database: every asyncpg statement the process awaits, by
statement text, with how often it ran and how long its callers waited for it (round trip and
the server's work together).

    with statement_times() as times:
        ...  # the path measured
    times.print(console, wall_s, per=events, unit="event")

Waiting is what the process does while the database works, so the total against the path's
wall time splits it into the database's share and this process's own (Python, the broker).
Timing every statement costs a few microseconds each: a run with it on is for the breakdown,
not for the rate.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from asyncpg.connection import Connection
from rich.console import Console

_TIMED = ("execute", "executemany", "fetch", "fetchrow", "fetchval")
_SHOWN_CHARS = 72


@dataclass
class StatementTimes:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, query: str, elapsed: float) -> None:
        key = " ".join(query.split())[:_SHOWN_CHARS]
        self.counts[key] += 1
        self.seconds[key] += elapsed

    @property
    def total_s(self) -> float:
        return sum(self.seconds.values())

    def print(self, console: Console, wall_s: float, per: int, unit: str) -> None:
        """The statements by time waited, each per `per` of the path's `unit`s."""
        console.print(
            f"statements awaited {self.total_s:.1f}s of {wall_s:.1f}s "
            f"({self.total_s / wall_s:.0%}); per {unit}: {self.total_s / per * 1e3:.3f} ms",
            highlight=False,
        )
        for key in sorted(self.seconds, key=self.seconds.get, reverse=True):
            waited, count = self.seconds[key], self.counts[key]
            console.print(
                f"  {waited:7.2f}s {count:7,d}× {waited / count * 1e3:7.2f} ms  {key}",
                highlight=False,
                markup=False,
            )


@contextlib.contextmanager
def statement_times() -> Iterator[StatementTimes]:
    """Time every statement any asyncpg connection of this process awaits, until exit."""
    times = StatementTimes()
    originals = {name: getattr(Connection, name) for name in _TIMED}
    for name, original in originals.items():
        setattr(Connection, name, _timed(original, times))
    try:
        yield times
    finally:
        for name, original in originals.items():
            setattr(Connection, name, original)


def _timed(method, times: StatementTimes):
    async def timed(self, query, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await method(self, query, *args, **kwargs)
        finally:
            times.add(str(query), time.perf_counter() - started)

    return timed
