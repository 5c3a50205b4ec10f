"""Every service answers with headers that restrict what a browser may do with its responses, and
lets only the configured web origins call it cross-origin; checked on the running demo service."""

import pytest

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.http.security import DOCS_CSP, HSTS, STRICT_CSP
from qgov_shared.testing.stack import run_service

PINGS = "/api/v1/demo/pings"
PORTAL = "https://portal.example.gov.cn"
ELSEWHERE = "https://elsewhere.example.com"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-site",
}


@pytest.fixture(scope="module")
async def demo(stack):
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, cors_allow_origins=[PORTAL]
    ) as svc:
        yield svc


def _assert_secured(response, csp: str = STRICT_CSP) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, name
    assert response.headers["content-security-policy"] == csp
    assert "strict-transport-security" not in response.headers  # not production


def _preflight(demo, origin: str):
    return demo.client.options(
        PINGS,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
    )


async def test_a_normal_answer_carries_the_security_headers(demo):
    response = await demo.client.get("/healthz")
    assert response.status_code == 200
    _assert_secured(response)


async def test_problem_answers_carry_them_too(demo):
    not_found = await demo.client.get("/api/v1/demo/nothing-here")
    assert not_found.status_code == 404
    _assert_secured(not_found)
    # 415 is answered by a middleware before any route: the headers are added outside it.
    wrong_type = await demo.client.post(
        PINGS, content=b"hello", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    _assert_secured(wrong_type)


async def test_the_docs_page_may_load_swagger_ui_and_nothing_else_may(demo):
    page = await demo.client.get("/docs")
    assert page.status_code == 200
    _assert_secured(page, csp=DOCS_CSP)
    assert "https://cdn.jsdelivr.net" in DOCS_CSP
    assert "frame-ancestors 'none'" in DOCS_CSP
    _assert_secured(await demo.client.get("/openapi.json"))


async def test_a_preflight_from_an_allowed_origin_succeeds(demo):
    response = await _preflight(demo, PORTAL)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert {"idempotency-key", "content-type", "authorization"} <= {
        header.strip() for header in allowed_headers.split(",")
    }
    assert response.headers["x-request-id"]
    _assert_secured(response)


async def test_an_allowed_origin_may_read_the_headers_a_client_needs(demo):
    response = await demo.client.post(
        PINGS,
        json={"credit_code": "91350100M000100Y43", "message": "from the portal"},
        headers={"Origin": PORTAL},
    )
    assert response.status_code == 201, response.text
    assert response.headers["access-control-allow-origin"] == PORTAL
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert exposed == {"location", "retry-after", "x-request-id", "idempotent-replayed"}


async def test_another_origin_is_not_allowed(demo):
    preflight = await _preflight(demo, ELSEWHERE)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    read = await demo.client.get("/healthz", headers={"Origin": ELSEWHERE})
    assert read.status_code == 200
    assert "access-control-allow-origin" not in read.headers


async def test_production_adds_hsts_and_allows_no_origin_unless_configured(stack):
    production = {
        "environment": "production",
        "jwks_url": "http://127.0.0.1:9/.well-known/jwks.json",  # never fetched here
        "demo_secret": "not-the-default",
        "run_consumers": False,
        "run_outbox_relay": False,
    }
    async with run_service(stack, SERVICE, create_app, DemoSettings, **production) as svc:
        health = await svc.client.get("/healthz", headers={"Origin": PORTAL})
        preflight = await _preflight(svc, PORTAL)

    assert health.headers["strict-transport-security"] == HSTS
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in health.headers
    assert "access-control-allow-origin" not in preflight.headers
