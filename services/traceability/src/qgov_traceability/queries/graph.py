"""Tracing over the graph built at capture: one recursive query from the start nodes,
bounded by a depth and a time window, that follows edges in time order. Downstream, an
object's next hop happened after the hop that reached it and, through a container, while it
was still inside; upstream, before. It reads only the edges it walks (indexed by source and
target), so its cost follows the size of the trace, not of the history.

The walk returns the nodes reached and the edges walked, and the places (locations and
parties) where the reached objects were, each with the events behind it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_traceability.epcis.reading import OBJECT_EDGES, PLACE_EDGES, EdgeKind

_WALK = """
WITH RECURSIVE walk(node, lo, hi, depth, edge) AS (
    SELECT n, COALESCE(CAST(:since AS timestamptz), '-infinity'),
           COALESCE(CAST(:until AS timestamptz), 'infinity'), 0, CAST(NULL AS bigint)
    FROM unnest(CAST(:starts AS bigint[])) AS n
  UNION
    SELECT {next_node}, {next_lo}, {next_hi}, w.depth + 1, e.id
    FROM walk w JOIN trace_edges e ON e.{near} = w.node
    WHERE w.depth < :depth AND e.kind = ANY(CAST(:kinds AS smallint[]))
      AND e.at >= w.lo AND e.at <= w.hi
)
"""
# Downstream: the next hop is after this one, and while a container held the object.
_FORWARD = _WALK.format(
    next_node="e.target",
    near="source",
    next_lo="e.at",
    next_hi="LEAST(w.hi, COALESCE(e.until, w.hi))",
)
# Upstream: what came before this hop.
_BACKWARD = _WALK.format(next_node="e.source", near="target", next_lo="w.lo", next_hi="e.at")
# One statement: the walk runs once, and its nodes and edges come back as rows of two shapes.
_RESULT = """
SELECT 'node', n.uri, n.kind, CAST(min(w.depth) AS int), CAST(NULL AS timestamptz),
       CAST(NULL AS varchar[])
FROM walk w JOIN trace_nodes n ON n.id = w.node GROUP BY n.uri, n.kind
UNION ALL
SELECT 'edge', s.uri, t.uri, CAST(e.kind AS int), e.at, array_agg(DISTINCT v.event_id)
FROM (SELECT DISTINCT edge FROM walk WHERE edge IS NOT NULL AND :with_edges) AS walked
JOIN trace_edges e ON e.id = walked.edge
JOIN trace_nodes s ON s.id = e.source JOIN trace_nodes t ON t.id = e.target
JOIN epcis_events v ON v.id = e.event_pk
GROUP BY s.uri, t.uri, e.kind, e.at
UNION ALL
SELECT 'edge', s.uri, t.uri, CAST(e.kind AS int), e.at, array_agg(DISTINCT v.event_id)
FROM (SELECT DISTINCT node, lo, hi FROM walk) AS w
JOIN trace_edges e ON e.source = w.node AND e.kind = ANY(CAST(:places AS smallint[]))
  AND e.at >= w.lo AND e.at <= w.hi
JOIN trace_nodes s ON s.id = e.source JOIN trace_nodes t ON t.id = e.target
JOIN epcis_events v ON v.id = e.event_pk
GROUP BY s.uri, t.uri, e.kind, e.at
"""


@dataclass(frozen=True)
class Reached:
    uri: str
    kind: str
    depth: int


@dataclass(frozen=True)
class Walked:
    source: str
    target: str
    kind: EdgeKind
    at: datetime
    events: list[str]


@dataclass(frozen=True)
class Trace:
    nodes: list[Reached]
    edges: list[Walked]

    @property
    def places(self) -> list[Walked]:
        return [edge for edge in self.edges if edge.kind in PLACE_EDGES]


async def node_ids(session: AsyncSession, uris: Iterable[str]) -> dict[str, int]:
    rows = await session.execute(
        text("SELECT uri, id FROM trace_nodes WHERE uri = ANY(CAST(:uris AS varchar[]))"),
        {"uris": sorted(set(uris))},
    )
    return dict(rows.all())


async def trace(
    session: AsyncSession,
    starts: Sequence[int],
    *,
    forward: bool,
    depth: int,
    since: datetime | None = None,
    until: datetime | None = None,
    with_edges: bool = True,
) -> Trace:
    """Walk from `starts` (node ids) downstream (`forward`) or upstream; without
    `with_edges`, only the nodes reached and the places they were at."""
    walk = _FORWARD if forward else _BACKWARD
    params = {
        "starts": list(starts),
        "since": since,
        "until": until,
        "depth": depth,
        "kinds": [int(k) for k in OBJECT_EDGES],
        "places": [int(k) for k in PLACE_EDGES],
        "with_edges": with_edges,
    }
    nodes: list[Reached] = []
    edges: list[Walked] = []
    for shape, a, b, c, at, events in (await session.execute(text(walk + _RESULT), params)).all():
        if shape == "node":
            nodes.append(Reached(a, b, c))
        else:
            edges.append(Walked(a, b, EdgeKind(c), at, list(events)))
    return Trace(nodes, edges)
