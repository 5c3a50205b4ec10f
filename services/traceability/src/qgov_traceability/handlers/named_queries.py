"""Named queries and their subscriptions (EPCIS 2.0 §12.8): a partner keeps a query under a
name, runs it (`/epcis/queries/{name}/events`), and subscribes a webhook to it, so the events
about its own products come to it as they are captured. A query runs with the visibility of
whoever created it, also when it is delivered."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from qgov_shared.errors import RuleViolation
from qgov_shared.http.destinations import UnsafeDestination, check_url
from qgov_shared.uow import UnitOfWork
from qgov_traceability.epcis.query import QUERY_PARAMETERS, QueryParameterError, parse_query
from qgov_traceability.handlers import Context
from qgov_traceability.models import NamedQuery, Subscription
from qgov_traceability.queries.records import named_query, subscription
from qgov_traceability.schemas import NamedQueryCreate, SubscriptionCreate


class SubscriptionControls(ValueError):
    """A subscription the service does not take (the binding's SubscriptionControlsException)."""


async def create_query(body: NamedQueryCreate, uow: UnitOfWork, ctx: Context) -> NamedQuery:
    if unstorable := sorted(set(body.query) - QUERY_PARAMETERS):
        raise QueryParameterError(unstorable[0], "a named query keeps query parameters only")
    parse_query(body.query, max_per_page=1)  # refuses what could never run
    owner = ctx.actor
    exists = await uow.session.scalar(
        select(NamedQuery.id).where(NamedQuery.owner == owner, NamedQuery.name == body.name)
    )
    if exists is not None:
        raise RuleViolation(f"you have a query named {body.name} already")
    principal = ctx.principal
    row = NamedQuery(
        owner=owner,
        name=body.name,
        parameters=dict(body.query),
        role=str(principal.role),
        credit_code=principal.credit_code,
        regions=list(principal.regions),
        created_at=ctx.now,
    )
    row.id = await uow.session.scalar(
        insert(NamedQuery).values(**row.model_dump(exclude={"id"})).returning(NamedQuery.id)
    )
    return row


async def delete_query(name: str, uow: UnitOfWork, ctx: Context) -> None:
    row = await named_query(uow.session, ctx.actor, name)
    await uow.session.execute(delete(NamedQuery).where(NamedQuery.id == row.id))


async def subscribe(
    name: str, body: SubscriptionCreate, uow: UnitOfWork, ctx: Context, *, allow_private: bool
) -> Subscription:
    query = await named_query(uow.session, ctx.actor, name)
    if body.schedule is not None or not body.stream:
        raise SubscriptionControls("only stream subscriptions are offered: set stream true")
    try:
        check_url(body.dest, allow_private=allow_private)
    except UnsafeDestination as error:
        raise RuleViolation(str(error), "dest") from None
    row = Subscription(
        query_id=query.id,
        dest=body.dest,
        signature_token=body.signature_token,
        report_if_empty=body.report_if_empty,
        created_at=ctx.now,
        initial_record_time=body.initial_record_time or ctx.now,
    )
    uow.session.add(row)
    await uow.session.flush()
    return row


async def unsubscribe(name: str, subscription_id: int, uow: UnitOfWork, ctx: Context) -> None:
    query = await named_query(uow.session, ctx.actor, name)
    row = await subscription(uow.session, query.id, subscription_id)
    await uow.session.delete(row)
