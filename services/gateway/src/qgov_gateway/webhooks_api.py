"""Webhook subscriptions to the credit feed, for regulators' systems."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Response, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, UrlConstraints

from qgov_gateway import queries, webhooks
from qgov_gateway.api import Regulator, scopes_of
from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_gateway.feed import FeedFilter
from qgov_gateway.models import WebhookSubscription
from qgov_shared.app import ClockDep, SessionDep, UnitOfWorkDep
from qgov_shared.errors import RuleViolation
from qgov_shared.http.destinations import UnsafeDestination, check_url
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.regions import RegionCodeStr
from qgov_shared.settings import Environment

router = APIRouter(prefix="/api/v1/feeds/credit/webhooks", tags=["feed"])
Cursor = Annotated[str, Field(pattern=r"^[0-9]{1,18}$", description="a feed item's `cursor`")]
MAX_URL_LENGTH = 2000  # the column's


def _receiver(url: HttpUrl) -> HttpUrl:
    if url.username or url.password:
        raise ValueError("must not carry credentials; deliveries are signed with the secret")
    if len(str(url)) > MAX_URL_LENGTH:  # normalising (percent-encoding) can lengthen it
        raise ValueError(f"must have at most {MAX_URL_LENGTH} characters once normalised")
    return url


ReceiverUrl = Annotated[
    HttpUrl, UrlConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_receiver)
]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: ReceiverUrl = Field(
        description="where batches are POSTed: http or https (https in production), without "
        "credentials"
    )
    regions: list[RegionCodeStr] = Field(
        default_factory=list, max_length=50, description="default: all your regions"
    )
    grades: list[Literal["A", "B", "C", "D"]] = Field(default_factory=list, max_length=4)
    after: Cursor | None = Field(None, description="start after this cursor (default: now)")


class SubscriptionView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    regions: list[str]
    grades: list[str]
    position: str = Field(description="the cursor of the last item the receiver acknowledged")
    status: Literal["active", "paused", "cancelled"] = Field(
        description="paused: it failed for too long, and waits for you to resume it"
    )
    active: bool = Field(description="false once cancelled")
    failures: int = Field(description="deliveries failed in a row; 0 when healthy")
    failing_since: datetime | None = Field(description="when the current failures began")
    last_error: str | None = Field(description="why the last delivery failed, while failing")
    paused_at: datetime | None
    next_attempt_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> SubscriptionView:
        computed = {"position": str(subscription.position), "status": webhooks.status(subscription)}
        values = {
            name: getattr(subscription, name) for name in cls.model_fields if name not in computed
        }
        return cls(**values, **computed)


class NewSubscription(SubscriptionView):
    secret: str = Field(
        description="signs every delivery (see QGov-Signature); shown only this once"
    )


class DeliveryView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    first_cursor: int
    last_cursor: int
    items: int
    attempt: int
    succeeded: bool
    status_code: int | None
    error: str | None
    attempted_at: datetime
    duration_ms: int


class Replay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after: Cursor = Field(description="deliver again everything after this cursor")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=NewSubscription)
async def subscribe(
    body: SubscriptionCreate,
    principal: Regulator,
    deps: GatewayDependenciesDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Register a receiver. Deliveries are POSTs of `{"subscription_id", "items",
    "next_cursor"}` with `QGov-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`
    under the returned secret; answer 2xx to acknowledge, anything else is retried."""
    _check_scheme(body.url, deps.settings.environment)
    try:
        check_url(str(body.url), allow_private=deps.settings.allow_private_webhooks)
    except UnsafeDestination as unsafe:
        detail = f"Receivers must be outside the platform's network: {unsafe}."
        raise RuleViolation(detail, "url") from None
    feed_filter = FeedFilter(scopes_of(principal, body.regions), tuple(body.grades))

    async def register(uow) -> WebhookSubscription:
        return await webhooks.subscribe(
            uow.session,
            principal,
            str(body.url),
            feed_filter,
            int(body.after) if body.after is not None else None,
            deps.clock(),
        )

    def present(subscription: WebhookSubscription) -> NewSubscription:
        return NewSubscription(
            **SubscriptionView.of(subscription).model_dump(), secret=subscription.secret
        )

    return await execute(uow, key, register, present, status_code=status.HTTP_201_CREATED)


@router.get("", response_model=Page[SubscriptionView])
async def subscriptions(principal: Regulator, session: SessionDep, page: PageRequestDep):
    rows, next_cursor = await queries.webhook_subscriptions(session, principal.subject, page)
    return Page(items=[SubscriptionView.of(row) for row in rows], next_cursor=next_cursor)


@router.get("/{subscription_id}", response_model=SubscriptionView)
async def subscription(subscription_id: RowId, principal: Regulator, session: SessionDep):
    return SubscriptionView.of(await webhooks.owned(session, principal, subscription_id))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription_id: RowId, principal: Regulator, uow: UnitOfWorkDep):
    """Stop deliveries; the subscription and its delivery record are kept."""
    async with uow:
        subscription = await webhooks.owned(uow.session, principal, subscription_id, lock=True)
        webhooks.cancel(subscription)
        await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{subscription_id}/replay", response_model=SubscriptionView)
async def replay(
    subscription_id: RowId, body: Replay, principal: Regulator, uow: UnitOfWorkDep, clock: ClockDep
):
    """Deliver again, in order, everything after the given cursor (resuming a paused
    subscription)."""
    async with uow:
        subscription = await webhooks.owned(uow.session, principal, subscription_id, lock=True)
        webhooks.replay(subscription, int(body.after), clock())
        await uow.commit()
        return SubscriptionView.of(subscription)


@router.post("/{subscription_id}/resume", response_model=SubscriptionView)
async def resume(subscription_id: RowId, principal: Regulator, uow: UnitOfWorkDep, clock: ClockDep):
    """Deliver again from where delivery stopped, now: for a subscription paused after failing
    for too long (see `last_error`), once its receiver is fixed."""
    async with uow:
        subscription = await webhooks.owned(uow.session, principal, subscription_id, lock=True)
        webhooks.resume(subscription, clock())
        await uow.commit()
        return SubscriptionView.of(subscription)


@router.get("/{subscription_id}/deliveries", response_model=Page[DeliveryView])
async def deliveries(
    subscription_id: RowId, principal: Regulator, session: SessionDep, page: PageRequestDep
):
    """Every delivery attempt, oldest first."""
    await webhooks.owned(session, principal, subscription_id)
    rows, next_cursor = await queries.webhook_deliveries(session, subscription_id, page)
    return Page(items=[DeliveryView.model_validate(row) for row in rows], next_cursor=next_cursor)


def _check_scheme(url: HttpUrl, environment: Environment) -> None:
    if environment is Environment.PRODUCTION and url.scheme != "https":
        raise RuleViolation("Receivers must use https.", field="url")
