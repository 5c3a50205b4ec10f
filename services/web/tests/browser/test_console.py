"""The regulators' overview and live credit feed, and the enterprise's credit file."""

from __future__ import annotations

from playwright.async_api import Browser, Page

from qgov_shared.testing.clock import CHINA
from qgov_shared.testing.tokens import bearer

from ..conftest import REGULATOR, Platform
from .conftest import Look
from .pages import new_page, sign_in


async def test_a_credit_change_arrives_live_in_the_feed_and_shows_in_the_files(
    platform: Platform, browser: Browser, page: Page, look: Look
) -> None:
    firm = await platform.new_enterprise("韶关某食品有限公司")
    await sign_in(page, *REGULATOR)
    await page.wait_for_url("**/console/queue")
    await page.goto("/console/feed")
    await page.wait_for_selector("[data-live-status]:not([hidden])")
    await look(page, "feed")

    # A regulator records a penalty through the API; the open page shows the change.
    async with platform.api() as api:
        form = {"grant_type": "client_credentials", "client_id": REGULATOR[0]}
        issued = await api.post("/oauth/token", data={**form, "client_secret": REGULATOR[1]})
        record = {
            "credit_code": firm.credit_code,
            "kind": "penalty",
            "severity": "general",
            "occurred_on": platform.clock().astimezone(CHINA).date().isoformat(),
        }
        entered = await api.post(
            "/api/v1/credit/records", json=record, headers=bearer(issued.json()["access_token"])
        )
        assert entered.status_code == 201, entered.text
    row = page.locator(f"[data-live-feed] tbody tr:has-text('{firm.credit_code}')")
    await row.wait_for(timeout=30_000)
    assert "A → B" in await row.inner_text()

    await page.goto("/console/overview")
    assert await page.locator("svg.chart[role=img]").count() == 6
    await look(page, "overview")

    # The enterprise sees the record in its file; a repair needs its pledge.
    context, firm_page = await new_page(browser, platform.url)
    await sign_in(firm_page, firm.client_id, firm.client_secret)
    await firm_page.goto("/console/credit")
    assert "行政处罚" in await firm_page.inner_text("table")
    await look(firm_page, "credit")
    await firm_page.check("input[name=target][value=penalty_publicity]")
    await firm_page.fill("#f-correction", "已完成整改")
    await firm_page.click("form[action='/console/credit/repairs'] button[type=submit]")
    assert await firm_page.inner_text("#f-pledge-error") == "此项为必填项。"
    assert await firm_page.input_value("#f-correction") == "已完成整改"
    await context.close()
