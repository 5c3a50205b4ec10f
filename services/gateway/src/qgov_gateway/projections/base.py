"""What every source service's projection is made of, and the chunk its events are applied in.

A projection never runs SQL itself: applying an event queues the rows of the statements it
needs (`Chunk.write`) and names the enterprises whose profile documents it changes
(`Chunk.touch`). The chunk then runs each statement once with every event's rows (asyncpg's
`executemany`: one round trip), and the profile documents of the enterprises touched are
rebuilt once per chunk. So a statement's rows keep their events' order, but two statements'
rows do not interleave: a projection's statements must not depend on each other's order,
except that a statement first used earlier in an event runs earlier (the profile opens before
anything is written to it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import asyncpg
from pydantic import BaseModel, ConfigDict

from qgov_shared.envelope import CloudEvent


class EventView(BaseModel):
    """The part of one event type's data the gateway reads; the rest is ignored, so a producer
    may add fields freely."""

    model_config = ConfigDict(frozen=True, extra="ignore")


@dataclass(frozen=True)
class Write:
    """One SQL statement a projection runs for each event it applies, with `$n` parameters.
    `lock`: a transaction-level advisory lock the chunk takes before any of its writes and
    holds until it commits, when it runs this statement at all."""

    sql: str
    lock: int | None = None


@dataclass
class Chunk:
    """The writes a chunk of events needs, in order, and the enterprises whose profile
    documents they change."""

    writes: dict[Write, list[Sequence[Any]]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)

    def write(self, write: Write, *arguments: Any) -> None:
        self.writes.setdefault(write, []).append(arguments)

    def touch(self, credit_code: str) -> None:
        self.touched.add(credit_code)

    async def run(self, connection: asyncpg.Connection) -> None:
        """Every queued write, each statement once with all its rows, on `connection` (in the
        unit of work's transaction)."""
        for lock in sorted({write.lock for write in self.writes if write.lock is not None}):
            await connection.execute("SELECT pg_advisory_xact_lock($1)", lock)
        for write, rows in self.writes.items():
            await connection.executemany(write.sql, rows)


View = TypeVar("View", bound=EventView)


@dataclass(frozen=True)
class Projection(Generic[View]):
    """How one event type reaches the read model: `reads`, the gateway's own model of the
    event's data (held to the producer's contract by tests/test_contracts.py), and `apply`,
    the writes it queues in the chunk."""

    reads: type[View]
    apply: Callable[[View, CloudEvent, Chunk], None]


SectionName = Literal["awards", "standards", "recalls", "certificates", "inspections"]


@dataclass(frozen=True)
class ProfileSection:
    """A list in the profile document that one service's events fill: `read` gives the items
    of each enterprise asked for (those with none may be left out), from the tables that
    service's projection writes. Everyone sees these sections."""

    name: SectionName
    read: Callable[[asyncpg.Connection, list[str]], Awaitable[dict[str, list[dict[str, Any]]]]]


def items_by_enterprise(rows: Sequence[asyncpg.Record]) -> dict[str, list[dict[str, Any]]]:
    """A section's rows, in order, as the items of each row's `credit_code` (left out of the
    item)."""
    items: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        item = dict(row)
        items.setdefault(item.pop("credit_code"), []).append(item)
    return items
