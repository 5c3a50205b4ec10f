"""What the browser tests do on the pages, as a person would: fill in and submit forms by
their labels' fields, sign in and out."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Browser, BrowserContext, Page

from .conftest import DESKTOP

COMPLAINT = {
    "#f-complainant_name": "张三",
    "#f-complainant_phone": "13812345678",
    "#f-complainant_address": "广东省韶关市武江区新华南路12号",
    "#f-respondent_name": "韶关某电器有限公司",
    "#f-request": "退货退款",
    "#f-facts": "电饭煲买来三天就无法加热",
}


@dataclass
class Receipt:
    tracking_number: str
    token: str


async def new_page(browser: Browser, url: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(base_url=url, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(15_000)
    return context, await context.new_page()


async def file_complaint(page: Page, respondent_code: str, **changes: str) -> None:
    """Fill in the complaint form and submit it; `changes` replace fields by selector."""
    await page.goto("/complaints/new")
    await submit_complaint(page, respondent_code, **changes)


async def submit_complaint(page: Page, respondent_code: str, **changes: str) -> None:
    """Fill in the complaint form on the page and submit it."""
    for selector, value in {
        **COMPLAINT,
        "#f-respondent_credit_code": respondent_code,
        **changes,
    }.items():
        await page.fill(selector, value)
    await page.select_option("#f-category", "electronics")
    await page.select_option("#f-region_code", "440200")
    await page.check("#f-notice_read")
    await page.click("form.stack button[type=submit]")


async def receipt_of(page: Page) -> Receipt:
    number = await page.inner_text("[data-receipt=tracking_number]")
    token = await page.inner_text("[data-receipt=token]")
    return Receipt(number.strip(), token.strip())


async def follow(page: Page, receipt: Receipt) -> None:
    await page.goto("/complaints/follow")
    await page.fill("#f-tracking_number", receipt.tracking_number)
    await page.fill("#f-token", receipt.token)
    await page.click("form.stack button[type=submit]")


async def sign_in(page: Page, client_id: str, secret: str) -> None:
    await page.goto("/console/signin")
    await page.fill("#f-client_id", client_id)
    await page.fill("#f-client_secret", secret)
    await page.click("form.stack button[type=submit]")


async def act(page: Page, action: str, choices: dict[str, str] | None = None) -> None:
    """Take one procedural action on the case page: tick its choices, submit its form."""
    form = page.locator(f"form[action$='/{action}']")
    for name, value in (choices or {}).items():
        await form.locator(f"input[name={name}][value={value}]").check()
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()


async def case_status(page: Page) -> str:
    return (await page.inner_text("[data-case=status]")).strip()
