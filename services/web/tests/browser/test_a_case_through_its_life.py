"""A complaint from the form to its rating, each party on its own pages: the citizen files
it and follows it, the regulator accepts it, the enterprise answers it, the regulator
mediates and closes it, the citizen rates it, and the enterprise's public page counts it."""

from __future__ import annotations

from playwright.async_api import Browser, Page

from qgov_shared.testing.stack import wait_for

from ..conftest import REGULATOR, Platform
from .conftest import Look
from .pages import act, case_status, file_complaint, follow, new_page, receipt_of, sign_in


async def test_a_complaint_is_filed_followed_handled_answered_closed_rated_and_counted(
    platform: Platform, browser: Browser, page: Page, look: Look
) -> None:
    firm = await platform.new_enterprise("韶关某电器有限公司")

    # The citizen finds the enterprise, files a complaint about it and keeps the receipt.
    await page.goto("/")
    await look(page, "home")
    await page.fill("#search-q", firm.credit_code)
    await page.click("form[role=search] button")
    await page.wait_for_url(f"**/enterprises/{firm.credit_code}")
    assert await page.inner_text("h1") == firm.name
    assert await page.inner_text("[data-count=received]") == "0"
    await look(page, "enterprise")
    await page.goto("/complaints/new")
    await look(page, "file-complaint")
    await file_complaint(page, firm.credit_code)
    receipt = await receipt_of(page)
    assert receipt.tracking_number.startswith("T")
    await look(page, "receipt")
    await follow(page, receipt)
    assert await case_status(page) == "已提交"
    await look(page, "follow")

    # The regulator finds it in the work queue and accepts it.
    regulator_context, regulator = await new_page(browser, platform.url)
    await sign_in(regulator, *REGULATOR)
    await regulator.wait_for_url("**/console/queue")
    await look(regulator, "queue")
    await regulator.click(f"text={receipt.tracking_number}")
    await look(regulator, "case")
    await act(regulator, "decision", {"decision": "accept"})
    assert await case_status(regulator) == "已受理"

    # The enterprise reads it, its complainant masked, and answers.
    firm_context, firm_page = await new_page(browser, platform.url)
    await sign_in(firm_page, firm.client_id, firm.client_secret)
    await firm_page.wait_for_url("**/console/complaints")
    await look(firm_page, "enterprise-complaints")
    await firm_page.click(f"text={receipt.tracking_number}")
    assert "13812345678" not in await firm_page.content()
    await firm_page.check("input[name=kind][value=answer]")
    await firm_page.fill("#f-text", "已联系消费者，同意退货退款。")
    await firm_page.click("form[action$='/responses'] button[type=submit]")
    await firm_page.wait_for_load_state()
    assert "已联系消费者，同意退货退款。" in await firm_page.inner_text("main")
    await look(firm_page, "enterprise-complaint")

    # The regulator mediates to an agreement and closes the case; the answer is in its file.
    await regulator.reload()
    assert "已联系消费者，同意退货退款。" in await regulator.inner_text("main")
    await act(regulator, "mediation-start")
    assert await case_status(regulator) == "调解中"
    await act(regulator, "mediation-outcome", {"outcome": "mediated"})
    assert await case_status(regulator) == "调解成功"
    await act(regulator, "close")
    assert await case_status(regulator) == "已办结"

    # The citizen sees every step and rates the handling.
    await follow(page, receipt)
    assert await case_status(page) == "已办结"
    steps = await page.locator(".timeline .timeline-action").all_inner_texts()
    assert steps == ["提交", "受理", "经营者答复", "开始调解", "调解成功", "办结"]
    await page.check("input[name=satisfaction][value='5']")
    await page.click("form[action$='/rating'] button[type=submit]")
    assert "感谢您的评价" in await page.inner_text("main")
    assert "5 分" in await page.inner_text("main")

    # The enterprise's public page counts the complaint, closed after an agreement.
    async def counted() -> bool:
        await page.goto(f"/enterprises/{firm.credit_code}")
        return await page.inner_text("[data-count=closed]") == "1"

    await wait_for(counted, within=20, what="the closed complaint on the public page")
    assert await page.inner_text("[data-count=received]") == "1"
    assert await page.inner_text("[data-count=mediated]") == "1"
    await firm_context.close()
    await regulator_context.close()
