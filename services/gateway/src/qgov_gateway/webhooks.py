"""Webhook subscriptions to the credit feed: a regulator's system registers a URL and filters,
and the dispatcher pushes it the feed in order, in signed batches, retrying with backoff.

Each subscription keeps its own position in the feed and moves it only past a batch the
receiver acknowledged (2xx), so a receiver that was down gets everything when it is back, and
a regulator can replay from any cursor. Every attempt is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import feed
from qgov_gateway.models import CreditChange, WebhookDelivery, WebhookSubscription
from qgov_gateway.schemas import FeedItem
from qgov_shared.auth import Principal
from qgov_shared.db import SessionFactory
from qgov_shared.errors import NotFound

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "QGov-Signature"
BATCH_SIZE = 100
_DUE_AT_ONCE = 20


class SubscriptionNotFound(NotFound):
    what = "webhook subscription"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`: the receiver recomputes it with
    the shared secret and refuses old timestamps, so a captured delivery cannot be replayed."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delay(failures: int, base_s: float, cap_s: float) -> float:
    """Seconds before the next attempt after `failures` failures in a row: doubling, capped.
    Delivery never gives up; a receiver that is fixed gets everything it missed."""
    return min(cap_s, base_s * 2 ** max(failures - 1, 0))


# --- subscriptions -------------------------------------------------------------------------


async def subscribe(
    session: AsyncSession,
    principal: Principal,
    url: str,
    feed_filter: feed.FeedFilter,
    after: int | None,
    now: datetime,
) -> WebhookSubscription:
    """A new subscription; it starts after `after`, or after the newest change (only what
    happens from now on) when not given."""
    position = after if after is not None else await _newest_cursor(session)
    subscription = WebhookSubscription(
        owner=principal.subject,
        url=url,
        secret=secrets.token_urlsafe(32),
        regions=list(feed_filter.regions),
        grades=list(feed_filter.grades),
        position=position,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(subscription)
    await session.flush()
    return subscription


async def _newest_cursor(session: AsyncSession) -> int:
    return await session.scalar(select(func.coalesce(func.max(CreditChange.cursor), 0)))


async def owned(
    session: AsyncSession, principal: Principal, subscription_id: int, *, lock: bool = False
) -> WebhookSubscription:
    """The caller's subscription; another regulator's is as unknown as a missing one."""
    subscription = await session.get(WebhookSubscription, subscription_id, with_for_update=lock)
    if subscription is None or subscription.owner != principal.subject:
        raise SubscriptionNotFound()
    return subscription


def replay(subscription: WebhookSubscription, after: int, now: datetime) -> None:
    """Deliver again everything after `after`, starting now."""
    subscription.position = after
    subscription.failures = 0
    subscription.next_attempt_at = now


# --- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryTiming:
    poll_interval_s: float
    retry_base_s: float
    retry_cap_s: float


class WebhookDispatcher:
    """Delivers every due subscription's next batch. Several gateway replicas may run one: a
    subscription is locked (skipping locked ones) while its batch is in flight."""

    def __init__(
        self, session_factory: SessionFactory, client: httpx.AsyncClient, timing: DeliveryTiming
    ) -> None:
        self._session_factory = session_factory
        self._client = client
        self._timing = timing

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if await self.deliver_due() == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._timing.poll_interval_s)

    async def deliver_due(self) -> int:
        """Try each due subscription once; how many batches were sent."""
        async with self._session_factory() as session:
            due = list(
                await session.scalars(
                    select(WebhookSubscription.id)
                    .where(
                        WebhookSubscription.active,
                        WebhookSubscription.next_attempt_at <= func.now(),
                    )
                    .order_by(WebhookSubscription.next_attempt_at)
                    .limit(_DUE_AT_ONCE)
                )
            )
        sent = await asyncio.gather(*(self._deliver_next_batch(id_) for id_ in due))
        return sum(sent)

    async def _deliver_next_batch(self, subscription_id: int) -> bool:
        async with self._session_factory() as session, session.begin():
            subscription = await session.scalar(
                select(WebhookSubscription)
                .where(WebhookSubscription.id == subscription_id)
                .with_for_update(skip_locked=True)
            )
            if subscription is None or not subscription.active:
                return False
            now = await session.scalar(select(func.now()))
            items = await feed.read_page(
                session,
                feed.FeedFilter(tuple(subscription.regions), tuple(subscription.grades)),
                subscription.position,
                BATCH_SIZE,
            )
            if not items:
                subscription.next_attempt_at = now + timedelta(seconds=self._timing.poll_interval_s)
                return False
            delivery = await self._post(subscription, items, now)
            session.add(delivery)
            self._advance(subscription, delivery, now)
            return True

    async def _post(
        self, subscription: WebhookSubscription, items: list[FeedItem], now: datetime
    ) -> WebhookDelivery:
        body = json.dumps(
            {
                "subscription_id": subscription.id,
                "items": [item.model_dump(mode="json") for item in items],
                "next_cursor": items[-1].cursor,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(subscription.secret, int(time.time()), body),
            "QGov-Subscription": str(subscription.id),
        }
        started = time.monotonic()
        status_code, error = None, None
        try:
            answer = await self._client.post(subscription.url, content=body, headers=headers)
            status_code = answer.status_code
            if not answer.is_success:
                error = f"the receiver answered {status_code}"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
        return WebhookDelivery(
            subscription_id=subscription.id,
            first_cursor=int(items[0].cursor),
            last_cursor=int(items[-1].cursor),
            items=len(items),
            attempt=subscription.failures + 1,
            succeeded=error is None,
            status_code=status_code,
            error=error,
            attempted_at=now,
            duration_ms=round((time.monotonic() - started) * 1000),
        )

    def _advance(
        self, subscription: WebhookSubscription, delivery: WebhookDelivery, now: datetime
    ) -> None:
        if delivery.succeeded:
            subscription.position = delivery.last_cursor
            subscription.failures = 0
            subscription.next_attempt_at = now
            return
        subscription.failures += 1
        delay = retry_delay(
            subscription.failures, self._timing.retry_base_s, self._timing.retry_cap_s
        )
        subscription.next_attempt_at = now + timedelta(seconds=delay)
        log.warning(
            "webhook %s: delivery failed (%s); retrying in %.0fs",
            subscription.id,
            delivery.error,
            delay,
        )
