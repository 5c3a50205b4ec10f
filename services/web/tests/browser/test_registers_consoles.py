"""The registers' pages in a real browser, one flow per role (the forms' every refusal is
tested without a browser in tests/integration): a citizen finds an enterprise by name and
verifies a draw; an enterprise declares a standard (a refused number shown beside its field)
and sees its brands, certificates and recalls; a regulator sees its campaigns, recalls and
award reviews; a reviewer scores an application assigned to it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from playwright.async_api import Browser, Page

from qgov_shared.testing.clock import CHINA

from ..conftest import REGULATOR, Platform
from ..integration.test_inspection_pages import bureau_with
from .conftest import Look
from .pages import new_page, sign_in

API = "/api/v1"


async def test_a_citizen_finds_an_enterprise_by_name_and_verifies_a_draw(
    platform: Platform, page: Page, look: Look
) -> None:
    firm = await platform.new_enterprise("韶关市浏览器玩具有限公司")
    labs = await bureau_with(platform, [firm.credit_code])
    seed = hashlib.sha256(b"browser draw").hexdigest()
    today = platform.clock().astimezone(CHINA).date()
    regulator = await platform.token(*REGULATOR)
    async with platform.api() as api:
        campaign = await api.post(
            f"{API}/inspections/campaigns",
            json={
                "title": "韶关市玩具抽查（浏览器）",
                "region_codes": ["440200"],
                "categories": ["toys"],
                "period_start": today.isoformat(),
                "period_end": (today + timedelta(days=30)).isoformat(),
                "ratios": {"A": "1"},
                "laboratory_ids": [int(lab) for lab in labs],
                "seed_hash": hashlib.sha256(seed.encode()).hexdigest(),
            },
            headers=regulator,
        )
        assert campaign.status_code == 201, campaign.text
        campaign_id = campaign.json()["id"]
        drawn = await api.post(
            f"{API}/inspections/campaigns/{campaign_id}/draw",
            json={"seed": seed},
            headers=regulator,
        )
        assert drawn.status_code == 200, drawn.text

    await page.goto("/")
    await page.fill("#search-q", "浏览器玩具")
    await page.click("form[role=search] button")
    await page.wait_for_selector("[data-hits]")
    await look(page, "search")
    await page.click(f"[data-hits] a[href='/enterprises/{firm.credit_code}']")
    assert await page.inner_text("h1") == firm.name

    await page.goto("/pages/draws")
    await look(page, "draws")
    await page.click(f"a[href='/pages/draws/{campaign_id}']")
    assert await page.get_attribute("[data-verdict]", "data-verdict") == "holds"
    await look(page, "draw")


async def test_an_enterprise_declares_a_standard_and_sees_its_registers(
    platform: Platform, page: Page, look: Look
) -> None:
    firm = await platform.new_enterprise("韶关市浏览器乳品有限公司")
    await sign_in(page, firm.client_id, firm.client_secret)
    await page.wait_for_url("**/console/complaints")
    await page.goto("/console/declarations/new")
    await page.fill("#f-product_name", "全脂乳粉")
    await page.select_option("#f-category", "milk_powder")
    await page.fill("#f-standards_0_number", "NOT A NUMBER")
    await page.fill("#f-standards_0_title", "食品安全国家标准 乳粉")
    await page.click("form.stack button[type=submit]")
    assert await page.is_visible("#f-standards_0_number-error")
    assert await page.input_value("#f-standards_0_title") == "食品安全国家标准 乳粉"
    await look(page, "declaration-refused")
    await page.fill("#f-standards_0_number", "GB 19644-2010")
    await page.click("form.stack button[type=submit]")
    await page.wait_for_selector("[data-declaration=status]")
    assert await page.inner_text("[data-declaration=status]") == "已公开"
    await look(page, "declaration")
    await page.goto("/console/declarations")
    await look(page, "declarations")
    for name in ("brands", "certificates", "events", "recalls"):
        await page.goto(f"/console/{name}")
        await look(page, f"enterprise-{name}")


async def test_a_regulator_sees_its_registers_and_a_reviewer_scores_its_application(
    platform: Platform, browser: Browser, page: Page, look: Look
) -> None:
    await sign_in(page, *REGULATOR)
    await page.wait_for_url("**/console/queue")
    for name in ("campaigns", "recalls", "reviews"):
        await page.goto(f"/console/{name}")
        await look(page, f"regulator-{name}")

    application_id, reviewer = await _assigned_application(platform)
    context, expert = await new_page(browser, platform.url)
    await sign_in(expert, *reviewer)
    await expert.wait_for_url("**/console/reviews")
    await expert.click(f"a[href='/console/applications/{application_id}']")
    await look(expert, "scoring")
    for name, points in (
        ("indicator_levels", "45"),
        ("conformity_evidence", "25"),
        ("quality_management", "18"),
    ):
        await expert.fill(f"#score-score_{name}", points)
    await expert.click("form[action$='/scores'] button[type=submit]")
    await expert.wait_for_selector("[data-reviewer]")
    assert "88" in await expert.inner_text("[data-reviewer]")
    await context.close()

    await page.goto(f"/console/applications/{application_id}")
    await look(page, "application")


async def _assigned_application(platform: Platform) -> tuple[int, tuple[str, str]]:
    """A quality frontrunner application at its scoring stage, assigned to a new reviewer:
    its id and the reviewer's client id and secret."""
    firm = await platform.new_enterprise("韶关市浏览器领跑者有限公司")
    reviewer = await platform.new_client("reviewer", "李教授")
    admin = await platform.token(*await platform.new_client("admin", "平台管理员"))
    applicant = await platform.token(firm.client_id, firm.client_secret)
    regulator = await platform.token(*REGULATOR)
    today = platform.clock().astimezone(CHINA).date().isoformat()
    async with platform.api() as api:

        async def ok(method: str, path: str, body: dict, headers: dict) -> dict:
            response = await api.request(method, f"{API}{path}", json=body, headers=headers)
            assert response.status_code in (200, 201), response.text
            return response.json()

        expert = await ok(
            "POST",
            "/awards/reviewers",
            {
                "subject": reviewer[0],
                "name": "李教授",
                "organisation": "北京质量研究院",
                "region_code": "110101",
            },
            admin,
        )
        brand = await ok(
            "POST",
            "/brands",
            {
                "name": "浏览器",
                "owner_name": firm.name,
                "trademark_number": "77000" + firm.credit_code[-4:-1],
                "nice_class": 11,
                "product_categories": ["household_appliances"],
                "founded_year": 2001,
            },
            applicant,
        )
        programme = next(
            shown
            for shown in (await api.get(f"{API}/awards/programmes")).json()
            if shown["code"] == "quality_frontrunner"
        )
        round_code = next(
            one["code"]
            for one in programme["rounds"]
            if one["opens_on"] <= today <= one["closes_on"]
        )
        application = await ok(
            "POST",
            "/awards/applications",
            {
                "programme": "quality_frontrunner",
                "round": round_code,
                "enterprise_name": firm.name,
                "brand_id": brand["id"],
                "statement": "核心指标领先",
            },
            applicant,
        )
        path = f"/awards/applications/{application['id']}"
        for stage in ("application", "eligibility"):
            await ok(
                "POST",
                f"{path}/steps",
                {"stage": stage, "passed": True, "reasons": "符合"},
                regulator,
            )
        await ok("POST", f"{path}/assignments", {"reviewer_id": expert["id"]}, regulator)
    return application["id"], reviewer
