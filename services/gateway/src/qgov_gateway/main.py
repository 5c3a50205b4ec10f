"""The gateway's composition root: settings, clock, signing keys, the service clients, the
profile reads' pool and the feed's timing are built here once and injected into the routes,
the read model and the webhook dispatcher."""

from __future__ import annotations

import logging

import httpx
from fastapi import FastAPI

from qgov_gateway import (
    accounts,
    api,
    feed,
    handlers,
    identity_api,
    platform_docs,
    profile_documents,
    routing,
    webhooks,
    webhooks_api,
)
from qgov_gateway.dependencies import GatewayDependencies, GatewaySettings
from qgov_gateway.read_pool import ReadPool
from qgov_gateway.revocation import GatewayTokenVerifier, SuspendedClients
from qgov_gateway.webhook_delivery import WebhookDispatcher
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.http.ratelimit import RateLimiter
from qgov_shared.settings import Environment

READ_MODEL_GROUP = "gateway.read-model"
log = logging.getLogger(__name__)


def create_app(settings: GatewaySettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    deps = _compose(settings or GatewaySettings(), clock)
    settings = deps.settings

    async def start(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        deps.keyring.bind(runtime.session_factory)
        deps.suspended_clients.bind(runtime.session_factory)
        async with runtime.session_factory() as session:
            now = clock()
            await accounts.ensure_signing_key(session, now)
            if settings.environment is Environment.DEVELOPMENT:
                secret = settings.demo_secret.get_secret_value()
                await accounts.seed_demo_regulator(session, now, secret)
            await session.commit()
        await deps.read_pool.open()
        runtime.spawn("clients", lambda: _close_when_stopped(runtime, deps))
        runtime.spawn("profile-documents", lambda: _rebuild_stale_documents(runtime))
        if settings.run_webhook_dispatcher:
            runtime.spawn("webhooks", lambda: _dispatch_webhooks(runtime, deps))

    return create_service_app(
        deps,
        title="QGov",
        description="The one public entry to QGov, the quality-governance platform.",
        # The catch-all routing comes last: the gateway's own paths answer first. Routes are
        # tried in order (~3 µs each): the read model's, the busiest, before identity's.
        routers=[
            api.router,
            identity_api.router,
            webhooks_api.router,
            platform_docs.router,
            routing.router,
        ],
        subscriptions=[
            Subscription(
                READ_MODEL_GROUP,
                batch_handler=handlers.take_in,
                pattern=handlers.ALL_SERVICE_TOPICS,
            ),
        ],
        media_types={
            "": ("application/json",),
            "/oauth/": ("application/x-www-form-urlencoded",),
            "/open311/": ("application/x-www-form-urlencoded",),
            "/epcis/": routing.EPCIS_MEDIA_TYPES,
            **routing.PAGE_MEDIA_TYPES,
        },
        max_body_bytes_under={"/epcis/": settings.epcis_max_body_bytes},
        on_startup=start,
        # /openapi.json and /docs are the whole platform's (platform_docs), not FastAPI's.
        openapi_url=None,
    )


def _compose(settings: GatewaySettings, clock: Clock) -> GatewayDependencies:
    keyring = accounts.KeyRing()
    suspended = SuspendedClients(settings.suspension_refresh_s)
    return GatewayDependencies(
        settings=settings,
        clock=clock,
        # The gateway verifies the tokens it signs from its own keys, without an HTTP hop.
        token_verifier=GatewayTokenVerifier(
            keyring,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            clock=clock,
            suspended=suspended,
        ),
        rate_limiter=RateLimiter(settings.public_rate_per_minute, settings.public_rate_burst),
        keyring=keyring,
        suspended_clients=suspended,
        upstreams=routing.Upstreams(
            routing.upstream_clients(settings.upstream_urls, settings.upstream_timeout_s)
        ),
        service_docs=platform_docs.ServiceDocs(),
        read_pool=ReadPool(settings, settings.read_pool_size),
        stream_timing=feed.StreamTiming(
            settings.feed_poll_interval_s, settings.feed_heartbeat_s, settings.feed_stream_max_s
        ),
    )


async def _dispatch_webhooks(runtime: Runtime, deps: GatewayDependencies) -> None:
    timing = webhooks.DeliveryTiming.of(deps.settings)
    # Receivers are other parties' systems: no redirects followed, a bounded wait.
    async with httpx.AsyncClient(timeout=timing.timeout_s) as client:
        dispatcher = WebhookDispatcher(
            runtime.session_factory,
            client,
            timing,
            deps.clock,
            allow_private=deps.settings.allow_private_webhooks,
        )
        await dispatcher.run(runtime.stop)


async def _rebuild_stale_documents(runtime: Runtime) -> None:
    rebuilt = await profile_documents.rebuild_stale(runtime.unit_of_work, runtime.stop)
    if rebuilt:
        log.info("rebuilt %d stale profile documents", rebuilt)


async def _close_when_stopped(runtime: Runtime, deps: GatewayDependencies) -> None:
    await runtime.stop.wait()
    await deps.upstreams.close()
    await deps.read_pool.close()
