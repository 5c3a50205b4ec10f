"""Delivering subscriptions: each in turn, the events it has not yet delivered go to its
webhook as one EPCISQueryDocument, signed (GS1-Signature: HMAC-SHA256 of the body with the
subscriber's token). The cursor moves only when the webhook answers 2xx, so a failed delivery
is sent again (at least once), after a wait that doubles; the webhook is told the
subscription and can drop what it saw already by eventID."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx
from sqlalchemy import update

from qgov_shared.app import Runtime
from qgov_shared.http.destinations import Resolver, UnsafeDestination, check_destination
from qgov_traceability.api.problems import VERSION_HEADERS
from qgov_traceability.dependencies import TraceabilityDependencies
from qgov_traceability.epcis.results import query_document
from qgov_traceability.models import NamedQuery, Subscription
from qgov_traceability.queries import delivery
from qgov_traceability.webhooks import SIGNATURE_HEADER, signature

log = logging.getLogger(__name__)
_MAX_DOUBLINGS = 6


async def deliver_due(
    runtime: Runtime, deps: TraceabilityDependencies, client: httpx.AsyncClient, resolve: Resolver
) -> int:
    """One round over the subscriptions that are due; how many events were delivered."""
    async with runtime.session_factory() as session:
        due = await delivery.due_subscriptions(session, deps.clock())
    delivered = 0
    for subscription, query in due:
        delivered += await _deliver(runtime, deps, client, resolve, subscription, query)
    return delivered


async def _deliver(
    runtime, deps, client, resolve, subscription: Subscription, query: NamedQuery
) -> int:
    settings = deps.settings
    async with runtime.session_factory() as session:
        found = await delivery.pending(session, subscription, query, settings.subscription_batch)
    if found.cursor is None:
        return 0
    now = deps.clock()
    body = json.dumps(
        query_document(
            found.events,
            found.contexts,
            now,
            query_name=query.name,
            subscription_id=str(subscription.id),
        ),
        ensure_ascii=False,
    ).encode()
    try:
        await check_destination(
            subscription.dest, allow_private=settings.allow_private_webhooks, resolve=resolve
        )
        answer = await client.post(
            subscription.dest,
            content=body,
            headers={
                "Content-Type": "application/ld+json",
                SIGNATURE_HEADER: signature(subscription.signature_token or "", body),
                **VERSION_HEADERS,
            },
        )
        outcome = f"{answer.status_code} from the webhook"
        delivered = answer.is_success
    except (UnsafeDestination, httpx.HTTPError) as error:
        outcome, delivered = f"not delivered: {str(error)[:150] or type(error).__name__}", False
    await _record(
        runtime, subscription, found.cursor, len(found.events), delivered, outcome, now, settings
    )
    return len(found.events) if delivered else 0


async def _record(runtime, subscription, cursor, count, delivered, outcome, now, settings) -> None:
    if delivered:
        changes = {
            "cursor_txid": cursor[0],
            "cursor_event": cursor[1],
            "delivered": Subscription.delivered + count,
            "failures": 0,
            "next_attempt_at": None,
        }
    else:
        failures = subscription.failures + 1
        wait = settings.webhook_retry_s * 2 ** min(failures - 1, _MAX_DOUBLINGS)
        changes = {"failures": failures, "next_attempt_at": now + timedelta(seconds=wait)}
        log.warning("subscription %s: %s", subscription.id, outcome)
    async with runtime.unit_of_work() as uow:
        await uow.session.execute(
            update(Subscription)
            .where(Subscription.id == subscription.id)
            .values(last_status=outcome[:200], **changes)
        )
        await uow.commit()
