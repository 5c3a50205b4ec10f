"""OWASP API8:2023, security misconfiguration: every answer, refusals included, carries the
headers that keep a browser from doing anything with it; CORS admits only the front ends
configured, never `*`; production refuses to start with development defaults."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from qgov_complaints.main import ComplaintsSettings, create_app
from qgov_shared.service import installed_services
from qgov_shared.settings import DEFAULT_DEMO_SECRET
from qgov_shared.testing.fuzz import service_parts

from .conftest import KEYS

PORTAL = "https://portal.example.gov.cn"
HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}
ANSWERS = {  # one request of each outcome: (method, path, what is sent)
    "200": ("GET", "/open311/v2/services.json", {}),
    "401": ("GET", "/api/v1/submissions", {}),
    "404": ("GET", "/no/such/path", {}),
    "413": ("POST", "/api/v1/complaints", {"content": b"x" * 2_000_000}),
    "415": (
        "POST",
        "/api/v1/complaints",
        {"content": b"a=b", "headers": {"content-type": "text/plain"}},
    ),
    "422": ("POST", "/api/v1/complaints", {"json": {}}),
}


@pytest.mark.parametrize("outcome", ANSWERS, ids=ANSWERS)
async def test_every_answer_carries_the_security_headers(complaints, platform, outcome) -> None:
    method, path, sent = ANSWERS[outcome]
    for url in (complaints[1], platform.url):  # the service, and the gateway in front of it
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            answer = await client.request(method, path, **sent)
        assert str(answer.status_code) == outcome, (url, answer.text)
        assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS
        assert "strict-transport-security" not in answer.headers  # not production


def _app(**settings):
    return create_app(ComplaintsSettings(**{"environment": "test", **settings}))


async def test_cors_admits_the_configured_front_end_only() -> None:
    app = _app(cors_allow_origins=[PORTAL])
    app.state.token_verifier = KEYS.verifier()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Authorization, Content-Type",
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        ours = await c.options("/api/v1/complaints", headers={"Origin": PORTAL, **preflight})
        theirs = await c.options(
            "/api/v1/complaints", headers={"Origin": "https://evil.example", **preflight}
        )
        simple = await c.get(
            "/open311/v2/services.json", headers={"Origin": "https://evil.example"}
        )
    assert ours.status_code == 200
    assert ours.headers["access-control-allow-origin"] == PORTAL
    assert "access-control-allow-credentials" not in ours.headers  # bearer tokens, no cookies
    assert theirs.status_code == 400
    assert "access-control-allow-origin" not in theirs.headers
    assert "access-control-allow-origin" not in simple.headers


async def test_no_cross_origin_call_is_admitted_without_configured_origins() -> None:
    app = _app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        answer = await c.get("/open311/v2/services.json", headers={"Origin": PORTAL})
    assert "access-control-allow-origin" not in answer.headers


async def test_production_answers_with_hsts() -> None:
    app = _app(environment="production", demo_secret="s3cret", jwks_url="https://gw/jwks.json")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        answer = await c.get("/open311/v2/services.json")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


@pytest.mark.parametrize("spec", installed_services(), ids=lambda spec: spec.name)
def test_production_refuses_the_development_defaults(spec) -> None:
    _, settings_class = service_parts(spec)
    production = {"environment": "production", "jwks_url": "https://gw/jwks.json"}
    with pytest.raises(ValidationError, match="QGOV_DEMO_SECRET"):
        settings_class(**production, demo_secret=DEFAULT_DEMO_SECRET)
    if spec.name != "gateway":  # the gateway signs the tokens the others verify
        with pytest.raises(ValidationError, match="QGOV_JWKS_URL"):
            settings_class(environment="production", demo_secret="s3cret", jwks_url=None)
