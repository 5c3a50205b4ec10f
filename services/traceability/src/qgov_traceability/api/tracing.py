"""Tracing (forward: every downstream lot, container, party and location; backward: where it
came from) as a graph, and the GS1 company prefixes that tie identifiers to enterprises."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.auth import Role
from qgov_shared.errors import NotFound, RuleViolation
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_traceability import views
from qgov_traceability.dependencies import ContextDep, Member, Regulator
from qgov_traceability.epcis.identifiers import InvalidIdentifier
from qgov_traceability.epcis.reading import identifier
from qgov_traceability.handlers import parties
from qgov_traceability.queries import graph
from qgov_traceability.queries import parties as party_queries
from qgov_traceability.schemas import CompanyPrefixCreate, CompanyPrefixPublic, TraceGraph

router = APIRouter(prefix="/api/v1/traceability", tags=["tracing"])


class UnknownIdentifier(NotFound):
    what = "identifier in the trace graph"


@router.get(
    "/trace",
    response_model=TraceGraph,
    responses={404: {"description": "no captured event names it (or, for you, it is not yours)"}},
)
async def trace(
    principal: Member,
    ctx: ContextDep,
    session: SessionDep,
    identifier_: Annotated[
        str,
        Query(
            alias="identifier",
            min_length=1,
            max_length=512,
            description="an EPC URN or GS1 Digital Link: an item, lot, container …",
        ),
    ],
    direction: Literal["forward", "backward"] = "forward",
    depth: Annotated[int | None, Query(ge=1, le=64)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TraceGraph:
    """Trace one identifier forward or backward, at most `depth` hops, within the time
    window: the nodes reached, the edges walked and the events behind each. Enterprises trace
    what is under their own company prefixes; regulators and administrators anything."""
    bounds = ctx.policy.tracing
    hops = min(depth or bounds.default_depth, bounds.max_depth)
    try:
        start = identifier(identifier_)
    except (InvalidIdentifier, ValueError) as error:
        raise RuleViolation(str(error), "identifier") from None
    if principal.role is Role.ENTERPRISE:
        owners = await party_queries.owners_of(session, [start])
        if start not in owners or owners[start].credit_code != principal.credit_code:
            raise UnknownIdentifier()
    ids = await graph.node_ids(session, [start])
    if not ids:
        raise UnknownIdentifier()
    found = await graph.trace(
        session,
        list(ids.values()),
        forward=direction == "forward",
        depth=hops,
        since=since,
        until=until,
    )
    return views.trace_graph(start, direction, hops, found)


@router.post(
    "/company-prefixes", status_code=status.HTTP_201_CREATED, response_model=CompanyPrefixPublic
)
async def register_prefix(
    body: CompanyPrefixCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record the GS1 company prefix assigned to an enterprise of your regions."""
    return await execute(
        uow,
        key,
        lambda uow: parties.register_prefix(body, uow, ctx),
        views.company_prefix,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/company-prefixes", response_model=Page[CompanyPrefixPublic])
async def company_prefixes(
    principal: Member, session: SessionDep, page: PageRequestDep
) -> Page[CompanyPrefixPublic]:
    """Registered prefixes: an enterprise's own, a regulator's regions', or all (admin)."""
    codes = [principal.credit_code] if principal.role is Role.ENTERPRISE else None
    regions = tuple(principal.regions) if principal.role is Role.REGULATOR else None
    return await party_queries.prefixes(session, codes, regions, page)
