"""What a form does with bad input, what signing out ends, and what a forged form is."""

from __future__ import annotations

from playwright.async_api import Browser, Page

from ..conftest import REGULATOR, Platform
from .conftest import Look
from .pages import COMPLAINT, file_complaint, new_page, sign_in, submit_complaint


async def test_bad_input_is_answered_beside_each_field_and_what_was_typed_is_kept(
    platform: Platform, page: Page, look: Look
) -> None:
    await file_complaint(
        page, "not a code", **{"#f-complainant_phone": "12345", "#f-complainant_name": ""}
    )
    assert await page.inner_text("#f-complainant_phone-error") == "格式不正确。"
    assert await page.inner_text("#f-complainant_name-error") == "此项为必填项。"
    assert await page.inner_text("#f-respondent_credit_code-error") != ""
    assert await page.get_attribute("#f-complainant_phone", "aria-invalid") == "true"
    assert await page.input_value("#f-complainant_phone") == "12345"
    assert await page.input_value("#f-facts") == COMPLAINT["#f-facts"]
    assert await page.input_value("#f-region_code") == "440200"
    assert await page.is_checked("#f-notice_read")
    assert await page.is_hidden("#f-complainant_address-error")
    await look(page, "file-complaint-errors")

    # The notice is the pages' own rule: unticked, nothing is sent.
    await page.fill("#f-complainant_name", "张三")
    await page.fill("#f-complainant_phone", "13812345678")
    await page.fill("#f-respondent_credit_code", "")
    await page.uncheck("#f-notice_read")
    await page.click("form.stack button[type=submit]")
    assert await page.inner_text("#f-notice_read-error") == "请先阅读告知事项并勾选确认。"
    assert await page.input_value("#f-complainant_name") == "张三"


async def test_inline_validation_speaks_before_the_form_is_sent(page: Page) -> None:
    await page.goto("/complaints/new")
    await page.fill("#f-complainant_phone", "12345")
    await page.press("#f-complainant_phone", "Tab")
    assert await page.is_visible("#f-complainant_phone-error")
    await page.fill("#f-complainant_phone", "13812345678")
    await page.press("#f-complainant_phone", "Tab")
    assert await page.is_hidden("#f-complainant_phone-error")


async def test_signing_out_ends_the_session_even_for_a_kept_cookie(
    platform: Platform, browser: Browser, page: Page
) -> None:
    await sign_in(page, *REGULATOR)
    await page.wait_for_url("**/console/queue")
    [session] = [c for c in await page.context.cookies() if c["name"] == "qgov_session"]
    await page.click("header form[action='/console/signout'] button")
    await page.wait_for_url(platform.url + "/")
    assert await page.is_visible("header a[href='/console/signin']")
    await page.goto("/console/queue")
    assert page.url.endswith("/console/signin")

    # The cookie a thief kept from before is worth nothing now.
    context, replay = await new_page(browser, platform.url)
    await context.add_cookies([session])
    await replay.goto("/console/queue")
    assert replay.url.endswith("/console/signin")
    await context.close()


async def test_a_wrong_secret_signs_no_one_in(page: Page) -> None:
    await sign_in(page, REGULATOR[0], "not-the-secret")
    assert "客户端编号或密钥不正确" in await page.inner_text(".error-summary")
    assert await page.input_value("#f-client_secret") == ""  # never rendered back
    assert not [c for c in await page.context.cookies() if c["name"] == "qgov_session"]


async def test_a_forged_csrf_token_is_refused_and_does_nothing(
    platform: Platform, page: Page
) -> None:
    firm = await platform.new_enterprise("韶关某五金有限公司")
    await page.goto("/complaints/new")
    await page.eval_on_selector("input[name=csrf_token]", "input => input.value = 'forged'")
    await submit_complaint(page, firm.credit_code)
    assert page.url.endswith("/complaints/new")
    assert "表单已过期或来源不明" in await page.inner_text("main")

    # Signed in, a forged sign-out is refused and the session goes on.
    await sign_in(page, *REGULATOR)
    await page.wait_for_url("**/console/queue")
    await page.eval_on_selector("header input[name=csrf_token]", "input => input.value = 'forged'")
    await page.click("header form[action='/console/signout'] button")
    assert "表单已过期或来源不明" in await page.inner_text("main")
    await page.goto("/console/queue")
    assert page.url.endswith("/console/queue")
    assert firm.credit_code not in await page.inner_text("main")  # nothing was filed
