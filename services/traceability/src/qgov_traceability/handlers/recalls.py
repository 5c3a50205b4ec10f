"""Recalls of defective products (缺陷产品召回): a producer starts one for its own products, or a
regulator orders one. The affected downstream set is computed from the trace graph at once, so
the lots show the recall on their public pages as soon as it commits; the plan is recorded,
progress is reported per party holding stock, and the recall closes with a summary."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import insert, text, update

from qgov_shared.auth import Principal, Role
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code
from qgov_traceability import domain
from qgov_traceability.domain import RecallState, RecallStatus
from qgov_traceability.epcis.identifiers import InvalidIdentifier, valid_gtin
from qgov_traceability.epcis.reading import EdgeKind, identifier
from qgov_traceability.events import RecallClosed, RecallEvent, RecallInitiated, RecallProgressed
from qgov_traceability.handlers import CHINA, Context
from qgov_traceability.models import Recall, RecallItem, RecallParty, RecallProgress
from qgov_traceability.queries import graph
from qgov_traceability.queries.parties import enterprise_name, owners_of
from qgov_traceability.queries.recalls import recall_for
from qgov_traceability.schemas import ProgressCreate, RecallClose, RecallCreate, RecallScope

HOLDING = (EdgeKind.DESTINATION, EdgeKind.BIZ_LOCATION)
"""Where stock is held: the parties and locations goods were sent to or kept at."""
_PRODUCT_NODES = text(
    "SELECT DISTINCT n.id FROM trace_nodes n "
    "JOIN event_identifiers i ON i.node_id = n.id JOIN epcis_events e ON e.id = i.event_pk "
    "WHERE n.uri LIKE :prefix AND e.event_time >= :start AND e.event_time < :end"
)


async def initiate(body: RecallCreate, uow: UnitOfWork, ctx: Context) -> Recall:
    producer, voluntary = _producer(body, ctx.principal)
    domain.check_deadline(body.deadline, ctx.today)
    lots = _lots(body.scope)
    if voluntary:
        await _own(uow, lots, producer)
    starts, since = await _start_nodes(uow, body.scope, lots)
    found = await graph.trace(
        uow.session,
        starts,
        forward=True,
        depth=ctx.policy.tracing.recall_depth,
        since=since,
        with_edges=False,
    )
    holders = sorted({edge.target for edge in found.places if edge.kind in HOLDING})
    name = await enterprise_name(uow.session, producer) or producer
    region = parse_credit_code(producer).region_code
    recall = Recall(
        credit_code=producer,
        enterprise_name=name,
        region_code=region,
        voluntary=voluntary,
        status=RecallStatus.OPEN.value,
        defect=body.defect,
        hazard=body.hazard,
        measures=body.measures,
        contact=body.contact,
        deadline=body.deadline,
        units_affected=body.units_affected,
        scope={"lots": lots, **_product(body.scope)},
        initiated_at=ctx.now,
        initiated_on=ctx.today,
        initiated_by=ctx.actor,
    )
    uow.session.add(recall)
    await uow.session.flush()
    node_ids = await graph.node_ids(uow.session, [n.uri for n in found.nodes])
    if node_ids:
        rows = [{"node_id": i, "recall_id": recall.id} for i in node_ids.values()]
        await uow.session.execute(insert(RecallItem), rows)
    owners = await owners_of(uow.session, holders)
    if holders:
        rows = [
            {
                "recall_id": recall.id,
                "party": p,
                "credit_code": owners.get(p) and owners[p].credit_code,
            }
            for p in holders
        ]
        await uow.session.execute(insert(RecallParty), rows)
    products = lots or [f"https://id.gs1.org/01/{body.scope.product.gtin.zfill(14)}"]
    fact = RecallInitiated(
        **_about(recall),
        initiated_on=recall.initiated_on,
        deadline=recall.deadline,
        defect=recall.defect,
        hazard=recall.hazard,
        products=products,
        affected_items=len(node_ids),
        affected_parties=len(holders),
    )
    uow.publish(fact.event(subject=producer, time=ctx.now))
    return recall


async def progress(recall_id: int, body: ProgressCreate, uow: UnitOfWork, ctx: Context) -> Recall:
    recall = await recall_for(uow.session, recall_id, ctx.principal, lock=True)
    party = _identifier(body.party, "party")
    held = await uow.session.get(RecallParty, (recall.id, party))
    domain.check_progress(_state(recall), body.units_recovered, held is not None)
    await uow.session.execute(
        update(RecallParty)
        .where(RecallParty.recall_id == recall.id, RecallParty.party == party)
        .values(units_recovered=RecallParty.units_recovered + body.units_recovered)
    )
    recall.units_recovered += body.units_recovered
    uow.session.add(
        RecallProgress(
            recall_id=recall.id,
            party=party,
            units=body.units_recovered,
            note=body.note,
            at=ctx.now,
            actor=ctx.actor,
        )
    )
    fact = RecallProgressed(
        **_about(recall),
        party=party,
        units_recovered=body.units_recovered,
        units_recovered_total=recall.units_recovered,
        progressed_on=ctx.today,
    )
    uow.publish(fact.event(subject=recall.credit_code, time=ctx.now))
    return recall


async def close(recall_id: int, body: RecallClose, uow: UnitOfWork, ctx: Context) -> Recall:
    recall = await recall_for(uow.session, recall_id, ctx.principal, lock=True)
    domain.check_closing(_state(recall))
    recall.status = RecallStatus.CLOSED.value
    recall.closed_at, recall.closed_on, recall.summary = ctx.now, ctx.today, body.summary
    fact = RecallClosed(
        **_about(recall),
        closed_on=ctx.today,
        units_recovered_total=recall.units_recovered,
        summary=body.summary,
    )
    uow.publish(fact.event(subject=recall.credit_code, time=ctx.now))
    return recall


def _producer(body: RecallCreate, principal: Principal) -> tuple[str, bool]:
    """The producer recalling, and whether the recall is its own (voluntary) or ordered."""
    if principal.role is Role.ENTERPRISE:
        if body.credit_code not in (None, principal.credit_code):
            raise RuleViolation("an enterprise recalls its own products only", "credit_code")
        return principal.credit_code, True
    if body.credit_code is None:
        raise RuleViolation("name the producer ordered to recall", "credit_code")
    if not principal.covers_region(parse_credit_code(body.credit_code).region_code):
        raise RuleViolation("this producer is registered outside your regions", "credit_code")
    return body.credit_code, False


def _lots(scope: RecallScope) -> list[str]:
    return list(dict.fromkeys(_identifier(lot, "scope.lots") for lot in scope.lots))


def _product(scope: RecallScope) -> dict[str, object]:
    if scope.product is None:
        return {}
    product = scope.product
    return {
        "gtin": product.gtin.zfill(14),
        "from_date": product.from_date.isoformat(),
        "to_date": product.to_date.isoformat(),
    }


def _identifier(value: str, field: str) -> str:
    try:
        return identifier(value)
    except (InvalidIdentifier, ValueError) as error:
        raise RuleViolation(str(error), field) from None


async def _own(uow: UnitOfWork, lots: list[str], producer: str) -> None:
    owners = await owners_of(uow.session, lots)
    if any(owners.get(lot) is None or owners[lot].credit_code != producer for lot in lots):
        raise RuleViolation("recall only what is under your GS1 company prefixes", "scope.lots")


async def _start_nodes(
    uow: UnitOfWork, scope: RecallScope, lots: list[str]
) -> tuple[list[int], datetime | None]:
    starts = list((await graph.node_ids(uow.session, lots)).values())
    if scope.product is None:
        return starts, None
    product = scope.product
    if not valid_gtin(product.gtin):
        raise RuleViolation("not a valid GTIN (check digit)", "scope.product.gtin")
    start = datetime.combine(product.from_date, time(), CHINA)
    end = datetime.combine(product.to_date + timedelta(days=1), time(), CHINA)
    prefix = f"https://id.gs1.org/01/{product.gtin.zfill(14)}/%"
    rows = await uow.session.scalars(_PRODUCT_NODES, {"prefix": prefix, "start": start, "end": end})
    return sorted({*starts, *rows}), start


def _state(recall: Recall) -> RecallState:
    return RecallState(
        status=RecallStatus(recall.status),
        initiated_on=recall.initiated_on,
        deadline=recall.deadline,
        closed_on=recall.closed_on,
    )


def _about(recall: Recall) -> dict[str, object]:
    return {
        name: getattr(recall, "id" if name == "recall_id" else name)
        for name in RecallEvent.model_fields
    }
