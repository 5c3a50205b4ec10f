"""Named queries and their webhook subscriptions (EPCIS 2.0 REST binding, /epcis/queries),
each caller's own: a partner keeps a query, runs it, and subscribes to what it matches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_traceability import views
from qgov_traceability.api.events import QUERY_RESPONSES, answer
from qgov_traceability.api.problems import bad_parameter, declared, epcis_problem, single_values
from qgov_traceability.dependencies import ContextDep, Member, TraceabilityDependenciesDep
from qgov_traceability.epcis.query import PAGING, QueryParameterError
from qgov_traceability.handlers import named_queries
from qgov_traceability.handlers.named_queries import SubscriptionControls
from qgov_traceability.queries import records
from qgov_traceability.queries.scope import Scope
from qgov_traceability.schemas import (
    NamedQueryCreate,
    NamedQueryPublic,
    SubscriptionCreate,
    SubscriptionPublic,
)

router = APIRouter(prefix="/epcis/queries", tags=["epcis"])
Name = Annotated[str, Path(pattern=r"^[A-Za-z0-9._~-]{1,128}$")]
_PAGING_DOCS = {
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": "string", "maxLength": 2000},
        }
        for name in sorted(PAGING | {"perPage"})
    ]
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NamedQueryPublic,
    responses=declared(400, "QueryParameterException: a parameter no query can take"),
)
async def create_query(
    body: NamedQueryCreate,
    principal: Member,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Keep a query of standard parameters under a name of yours."""

    async def run(uow):
        try:
            return await named_queries.create_query(body, uow, ctx)
        except QueryParameterError as error:
            raise bad_parameter(error) from None

    return await execute(
        uow,
        key,
        run,
        views.named_query,
        status_code=status.HTTP_201_CREATED,
        headers=lambda row: {"Location": f"/epcis/queries/{row.name}"},
    )


@router.get("", response_model=Page[NamedQueryPublic])
async def list_queries(
    principal: Member, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[NamedQueryPublic]:
    rows, cursor = await records.named_queries(session, ctx.actor, page)
    return Page(items=[views.named_query(r[0]) for r in rows], next_cursor=cursor)


@router.get("/{name}", response_model=NamedQueryPublic)
async def show_query(name: Name, principal: Member, ctx: ContextDep, session: SessionDep):
    return views.named_query(await records.named_query(session, ctx.actor, name))


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_query(
    name: Name, principal: Member, ctx: ContextDep, uow: UnitOfWorkDep
) -> Response:
    """Delete a named query and its subscriptions."""
    async with uow:
        await named_queries.delete_query(name, uow, ctx)
        await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{name}/events", openapi_extra=_PAGING_DOCS, responses=QUERY_RESPONSES)
async def query_events(
    name: Name,
    request: Request,
    principal: Member,
    ctx: ContextDep,
    session: SessionDep,
    deps: TraceabilityDependenciesDep,
):
    """Run a named query; only paging parameters may be added."""
    query = await records.named_query(session, ctx.actor, name)
    extra = single_values(request)
    if other := sorted(set(extra) - PAGING - {"perPage"}):
        raise bad_parameter(QueryParameterError(other[0], "a named query takes paging only"))
    params = {**query.parameters, **extra}
    return await answer(request, params, Scope.of(principal), ctx, session, deps, query_name=name)


@router.post(
    "/{name}/subscriptions",
    status_code=status.HTTP_201_CREATED,
    response_model=SubscriptionPublic,
    responses=declared(400, "SubscriptionControlsException: a schedule is not offered"),
)
async def subscribe(
    name: Name,
    body: SubscriptionCreate,
    principal: Member,
    ctx: ContextDep,
    deps: TraceabilityDependenciesDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Subscribe a webhook: each event the query matches from `initialRecordTime` on (the
    moment of subscribing by default) is POSTed to `dest` in an EPCISQueryDocument, signed
    in `GS1-Signature` (base64 HMAC-SHA256 of the body, keyed with your signatureToken)."""
    allow = deps.settings.allow_private_webhooks

    async def run(uow):
        try:
            return await named_queries.subscribe(name, body, uow, ctx, allow_private=allow)
        except SubscriptionControls as error:
            raise epcis_problem(400, "SubscriptionControlsException", str(error)) from None

    return await execute(
        uow,
        key,
        run,
        views.subscription,
        status_code=status.HTTP_201_CREATED,
        headers=lambda row: {"Location": f"/epcis/queries/{name}/subscriptions/{row.id}"},
    )


@router.get("/{name}/subscriptions", response_model=Page[SubscriptionPublic])
async def list_subscriptions(
    name: Name, principal: Member, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[SubscriptionPublic]:
    query = await records.named_query(session, ctx.actor, name)
    rows, cursor = await records.subscriptions_of(session, query.id, page)
    return Page(items=[views.subscription(r[0]) for r in rows], next_cursor=cursor)


@router.get("/{name}/subscriptions/{subscription_id}", response_model=SubscriptionPublic)
async def show_subscription(
    name: Name, subscription_id: RowId, principal: Member, ctx: ContextDep, session: SessionDep
) -> SubscriptionPublic:
    query = await records.named_query(session, ctx.actor, name)
    return views.subscription(await records.subscription(session, query.id, subscription_id))


@router.delete("/{name}/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(
    name: Name, subscription_id: RowId, principal: Member, ctx: ContextDep, uow: UnitOfWorkDep
) -> Response:
    async with uow:
        await named_queries.unsubscribe(name, subscription_id, uow, ctx)
        await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
