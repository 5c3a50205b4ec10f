"""Reads of the service's own records: capture jobs, named queries and their subscriptions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_traceability.models import CaptureJob, NamedQuery, Subscription


class JobNotFound(NotFound):
    what = "capture job"


class QueryNotFound(NotFound):
    what = "named query"


class SubscriptionNotFound(NotFound):
    what = "subscription"


async def capture_job(session: AsyncSession, job_id: int, actor: str, *, admin: bool) -> CaptureJob:
    """A capture job its capturer (or an administrator) asks about."""
    job = await session.get(CaptureJob, job_id)
    if job is None or not (admin or job.captured_by == actor):
        raise JobNotFound()
    return job


async def capture_jobs(session: AsyncSession, actor: str, page: PageRequest):
    query = select(CaptureJob).where(CaptureJob.captured_by == actor)
    return await keyset_page(session, query, [CaptureJob.id], page)


async def named_query(session: AsyncSession, owner: str, name: str) -> NamedQuery:
    found = await session.scalar(
        select(NamedQuery).where(NamedQuery.owner == owner, NamedQuery.name == name)
    )
    if found is None:
        raise QueryNotFound()
    return found


async def named_queries(session: AsyncSession, owner: str, page: PageRequest):
    query = select(NamedQuery).where(NamedQuery.owner == owner)
    return await keyset_page(session, query, [NamedQuery.name], page)


async def subscriptions_of(session: AsyncSession, query_id: int, page: PageRequest):
    statement = select(Subscription).where(Subscription.query_id == query_id)
    return await keyset_page(session, statement, [Subscription.id], page)


async def subscription(session: AsyncSession, query_id: int, subscription_id: int) -> Subscription:
    found = await session.get(Subscription, subscription_id)
    if found is None or found.query_id != query_id:
        raise SubscriptionNotFound()
    return found
