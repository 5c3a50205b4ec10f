"""Rows as the API shows them."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from pydantic import BaseModel

from qgov_traceability import domain
from qgov_traceability.domain import RecallState, RecallStatus
from qgov_traceability.graph import EDGE_NAMES, kind_of
from qgov_traceability.models import (
    CaptureJob,
    Certificate,
    CompanyPrefix,
    NamedQuery,
    Recall,
    RecallParty,
    Subscription,
)
from qgov_traceability.policy import Policy
from qgov_traceability.queries.graph import Trace
from qgov_traceability.queries.public import PublicTrace
from qgov_traceability.schemas import (
    CaptureJobPublic,
    CertificatePublic,
    CompanyPrefixPublic,
    GraphEdge,
    GraphNode,
    NamedQueryPublic,
    PublicRecall,
    RecallPartyPublic,
    RecallPublic,
    RecallSummary,
    RouteStep,
    SubscriptionPublic,
    TraceGraph,
    TracePage,
)


class EventCaptured(BaseModel):
    eventID: str


def event_location(event_id: str) -> str:
    return f"/epcis/events/{quote(event_id, safe='')}"


def capture_job(job: CaptureJob) -> CaptureJobPublic:
    return CaptureJobPublic(
        captureID=str(job.id),
        createdAt=job.created_at,
        finishedAt=job.finished_at,
        running=job.finished_at is None,
        success=job.status == "success",
        captureErrorBehaviour=job.behaviour,
        eventCount=job.event_count,
        capturedCount=job.captured,
        errors=job.errors,
    )


def named_query(row: NamedQuery) -> NamedQueryPublic:
    return NamedQueryPublic(name=row.name, query=row.parameters, created_at=row.created_at)


def subscription(row: Subscription) -> SubscriptionPublic:
    return SubscriptionPublic(
        subscriptionID=str(row.id),
        dest=row.dest,
        stream=True,
        initialRecordTime=row.initial_record_time,
        delivered=row.delivered,
        lastStatus=row.last_status,
    )


def company_prefix(row: CompanyPrefix) -> CompanyPrefixPublic:
    return CompanyPrefixPublic.model_validate(row, from_attributes=True)


def trace_graph(start: str, direction: str, depth: int, found: Trace) -> TraceGraph:
    nodes = {
        node.uri: GraphNode(id=node.uri, kind=node.kind, depth=node.depth) for node in found.nodes
    }
    places: dict[str, GraphNode] = {}
    for edge in sorted(found.places, key=lambda e: nodes[e.source].depth):
        if edge.target not in nodes and edge.target not in places:
            depth = nodes[edge.source].depth + 1  # one hop beyond the object that was there
            places[edge.target] = GraphNode(id=edge.target, kind=kind_of(edge.target), depth=depth)
    return TraceGraph(
        start=start,
        direction=direction,
        depth=depth,
        nodes=sorted([*nodes.values(), *places.values()], key=lambda n: (n.depth, n.id)),
        edges=sorted(
            (
                GraphEdge(
                    source=e.source,
                    target=e.target,
                    kind=EDGE_NAMES[e.kind],
                    at=e.at,
                    events=sorted(e.events),
                )
                for e in found.edges
            ),
            key=lambda e: (e.at, e.source, e.target, e.kind),
        ),
    )


def certificate(row: Certificate, policy: Policy) -> CertificatePublic:
    return CertificatePublic(
        id=row.id,
        trace_code=row.trace_code,
        trace_url=f"/trace/{row.trace_code}",
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        lot=row.lot,
        gtin=row.gtin,
        lot_number=row.lot_number,
        product_name=row.product_name,
        quantity=row.quantity,
        unit=row.unit,
        production_place=row.production_place,
        commitment_basis=policy.commitment_bases[row.commitment_basis],
        commitments=list(policy.commitments.values()),
        issued_on=row.issued_on,
    )


def recall_state(row: Recall) -> RecallState:
    return RecallState(RecallStatus(row.status), row.initiated_on, row.deadline, row.closed_on)


def recall(
    row: Recall, parties: list[RecallParty], affected: int, today: date, policy: Policy
) -> RecallPublic:
    state = recall_state(row)
    return RecallPublic(
        id=row.id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        voluntary=row.voluntary,
        status=row.status,
        defect=row.defect,
        hazard=row.hazard,
        measures=row.measures,
        contact=row.contact,
        deadline=row.deadline,
        overdue=domain.is_overdue(state, today),
        initiated_on=row.initiated_on,
        next_progress_report_on=domain.next_progress_report_on(state, today, policy.recall),
        summary_due_on=domain.summary_due_on(state, policy.recall),
        scope=row.scope,
        affected_items=affected,
        units_affected=row.units_affected,
        units_recovered=row.units_recovered,
        parties=[
            RecallPartyPublic(
                party=p.party, credit_code=p.credit_code, units_recovered=p.units_recovered
            )
            for p in parties
        ],
        closed_on=row.closed_on,
        summary=row.summary,
    )


def recall_summary(row: Recall) -> RecallSummary:
    return RecallSummary.model_validate(row, from_attributes=True)


def trace_page(found: PublicTrace, policy: Policy) -> TracePage:
    shown = found.certificate
    seen: set[tuple[str, str]] = set()
    route = []
    for edge, step in found.route:
        place = (edge.events[0], edge.target)
        if place not in seen:
            seen.add(place)
            route.append(
                RouteStep(at=edge.at, step=step, place=edge.target, kind=EDGE_NAMES[edge.kind])
            )
    return TracePage(
        trace_code=shown.trace_code,
        product_name=shown.product_name,
        lot=shown.lot,
        producer={"name": shown.enterprise_name, "credit_code": shown.credit_code},
        certificate={
            "issued_on": shown.issued_on.isoformat(),
            "quantity": f"{shown.quantity:f}",
            "unit": shown.unit,
            "production_place": shown.production_place,
            "commitment_basis": policy.commitment_bases[shown.commitment_basis],
            "commitments": list(policy.commitments.values()),
        },
        route=route,
        under_recall=bool(found.recalls),
        recalls=[
            PublicRecall(
                initiated_on=r.initiated_on,
                defect=r.defect,
                hazard=r.hazard,
                measures=r.measures,
                contact=r.contact,
            )
            for r in found.recalls
        ],
    )
