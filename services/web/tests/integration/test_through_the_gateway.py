"""The pages as the gateway serves them, without a browser: every page's security headers and
cookies, forms refused without their token, the API's own paths untouched by page routing."""

from __future__ import annotations

import re

from ..conftest import REGULATOR, Platform

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def test_a_page_comes_with_a_strict_policy_and_a_visitor_cookie_only_scripts_cannot_read(
    platform: Platform,
) -> None:
    async with platform.api() as client:
        page = await client.get("/complaints/new")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "form-action 'self'" in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["content-language"] == "zh-CN"
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("qgov_visitor=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "<script>" not in page.text  # no inline script: only <script src>


async def test_a_form_without_its_token_or_its_cookie_does_nothing(platform: Platform) -> None:
    async with platform.api() as client:
        page = await client.get("/complaints/follow")
        token = TOKEN.search(page.text).group(1)
        form = {"tracking_number": "T2026110200000000", "token": "x" * 24}
        refused = await client.post("/complaints/follow", data=form)
        assert refused.status_code == 403
        accepted = await client.post("/complaints/follow", data={**form, "csrf_token": token})
        assert accepted.status_code == 422  # looked up: no such case
        assert "受理编号或查询码不正确" in accepted.text
    async with platform.api() as stranger:  # the right token, without the cookie it is bound to
        refused = await stranger.post("/complaints/follow", data={**form, "csrf_token": token})
    assert refused.status_code == 403


async def test_the_consoles_want_a_signed_in_user_and_sessions_never_cross_visitors(
    platform: Platform,
) -> None:
    async with platform.api() as regulator:
        page = await regulator.get("/console/signin")
        form = {"client_id": REGULATOR[0], "client_secret": REGULATOR[1]}
        form["csrf_token"] = TOKEN.search(page.text).group(1)
        signed_in = await regulator.post("/console/signin", data=form)
        assert signed_in.headers["location"] == "/console"
        assert (await regulator.get("/console/queue")).status_code == 200
    async with platform.api() as client:  # another visitor, through the same gateway
        for path in ("/console/queue", "/console/feed/stream", "/console/credit"):
            answer = await client.get(path)
            assert answer.status_code == 303, path
            assert answer.headers["location"] == "/console/signin"


async def test_static_files_unknown_pages_and_the_language_switch(platform: Platform) -> None:
    async with platform.api() as client:
        css = await client.get("/static/qgov.css")
        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")
        missing = await client.get("/pages/no-such-page")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        switched = await client.get("/pages/language/en", params={"next": "//evil.example/"})
        assert switched.status_code == 303
        assert switched.headers["location"] == "/"
        english = await client.get("/")
    assert english.headers["content-language"] == "en"
    assert "Find an enterprise" in english.text


async def test_api_clients_still_get_the_apis_json(platform: Platform) -> None:
    async with platform.api() as client:
        trace = await client.get("/trace/NOSUCHCODE1", headers={"accept": "application/json"})
        services = await client.get("/open311/v2/services.json")
    assert trace.status_code == 404
    assert trace.headers["content-type"] == "application/problem+json"
    assert services.status_code == 200
    assert services.headers["content-type"] == "application/json"
