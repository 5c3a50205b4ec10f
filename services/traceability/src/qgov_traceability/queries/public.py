"""A trace code's public page: the certificate, the lot's route so far (where it and what it
went into were, and to whom it went) and whether it is under recall. Only what a printed
certificate and its QR code are meant to tell: no business transactions, no quantities."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_traceability.domain import RecallStatus
from qgov_traceability.models import Certificate, EpcisEvent, Recall, RecallItem, TraceNode
from qgov_traceability.queries import graph
from qgov_traceability.queries.graph import Walked


@dataclass(frozen=True)
class PublicTrace:
    certificate: Certificate
    route: list[tuple[Walked, str | None]]
    """Each place the lot (or what it went into) was at, with the business step there."""
    recalls: list[Recall]


async def certificate_by_code(session: AsyncSession, code: str) -> Certificate | None:
    return await session.scalar(select(Certificate).where(Certificate.trace_code == code))


async def certificate_of_lot(session: AsyncSession, lot: str) -> Certificate | None:
    """The latest certificate issued for a lot."""
    return await session.scalar(
        select(Certificate).where(Certificate.lot == lot).order_by(Certificate.id.desc()).limit(1)
    )


async def lot_of_item(session: AsyncSession, item: str) -> str | None:
    """The certified lot an item belongs to (from its commissioning ILMD), if any."""
    ids = await graph.node_ids(session, [item])
    if not ids:
        return None
    found = await graph.trace(session, list(ids.values()), forward=False, depth=1, with_edges=False)
    lots = [n.uri for n in found.nodes if n.kind == "lot"]
    if not lots:
        return None
    certified = await session.scalars(select(Certificate.lot).where(Certificate.lot.in_(lots)))
    return next(iter(certified), None)


async def public_trace(session: AsyncSession, certificate: Certificate, depth: int) -> PublicTrace:
    node = await session.scalar(select(TraceNode.id).where(TraceNode.uri == certificate.lot))
    route: list[tuple[Walked, str | None]] = []
    recalls: list[Recall] = []
    if node is not None:
        found = await graph.trace(session, [node], forward=True, depth=depth, with_edges=False)
        steps = await _steps(session, {e for edge in found.places for e in edge.events})
        route = [
            (edge, steps.get(edge.events[0])) for edge in sorted(found.places, key=lambda e: e.at)
        ]
        recalls = list(
            await session.scalars(
                select(Recall)
                .join(RecallItem, RecallItem.recall_id == Recall.id)
                .where(RecallItem.node_id == node, Recall.status == RecallStatus.OPEN.value)
                .order_by(Recall.id)
            )
        )
    return PublicTrace(certificate, route, recalls)


async def _steps(session: AsyncSession, event_ids: set[str]) -> dict[str, str | None]:
    if not event_ids:
        return {}
    rows = await session.execute(
        select(EpcisEvent.event_id, EpcisEvent.biz_step).where(EpcisEvent.event_id.in_(event_ids))
    )
    return dict(rows.all())
