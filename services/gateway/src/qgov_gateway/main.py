"""The gateway's app factory."""

from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from pydantic import Field

from qgov_gateway import (
    accounts,
    api,
    feed,
    handlers,
    identity_api,
    platform_docs,
    routing,
    webhooks,
    webhooks_api,
)
from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import TokenVerifier
from qgov_shared.consumer import Subscription
from qgov_shared.http.ratelimit import RateLimiter
from qgov_shared.settings import Environment, ServiceSettings

READ_MODEL_GROUP = "gateway.read-model"


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    token_ttl_s: int = 900
    upstream_urls: dict[str, str] = Field(
        default_factory=lambda: {
            "complaints": "http://127.0.0.1:8001",
            "credit": "http://127.0.0.1:8002",
        },
        description="Where each service answers (JSON object: service -> base URL).",
    )
    upstream_timeout_s: float = 10.0
    feed_poll_interval_s: float = Field(1.0, description="How often a quiet SSE stream looks.")
    feed_heartbeat_s: float = Field(15.0, description="A comment on a quiet SSE stream this often.")
    feed_stream_max_s: float = Field(
        900.0, description="An SSE stream's longest life; the client resumes by Last-Event-ID."
    )
    run_webhook_dispatcher: bool = True
    webhook_poll_interval_s: float = 1.0
    webhook_retry_base_s: float = Field(5.0, description="The first retry's delay; it doubles.")
    webhook_retry_cap_s: float = Field(600.0, description="The longest delay between retries.")
    webhook_timeout_s: float = 10.0


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    async def start_identity(app: FastAPI) -> None:
        runtime = app.state.runtime
        async with runtime.session_factory() as session:
            now = datetime.now(UTC)
            await accounts.ensure_signing_key(session, now)
            if settings.environment is Environment.DEVELOPMENT:
                secret = settings.demo_secret.get_secret_value()
                await accounts.seed_demo_regulator(session, now, secret)
            await session.commit()
        app.state.keyring = accounts.KeyRing(runtime.session_factory)
        upstreams = routing.Upstreams(
            routing.upstream_clients(settings.upstream_urls, settings.upstream_timeout_s)
        )
        app.state.upstreams = upstreams
        runtime.spawn("upstreams", lambda: _close_when_stopped(runtime, upstreams))
        if settings.run_webhook_dispatcher:
            runtime.spawn("webhooks", lambda: _dispatch_webhooks(runtime, settings))
        # The gateway verifies the tokens it signs from its own keys, without an HTTP hop.
        app.state.token_verifier = TokenVerifier(
            app.state.keyring, issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )

    app = create_service_app(
        settings,
        title="QGov",
        description="The one public entry to QGov, the quality-governance platform.",
        # The catch-all routing comes last: the gateway's own paths answer first.
        routers=[
            identity_api.router,
            api.router,
            webhooks_api.router,
            platform_docs.router,
            routing.router,
        ],
        subscriptions=[
            Subscription(READ_MODEL_GROUP, handlers.take_in, pattern=handlers.ALL_SERVICE_TOPICS),
        ],
        media_types={
            "": ("application/json",),
            "/oauth/": ("application/x-www-form-urlencoded",),
            "/open311/": ("application/x-www-form-urlencoded",),
        },
        on_startup=start_identity,
        # /openapi.json and /docs are the whole platform's (platform_docs), not FastAPI's.
        openapi_url=None,
    )
    app.state.service_docs = platform_docs.ServiceDocs()
    app.state.stream_timing = feed.StreamTiming(
        settings.feed_poll_interval_s, settings.feed_heartbeat_s, settings.feed_stream_max_s
    )
    app.state.rate_limiter = RateLimiter(
        settings.public_rate_per_minute, settings.public_rate_burst
    )
    return app


async def _dispatch_webhooks(runtime: Runtime, settings: GatewaySettings) -> None:
    timing = webhooks.DeliveryTiming(
        settings.webhook_poll_interval_s,
        settings.webhook_retry_base_s,
        settings.webhook_retry_cap_s,
    )
    # Receivers are other parties' systems: no redirects followed, a bounded wait.
    async with httpx.AsyncClient(timeout=settings.webhook_timeout_s) as client:
        await webhooks.WebhookDispatcher(runtime.session_factory, client, timing).run(runtime.stop)


async def _close_when_stopped(runtime: Runtime, upstreams: routing.Upstreams) -> None:
    await runtime.stop.wait()
    await upstreams.close()
