"""The pages added for the registers, through the gateway without a browser: the enterprise
search by name, and an enterprise's declared standards (declared, refused with the reason
beside the field, revised, withdrawn)."""

from __future__ import annotations

import re

import httpx

from ..conftest import Enterprise, Platform

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


async def signed_in(client: httpx.AsyncClient, client_id: str, secret: str) -> None:
    page = await client.get("/console/signin")
    form = {"client_id": client_id, "client_secret": secret, **_tokens(page.text)}
    answer = await client.post("/console/signin", data=form)
    assert answer.status_code == 303, answer.text


def _tokens(html: str) -> dict[str, str]:
    found = {"csrf_token": TOKEN.search(html).group(1)}
    key = FORM_KEY.search(html)
    if key:
        found["form_key"] = key.group(1)
    return found


async def post_form(
    client: httpx.AsyncClient, page_path: str, action: str, data: dict[str, str]
) -> httpx.Response:
    """Fill in a form as the page rendered it (its CSRF token and form key) and send it."""
    page = await client.get(page_path)
    assert page.status_code == 200, page.text
    return await client.post(action, data={**_tokens(page.text), **data})


async def test_an_enterprise_is_found_by_part_of_its_name(platform: Platform) -> None:
    firm = await platform.new_enterprise("韶关市查找测试电器有限公司")
    async with platform.api() as client:
        found = await client.get("/enterprises", params={"q": "查找测试"})
        assert found.status_code == 200
        assert f'href="/enterprises/{firm.credit_code}"' in found.text
        nothing = await client.get("/enterprises", params={"q": "没有这样的企业名称"})
        assert "没有找到" in nothing.text
        by_code = await client.get("/enterprises", params={"q": firm.credit_code})
        assert by_code.status_code == 303
        assert by_code.headers["location"] == f"/enterprises/{firm.credit_code}"
        too_long = await client.get("/enterprises", params={"q": "字" * 60})
        assert too_long.status_code == 422
        assert 'id="search-q-error">最多 50 个字符' in too_long.text
        assert 'aria-invalid="true"' in too_long.text


DECLARATION = {
    "product_name": "全脂乳粉",
    "category": "milk_powder",
    "standards_0_number": "GB 19644-2010",
    "standards_0_title": "食品安全国家标准 乳粉",
}


async def _declare(client: httpx.AsyncClient, firm: Enterprise, **changes: str) -> httpx.Response:
    data = {"enterprise_name": firm.name, **DECLARATION, **changes}
    return await post_form(client, "/console/declarations/new", "/console/declarations/new", data)


async def test_an_enterprise_declares_revises_and_withdraws_a_standard(platform: Platform) -> None:
    firm = await platform.new_enterprise("韶关市声明测试乳品有限公司")
    async with platform.api() as client:
        await signed_in(client, firm.client_id, firm.client_secret)
        form = await client.get("/console/declarations/new")
        assert f'value="{firm.name}"' in form.text  # the registered name, filled in

        # A number that is no standard number: refused beside its field, all typed kept.
        refused = await _declare(client, firm, standards_0_number="NOT A NUMBER")
        assert refused.status_code == 422
        error = re.search(r'id="f-standards_0_number-error">([^<]+)<', refused.text)
        assert error
        assert error.group(1).strip()
        assert 'value="NOT A NUMBER"' in refused.text
        assert 'value="食品安全国家标准 乳粉"' in refused.text

        declared = await _declare(client, firm)
        assert declared.status_code == 303, declared.text
        page_path = declared.headers["location"]
        shown = await client.get(page_path)
        assert "全脂乳粉" in shown.text
        assert 'data-declaration="status">已公开' in shown.text
        listed = await client.get("/console/declarations")
        assert f'href="{page_path}"' in listed.text

        revised = await post_form(
            client,
            page_path,
            f"{page_path}/versions",
            {**DECLARATION, "product_name": "全脂乳粉（罐装）", "note": "包装变更"},
        )
        assert revised.status_code == 303, revised.text
        assert "全脂乳粉（罐装）" in (await client.get(page_path)).text

        unexplained = await post_form(client, page_path, f"{page_path}/withdrawal", {})
        assert unexplained.status_code == 422
        assert re.search(r'id="wd-withdrawal_reason-error">[^<]+<', unexplained.text)
        withdrawn = await post_form(
            client, page_path, f"{page_path}/withdrawal", {"withdrawal_reason": "停产"}
        )
        assert withdrawn.status_code == 303
        after = await client.get(page_path)
        assert 'data-declaration="status">已撤回' in after.text
        assert f"{page_path}/versions" not in after.text  # nothing more to revise

    async with platform.api() as stranger:  # the console is for the enterprise itself
        assert (await stranger.get("/console/declarations")).status_code == 303
