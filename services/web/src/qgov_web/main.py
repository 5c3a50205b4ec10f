"""The web service's composition root: the gateway client, the token verifier (the gateway's
published keys), the page renderer and the CSRF signer are built here once."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from qgov_shared.app import Runtime, create_service_app
from qgov_shared.auth import JwksKeySource, TokenVerifier
from qgov_shared.clock import Clock, system_clock
from qgov_shared.http.clients import pooled_client
from qgov_web import pages, sessions
from qgov_web.csrf import CsrfSigner
from qgov_web.dependencies import WebDependencies, WebSettings
from qgov_web.pages import errors
from qgov_web.platform import Platform
from qgov_web.rendering import Pages

STATIC = Path(__file__).parent / "static"
FORMS = ("application/x-www-form-urlencoded",)


def create_app(settings: WebSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    settings = settings or WebSettings()
    # httpx logs every request's URL at INFO, and a case's URL names its tracking number.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    client = pooled_client(settings.gateway_url, settings.gateway_timeout_s)
    deps = WebDependencies(
        settings=settings,
        clock=clock,
        token_verifier=TokenVerifier(
            JwksKeySource(f"{settings.gateway_url}/.well-known/jwks.json", client=client),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            clock=clock,
        ),
        platform=Platform(client),
        pages=Pages(secure_cookies=settings.cookies_secure),
        csrf=CsrfSigner(settings.web_secret.get_secret_value()),
    )

    async def start(app: FastAPI) -> None:
        runtime: Runtime = app.state.runtime
        runtime.every("sessions", settings.session_sweep_interval_s, lambda: _sweep(runtime, deps))
        runtime.spawn("gateway-client", lambda: _close_when_stopped(runtime, client))

    app = create_service_app(
        deps,
        title="QGov web",
        routers=pages.ROUTERS,
        media_types={"": FORMS},
        on_startup=start,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    return app


async def _sweep(runtime: Runtime, deps: WebDependencies) -> None:
    async with runtime.unit_of_work() as uow:
        await sessions.sweep(uow, deps.clock())
        await uow.commit()


async def _close_when_stopped(runtime: Runtime, client: httpx.AsyncClient) -> None:
    await runtime.stop.wait()
    await client.aclose()
