"""The public registers: a declared standard found by search, the award programmes and their
holders, and a trace code, reached as a scanned QR code reaches it (`/trace/{code}`)."""

from __future__ import annotations

from playwright.async_api import Page

from qgov_shared.testing.tokens import bearer

from ..conftest import Platform
from .conftest import Look

DECLARATION = {
    "enterprise_name": "韶关市乳品有限公司",
    "product_name": "全脂乳粉",
    "category": "milk_powder",
    "standards": [{"number": "GB 19644-2010", "title": "食品安全国家标准 乳粉"}],
}


async def test_a_declared_standard_is_found_by_anyone(
    platform: Platform, page: Page, look: Look
) -> None:
    firm = await platform.new_enterprise(DECLARATION["enterprise_name"])
    async with platform.api() as api:
        form = {"grant_type": "client_credentials", "client_id": firm.client_id}
        issued = await api.post("/oauth/token", data={**form, "client_secret": firm.client_secret})
        token = bearer(issued.json()["access_token"])
        declared = await api.post("/api/v1/standards/declarations", json=DECLARATION, headers=token)
        assert declared.status_code == 201, declared.text

    await page.goto("/pages/standards")
    await page.fill("#standards-q", "全脂乳粉")
    await page.click("form[role=search] button")
    row = page.locator(f"table tr:has(a[href='/enterprises/{firm.credit_code}'])")
    assert "GB 19644-2010" in await row.inner_text()
    await look(page, "standards")


async def test_award_holders_are_listed_by_programme(page: Page, look: Look) -> None:
    await page.goto("/pages/awards")
    assert await page.locator("#awards-programme option").count() >= 1
    await look(page, "awards")


async def test_a_scanned_trace_code_leads_to_its_page(page: Page, look: Look) -> None:
    await page.goto("/trace/NOSUCHCODE1")
    assert page.url.endswith("/pages/trace/NOSUCHCODE1")
    assert await page.is_visible("#trace-code-error")
    assert await page.input_value("#trace-code") == "NOSUCHCODE1"
    await look(page, "trace")
