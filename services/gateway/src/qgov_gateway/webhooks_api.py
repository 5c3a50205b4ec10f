"""Webhook subscriptions to the credit feed, for regulators' systems."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field, HttpUrl
from sqlalchemy import select

from qgov_gateway import webhooks
from qgov_gateway.api import Regulator, scopes_of
from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_gateway.feed import FeedFilter
from qgov_gateway.models import WebhookDelivery, WebhookSubscription
from qgov_shared.app import ClockDep, SessionDep, UnitOfWorkDep
from qgov_shared.errors import RuleViolation
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep, keyset_page
from qgov_shared.regions import RegionCodeStr
from qgov_shared.settings import Environment

router = APIRouter(prefix="/api/v1/feeds/credit/webhooks", tags=["feed"])
Cursor = Annotated[str, Field(pattern=r"^[0-9]{1,18}$", description="a feed item's `cursor`")]


class SubscriptionCreate(BaseModel):
    url: HttpUrl = Field(description="where batches are POSTed; https in production")
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
    active: bool
    failures: int = Field(description="deliveries failed in a row; 0 when healthy")
    next_attempt_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> SubscriptionView:
        values = {
            name: getattr(subscription, name) for name in cls.model_fields if name != "position"
        }
        return cls(**values, position=str(subscription.position))


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
    query = select(WebhookSubscription).where(WebhookSubscription.owner == principal.subject)
    rows, next_cursor = await keyset_page(session, query, [WebhookSubscription.id], page)
    return Page(items=[SubscriptionView.of(row[0]) for row in rows], next_cursor=next_cursor)


@router.get("/{subscription_id}", response_model=SubscriptionView)
async def subscription(subscription_id: int, principal: Regulator, session: SessionDep):
    return SubscriptionView.of(await webhooks.owned(session, principal, subscription_id))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(subscription_id: int, principal: Regulator, uow: UnitOfWorkDep):
    """Stop deliveries; the subscription and its delivery record are kept."""
    async with uow:
        subscription = await webhooks.owned(uow.session, principal, subscription_id, lock=True)
        subscription.active = False
        await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{subscription_id}/replay", response_model=SubscriptionView)
async def replay(
    subscription_id: int, body: Replay, principal: Regulator, uow: UnitOfWorkDep, clock: ClockDep
):
    """Deliver again, in order, everything after the given cursor."""
    async with uow:
        subscription = await webhooks.owned(uow.session, principal, subscription_id, lock=True)
        if not subscription.active:
            raise RuleViolation("The subscription was cancelled; register a new one.")
        webhooks.replay(subscription, int(body.after), clock())
        await uow.commit()
        return SubscriptionView.of(subscription)


@router.get("/{subscription_id}/deliveries", response_model=Page[DeliveryView])
async def deliveries(
    subscription_id: int, principal: Regulator, session: SessionDep, page: PageRequestDep
):
    """Every delivery attempt, oldest first."""
    await webhooks.owned(session, principal, subscription_id)
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    rows, next_cursor = await keyset_page(session, query, [WebhookDelivery.id], page)
    return Page(
        items=[DeliveryView.model_validate(row[0]) for row in rows], next_cursor=next_cursor
    )


def _check_scheme(url: HttpUrl, environment: Environment) -> None:
    if environment is Environment.PRODUCTION and url.scheme != "https":
        raise RuleViolation("Receivers must use https.", field="url")
