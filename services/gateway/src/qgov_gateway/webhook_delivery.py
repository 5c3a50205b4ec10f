"""Delivering the credit feed's webhooks without holding the database while a receiver takes
its time.

Each turn claims the due subscriptions in one short transaction and leases them to itself
(`lease_id`, until `leased_until`), so no other replica takes them meanwhile and no batch is
sent twice at once. Then, for each, it reads the next batch, sends it holding no connection,
and records the outcome in another short transaction, if its lease still stands. Deliveries
run on their own while the next turns start, so a receiver that never answers costs a pending
request until the timeout: not a database connection, and no other receiver's turn.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import or_, select, update

from qgov_gateway import queries, webhooks
from qgov_gateway.feed import FeedFilter
from qgov_gateway.models import WebhookDelivery, WebhookSubscription
from qgov_gateway.schemas import FeedItem
from qgov_shared.clock import Clock
from qgov_shared.db import SessionFactory
from qgov_shared.http.destinations import (
    Resolver,
    UnsafeDestination,
    check_destination,
    system_resolver,
)
from qgov_shared.sql import driver_connection

BATCH_SIZE = 100
_AT_ONCE = 20  # deliveries under way in one dispatcher


@dataclass(frozen=True)
class Claim:
    """A subscription leased for one delivery, as it stood when it was leased."""

    id: int
    lease_id: str
    url: str
    secret: str
    feed_filter: FeedFilter
    position: int
    attempt: int

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> Claim:
        return cls(
            id=subscription.id,
            lease_id=subscription.lease_id,
            url=subscription.url,
            secret=subscription.secret,
            feed_filter=FeedFilter(tuple(subscription.regions), tuple(subscription.grades)),
            position=subscription.position,
            attempt=subscription.failures + 1,
        )


class WebhookDispatcher:
    """Delivers every due subscription's next batch. Several gateway replicas may run one."""

    def __init__(
        self,
        session_factory: SessionFactory,
        client: httpx.AsyncClient,
        timing: webhooks.DeliveryTiming,
        clock: Clock,
        *,
        allow_private: bool,
        resolve: Resolver = system_resolver,
    ) -> None:
        self._session_factory = session_factory
        self._client = client
        self._timing = timing
        self._clock = clock
        self._allow_private = allow_private
        self._resolve = resolve
        self._under_way: set[asyncio.Task[bool]] = set()
        self._batch_sent = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                await self.deliver_due()
                await self._until_next_turn(stop)
        finally:
            await asyncio.gather(*self._under_way, return_exceptions=True)

    async def deliver_due(self) -> list[asyncio.Task[bool]]:
        """Start delivering to the due subscriptions, as many as there is room for beside the
        deliveries under way; the new deliveries, each ending in whether it sent a batch. A
        delivery that failed unexpectedly (the database, say) is raised here, at the next turn,
        so that the runtime restarts the dispatcher."""
        for finished in [task for task in self._under_way if task.done()]:
            self._under_way.discard(finished)
            finished.result()
        claims = await self._claim_due(_AT_ONCE - len(self._under_way))
        started = [asyncio.create_task(self._deliver(claim)) for claim in claims]
        self._under_way.update(started)
        return started

    async def _until_next_turn(self, stop: asyncio.Event) -> None:
        """The poll interval, or less once a delivery has sent a batch: more may be behind it."""
        waits = [asyncio.create_task(stop.wait()), asyncio.create_task(self._batch_sent.wait())]
        await asyncio.wait(
            waits, timeout=self._timing.poll_interval_s, return_when=asyncio.FIRST_COMPLETED
        )
        for wait in waits:
            wait.cancel()
        self._batch_sent.clear()

    async def _claim_due(self, room: int) -> list[Claim]:
        if room <= 0:
            return []
        now = self._clock()
        due = (
            select(WebhookSubscription.id)
            .where(
                WebhookSubscription.active,
                WebhookSubscription.paused_at.is_(None),
                WebhookSubscription.next_attempt_at <= now,
                or_(
                    WebhookSubscription.leased_until.is_(None),
                    WebhookSubscription.leased_until <= now,  # its dispatcher went away
                ),
            )
            .order_by(WebhookSubscription.next_attempt_at, WebhookSubscription.id)
            .limit(room)
            .with_for_update(skip_locked=True)
        )
        lease = update(WebhookSubscription).where(WebhookSubscription.id.in_(due.scalar_subquery()))
        async with self._session_factory() as session, session.begin():
            leased = await session.scalars(
                lease.values(
                    lease_id=secrets.token_hex(16),
                    leased_until=now + timedelta(seconds=self._timing.lease_s),
                )
                .returning(WebhookSubscription)
                .execution_options(synchronize_session=False)
            )
            return [Claim.of(subscription) for subscription in leased]

    async def _deliver(self, claim: Claim) -> bool:
        async with self._session_factory() as session:
            connection = await driver_connection(await session.connection())
            items = await queries.feed_page(
                connection, claim.feed_filter, claim.position, BATCH_SIZE
            )
        delivery = await self._post(claim, items) if items else None
        await self._settle(claim, delivery)
        if delivery is not None and delivery.succeeded:
            self._batch_sent.set()
        return delivery is not None

    async def _post(self, claim: Claim, items: list[FeedItem]) -> WebhookDelivery:
        body = json.dumps(
            {
                "subscription_id": claim.id,
                "items": [item.model_dump(mode="json") for item in items],
                "next_cursor": items[-1].cursor,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        attempted_at = self._clock()
        headers = {
            "Content-Type": "application/json",
            webhooks.SIGNATURE_HEADER: webhooks.signature(
                claim.secret, int(attempted_at.timestamp()), body
            ),
            "QGov-Subscription": str(claim.id),
        }
        started = time.monotonic()
        status_code, error = None, None
        try:
            # httpx's timeout bounds each read; this bounds the whole exchange (and the lease).
            async with asyncio.timeout(self._timing.timeout_s):
                # The receiver's name may point somewhere else since it was registered.
                await check_destination(
                    claim.url, allow_private=self._allow_private, resolve=self._resolve
                )
                answer = await self._client.post(claim.url, content=body, headers=headers)
            status_code = answer.status_code
            if not answer.is_success:
                error = f"the receiver answered {status_code}"
        except TimeoutError:
            error = f"no answer within {self._timing.timeout_s:g}s"
        except (UnsafeDestination, httpx.HTTPError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
        return WebhookDelivery(
            subscription_id=claim.id,
            first_cursor=int(items[0].cursor),
            last_cursor=int(items[-1].cursor),
            items=len(items),
            attempt=claim.attempt,
            succeeded=error is None,
            status_code=status_code,
            error=error,
            attempted_at=attempted_at,
            duration_ms=round((time.monotonic() - started) * 1000),
        )

    async def _settle(self, claim: Claim, delivery: WebhookDelivery | None) -> None:
        """Record the attempt, and what it means for the subscription, releasing the lease;
        without a delivery (nothing new to send), look again next round."""
        async with self._session_factory() as session, session.begin():
            if delivery is not None:
                session.add(delivery)
            subscription = await session.get(WebhookSubscription, claim.id, with_for_update=True)
            if subscription.lease_id != claim.lease_id:
                return  # the lease ran out and another dispatcher took over: its outcome counts
            subscription.lease_id = subscription.leased_until = None
            now = self._clock()
            if delivery is None:
                subscription.next_attempt_at = now  # to the back of the queue of due ones
            elif subscription.position == claim.position:  # not replayed while in flight
                webhooks.settle(subscription, delivery, now, self._timing)
