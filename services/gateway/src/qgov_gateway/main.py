"""The gateway's app factory."""

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import Field

from qgov_gateway import accounts, api, handlers, identity_api, routing
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
        # The gateway verifies the tokens it signs from its own keys, without an HTTP hop.
        app.state.token_verifier = TokenVerifier(
            app.state.keyring, issuer=settings.jwt_issuer, audience=settings.jwt_audience
        )

    app = create_service_app(
        settings,
        title="QGov",
        description="The one public entry to QGov, the quality-governance platform.",
        # The catch-all routing comes last: the gateway's own paths answer first.
        routers=[identity_api.router, api.router, routing.router],
        subscriptions=[
            Subscription(
                READ_MODEL_GROUP, handlers.note_event, pattern=handlers.ALL_SERVICE_TOPICS
            ),
        ],
        media_types={
            "": ("application/json",),
            "/oauth/": ("application/x-www-form-urlencoded",),
            "/open311/": ("application/x-www-form-urlencoded",),
        },
        on_startup=start_identity,
    )
    app.state.rate_limiter = RateLimiter(
        settings.public_rate_per_minute, settings.public_rate_burst
    )
    return app


async def _close_when_stopped(runtime: Runtime, upstreams: routing.Upstreams) -> None:
    await runtime.stop.wait()
    await upstreams.close()
