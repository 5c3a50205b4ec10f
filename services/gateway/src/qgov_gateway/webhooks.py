"""Webhook subscriptions to the credit feed: a regulator's system registers a URL and filters,
and the dispatcher pushes it the feed in order, in signed batches, retrying with backoff.

Each subscription keeps its own position in the feed and moves it only past a batch the
receiver acknowledged (2xx), so a receiver that was down gets everything when it is back, and
a regulator can replay from any cursor. Every attempt is recorded. A subscription that has
failed for `pause_after_s` without a success is paused until its owner resumes it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import feed
from qgov_gateway.dependencies import GatewaySettings
from qgov_gateway.models import CreditChange, WebhookDelivery, WebhookSubscription
from qgov_shared.auth import Principal
from qgov_shared.errors import NotFound, RuleViolation

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "QGov-Signature"


class SubscriptionNotFound(NotFound):
    what = "webhook subscription"


@dataclass(frozen=True)
class DeliveryTiming:
    poll_interval_s: float
    retry_base_s: float
    retry_cap_s: float
    timeout_s: float
    pause_after_s: float

    @classmethod
    def of(cls, settings: GatewaySettings) -> DeliveryTiming:
        return cls(
            settings.webhook_poll_interval_s,
            settings.webhook_retry_base_s,
            settings.webhook_retry_cap_s,
            settings.webhook_timeout_s,
            settings.webhook_pause_after_s,
        )

    @property
    def lease_s(self) -> float:
        """How long a dispatcher holds a subscription it sends to: longer than a delivery may
        take, by a margin for the reads and writes around it and for replicas' clocks."""
        return self.timeout_s + 60.0


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`: the receiver recomputes it with
    the shared secret and refuses old timestamps, so a captured delivery cannot be replayed."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_delay(failures: int, base_s: float, cap_s: float) -> float:
    """Seconds before the next attempt after `failures` failures in a row: doubling, capped."""
    return min(cap_s, base_s * 2 ** max(failures - 1, 0))


def status(subscription: WebhookSubscription) -> str:
    if not subscription.active:
        return "cancelled"
    return "paused" if subscription.paused_at is not None else "active"


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
    """Deliver again everything after `after`, starting now (a paused subscription resumes)."""
    resume(subscription, now)
    subscription.position = after


def resume(subscription: WebhookSubscription, now: datetime) -> None:
    """Deliver again from where delivery stopped, starting now, as if it had never failed."""
    if not subscription.active:
        raise RuleViolation("The subscription was cancelled; register a new one.")
    subscription.paused_at = subscription.failing_since = None
    subscription.failures = 0
    subscription.next_attempt_at = now


def cancel(subscription: WebhookSubscription) -> None:
    subscription.active = False


# --- what a delivery's outcome does to its subscription -------------------------------------


def settle(
    subscription: WebhookSubscription,
    delivery: WebhookDelivery,
    now: datetime,
    timing: DeliveryTiming,
) -> None:
    """Move past an acknowledged batch; after a failure, wait longer each time, and pause the
    subscription once it has failed for `pause_after_s` without a success."""
    if delivery.succeeded:
        subscription.position = delivery.last_cursor
        subscription.failures = 0
        subscription.failing_since = subscription.last_error = None
        subscription.next_attempt_at = now
        return
    subscription.failures += 1
    subscription.last_error = delivery.error
    subscription.failing_since = subscription.failing_since or delivery.attempted_at
    if now - subscription.failing_since >= timedelta(seconds=timing.pause_after_s):
        subscription.paused_at = now
        log.warning(
            "webhook %s: failing since %s (%s); paused until its owner resumes it",
            subscription.id,
            subscription.failing_since.isoformat(),
            delivery.error,
        )
        return
    delay = retry_delay(subscription.failures, timing.retry_base_s, timing.retry_cap_s)
    subscription.next_attempt_at = now + timedelta(seconds=delay)
    log.warning(
        "webhook %s: delivery failed (%s); retrying in %.0fs",
        subscription.id,
        delivery.error,
        delay,
    )
