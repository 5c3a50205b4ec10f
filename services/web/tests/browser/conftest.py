"""Real Chromium (Debian's, driven by Playwright) against the whole platform, at the
gateway's address. Each test gets a fresh browser context (no cookies). `look(page, name)`
saves the page's screenshots at desktop and phone width under test-artifacts/screenshots/ and
runs the accessibility checks on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from .a11y import accessibility_problems

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

Look = Callable[[Page, str], Awaitable[None]]


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Browser, platform) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=platform.url, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = await context.new_page()
    yield page
    await context.close()


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Path:
    folder = pytestconfig.rootpath / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def look(screenshots: Path) -> Look:
    async def look_at(page: Page, name: str) -> None:
        problems = await accessibility_problems(page)
        assert problems == [], f"{name}: {problems}"
        await page.screenshot(path=screenshots / f"{name}-desktop.png", full_page=True)
        await page.set_viewport_size(PHONE)
        problems = await accessibility_problems(page)
        assert problems == [], f"{name} (phone): {problems}"
        await page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
        await page.set_viewport_size(DESKTOP)

    return look_at
