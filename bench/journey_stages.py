"""Where an end-to-end sample's time goes, from the timestamps the two databases already keep.

A sample is one request through the gateway until a poll sees its effect. Its event leaves a
trace in both services' tables: the source's outbox row says when the relay marked it published
(`clock_timestamp()` after the broker's acks), and the reader's processed-event row when the
consumer's transaction that applied it began (`now()`). With the client's own wall-clock times
of the request, its answer and the poll that saw the effect, the sample splits into:

    answered    the request, through the gateway, until its answer (the source has committed)
    published   the answer → the relay's mark: its wake on NOTIFY, the batch's SELECT, the
                produce with acks=all
    consumed    the mark → the reader's transaction begins: the broker's fetch wait, getmany,
                decoding the CloudEvent
    seen        that transaction → a poll sees the effect: the projection's work and commit, then
                up to one poll interval and the GET that reads it

All four come from one clock (PostgreSQL and this process on the same machine).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import asyncpg

STAGES = ("answered", "published", "consumed", "seen")

_PUBLISHED = """
    SELECT partition_key, event_id, extract(epoch FROM published_at) AS published
    FROM outbox_events WHERE event_type = $1 AND partition_key = ANY($2::text[])"""
_CONSUMED = """
    SELECT event_id, extract(epoch FROM processed_at) AS consumed
    FROM processed_events WHERE consumer = $1 AND event_id = ANY($2::text[])"""


@dataclass(frozen=True)
class Sample:
    """One sample's wall-clock times (`time.time()`), about an enterprise of its own."""

    credit_code: str
    started: float
    answered: float
    seen: float


@dataclass(frozen=True)
class Journey:
    """Where a journey's event is written and where it is read."""

    event_type: str
    source_dsn: str
    reader_dsn: str
    reader_group: str


async def stage_medians(journey: Journey, samples: list[Sample]) -> dict[str, float]:
    """The median milliseconds of each stage over `samples`, by name."""
    codes = [sample.credit_code for sample in samples]
    source = await asyncpg.connect(journey.source_dsn)
    try:
        published = await source.fetch(_PUBLISHED, journey.event_type, codes)
    finally:
        await source.close()
    events = {row["partition_key"]: (row["event_id"], float(row["published"])) for row in published}
    reader = await asyncpg.connect(journey.reader_dsn)
    try:
        consumed = await reader.fetch(
            _CONSUMED, journey.reader_group, [event_id for event_id, _ in events.values()]
        )
    finally:
        await reader.close()
    began = {row["event_id"]: float(row["consumed"]) for row in consumed}
    stages: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for sample in samples:
        event_id, published_at = events[sample.credit_code]
        times = (sample.started, sample.answered, published_at, began[event_id], sample.seen)
        for stage, start, end in zip(STAGES, times[:-1], times[1:], strict=True):
            stages[stage].append((end - start) * 1000.0)
    return {stage: statistics.median(values) for stage, values in stages.items()}
