"""How captured events are written: the events themselves, the identifiers each names by
role (for MATCH_ queries), the parties each concerns (who may see it), and the trace-graph
edges each adds, all with one statement per table for the whole capture. Capture is the hot
path, so these are bulk `unnest` inserts, not ORM objects.

An event already stored (same eventID, or same hash) is not stored again. An error
declaration about a stored event marks that event declared and takes its edges out of the
graph; an aggregation's DELETE closes the containment edges it ends."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from qgov_shared.uow import UnitOfWork
from qgov_traceability.epcis.reading import CONTAINMENT, ReadEvent
from qgov_traceability.graph import kind_of

_NODES = text(
    "INSERT INTO trace_nodes (uri, kind) "
    "SELECT * FROM unnest(CAST(:uris AS varchar[]), CAST(:kinds AS varchar[])) "
    "ON CONFLICT (uri) DO NOTHING"
)
_NODE_IDS = text("SELECT uri, id FROM trace_nodes WHERE uri = ANY(CAST(:uris AS varchar[]))")
_EVENTS = text(
    "INSERT INTO epcis_events (event_id, event_type, event_time, record_time, "
    "time_zone_offset, action, biz_step, disposition, read_point, biz_location, "
    "error_declared_at, error_reason, corrective_event_ids, document, context, "
    "capture_job_id, captured_by) "
    "SELECT e.id, e.type, e.time, :record_time, e.offset_, e.action, e.step, e.disposition, "
    "e.read_point, e.location, e.declared, e.reason, CAST(e.corrective AS jsonb), "
    "CAST(e.document AS jsonb), CAST(:context AS jsonb), :job, :captured_by "
    "FROM unnest(CAST(:ids AS varchar[]), CAST(:types AS varchar[]), "
    "CAST(:times AS timestamptz[]), CAST(:offsets AS varchar[]), CAST(:actions AS varchar[]), "
    "CAST(:steps AS varchar[]), CAST(:dispositions AS varchar[]), "
    "CAST(:read_points AS varchar[]), CAST(:locations AS varchar[]), "
    "CAST(:declared AS timestamptz[]), CAST(:reasons AS varchar[]), "
    "CAST(:corrective AS text[]), CAST(:documents AS text[])) "
    "AS e(id, type, time, offset_, action, step, disposition, read_point, location, "
    "declared, reason, corrective, document) "
    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id, id"
)
_DECLARE = text(
    "UPDATE epcis_events SET error_declared_at = d.declared, error_reason = d.reason, "
    "corrective_event_ids = CAST(d.corrective AS jsonb), "
    "document = document || jsonb_build_object('errorDeclaration', CAST(d.declaration AS jsonb)) "
    "FROM unnest(CAST(:ids AS varchar[]), CAST(:declared AS timestamptz[]), "
    "CAST(:reasons AS varchar[]), CAST(:corrective AS text[]), CAST(:declarations AS text[])) "
    "AS d(event_id, declared, reason, corrective, declaration) "
    "WHERE epcis_events.event_id = d.event_id AND epcis_events.error_declared_at IS NULL "
    "RETURNING epcis_events.id"
)
_RETRACT = text("DELETE FROM trace_edges WHERE event_pk = ANY(CAST(:events AS bigint[]))")
_IDENTIFIERS = text(
    "INSERT INTO event_identifiers (node_id, role, event_pk) "
    "SELECT * FROM unnest(CAST(:nodes AS bigint[]), CAST(:roles AS smallint[]), "
    "CAST(:events AS bigint[])) ON CONFLICT DO NOTHING"
)
_PARTIES = text(
    "INSERT INTO event_parties (event_pk, credit_code, region_code) "
    "SELECT * FROM unnest(CAST(:events AS bigint[]), CAST(:codes AS varchar[]), "
    "CAST(:regions AS varchar[])) ON CONFLICT DO NOTHING"
)
_EDGES = text(
    "INSERT INTO trace_edges (source, target, kind, event_pk, at) "
    "SELECT * FROM unnest(CAST(:sources AS bigint[]), CAST(:targets AS bigint[]), "
    "CAST(:kinds AS smallint[]), CAST(:events AS bigint[]), CAST(:ats AS timestamptz[]))"
)
_RELEASE = text(
    "UPDATE trace_edges SET until = r.at "
    "FROM unnest(CAST(:parents AS bigint[]), CAST(:children AS bigint[]), "
    "CAST(:ats AS timestamptz[])) AS r(parent, child, at) "
    "WHERE trace_edges.target = r.parent AND trace_edges.until IS NULL "
    "AND trace_edges.at <= r.at AND trace_edges.kind = ANY(CAST(:kinds AS smallint[])) "
    "AND (r.child IS NULL OR trace_edges.source = r.child)"
)


@dataclass(frozen=True)
class Stored:
    """One event to write, with the parties it concerns: (credit code, region code)."""

    event: ReadEvent
    parties: frozenset[tuple[str, str]]


async def store(
    items: Sequence[Stored],
    uow: UnitOfWork,
    *,
    context: Any,
    record_time: datetime,
    job_id: int | None,
    captured_by: str,
) -> int:
    """Write `items` (in order); how many events were new to the repository."""
    if not items:
        return 0
    session = uow.session
    nodes = await _node_ids(session, {uri for item in items for uri in item.event.uris})
    events = [item.event for item in items]
    columns = {
        **_event_columns(events),
        "record_time": record_time,
        "context": json.dumps(context, ensure_ascii=False),
        "job": job_id,
        "captured_by": captured_by,
    }
    inserted = dict((await session.execute(_EVENTS, columns)).all())
    await _declare_stored(
        session, [e for e in events if e.error_declaration and e.event_id not in inserted]
    )
    new = [item for item in items if item.event.event_id in inserted]
    await _index(session, new, inserted, nodes)
    await _release(session, [e for e in events if e.released is not None], nodes)
    return len(new)


async def _node_ids(session, uris: set[str]) -> dict[str, int]:
    ordered = sorted(uris)  # one lock order for every capture: concurrent ones do not deadlock
    await session.execute(_NODES, {"uris": ordered, "kinds": [kind_of(u) for u in ordered]})
    return dict((await session.execute(_NODE_IDS, {"uris": ordered})).all())


def _event_columns(events: list[ReadEvent]) -> dict[str, list[Any]]:
    declared = [e.error_declaration for e in events]
    return {
        "ids": [e.event_id for e in events],
        "types": [e.event_type for e in events],
        "times": [e.event_time for e in events],
        "offsets": [e.time_zone_offset for e in events],
        "actions": [e.action for e in events],
        "steps": [e.biz_step for e in events],
        "dispositions": [e.disposition for e in events],
        "read_points": [e.read_point for e in events],
        "locations": [e.biz_location for e in events],
        "declared": [d.declared_at if d else None for d in declared],
        "reasons": [d.reason if d else None for d in declared],
        "corrective": [json.dumps(list(d.corrective_event_ids)) if d else None for d in declared],
        "documents": [json.dumps(e.document, ensure_ascii=False) for e in events],
    }


async def _declare_stored(session, declarations: list[ReadEvent]) -> None:
    """Error declarations about events stored before: the events are marked, and what they
    added to the trace graph is taken out of it."""
    if not declarations:
        return
    columns = _event_columns(declarations)
    declared = [e.document["errorDeclaration"] for e in declarations]
    marked = await session.scalars(
        _DECLARE,
        {
            "ids": columns["ids"],
            "declared": columns["declared"],
            "reasons": columns["reasons"],
            "corrective": columns["corrective"],
            "declarations": [json.dumps(d, ensure_ascii=False) for d in declared],
        },
    )
    if events := list(marked):
        await session.execute(_RETRACT, {"events": events})


async def _index(session, new: list[Stored], pks: dict[str, int], nodes: dict[str, int]) -> None:
    identifiers = {
        (nodes[uri], int(role), pks[item.event.event_id])
        for item in new
        for role, uri in item.event.identifiers
    }
    if identifiers:
        node, role, event = _columns(sorted(identifiers), 3)
        await session.execute(_IDENTIFIERS, {"nodes": node, "roles": role, "events": event})
    parties = [(pks[i.event.event_id], code, region) for i in new for code, region in i.parties]
    if parties:
        event, code, region = _columns(parties, 3)
        await session.execute(_PARTIES, {"events": event, "codes": code, "regions": region})
    edges = [
        (
            nodes[link.source],
            nodes[link.target],
            int(link.kind),
            pks[i.event.event_id],
            i.event.event_time,
        )
        for i in new
        if i.event.error_declaration is None  # an event declared in error adds no path
        for link in dict.fromkeys(i.event.links)
    ]
    if edges:
        source, target, kind, event, at = _columns(edges, 5)
        await session.execute(
            _EDGES,
            {"sources": source, "targets": target, "kinds": kind, "events": event, "ats": at},
        )


async def _release(session, releases: list[ReadEvent], nodes: dict[str, int]) -> None:
    """A DELETE aggregation or association ends the containment of the children it names
    (all of the parent's, when it names none)."""
    rows = [
        (nodes[event.parent], nodes[child] if child else None, event.event_time)
        for event in releases
        if event.parent is not None
        for child in (event.released or (None,))
    ]
    if rows:
        parents, children, ats = _columns(rows, 3)
        kinds = [int(k) for k in CONTAINMENT]
        await session.execute(
            _RELEASE, {"parents": parents, "children": children, "ats": ats, "kinds": kinds}
        )


def _columns(rows: Sequence[tuple], width: int) -> list[list[Any]]:
    """Rows as columns, the arrays `unnest` takes."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width
