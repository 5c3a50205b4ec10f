"""The registers' pages answer nonsense with a page in the visitor's words and a 4xx, never a
server error: unknown or oversized ids, forged cursors, unknown steps, another role's page."""

from __future__ import annotations

from ..conftest import REGULATOR, Platform
from .test_enterprise_registers import post_form, signed_in

HUGE = "9" * 25


async def test_nonsense_gets_a_clear_refusal_from_every_registers_page(platform: Platform) -> None:
    firm = await platform.new_enterprise("韶关市无稽测试有限公司")
    async with platform.api() as citizen:
        for path, status in (
            ("/pages/draws?cursor=not-a-cursor", 422),
            ("/pages/draws/99999999", 404),
            (f"/pages/draws/{HUGE}", 422),
            ("/pages/draws/abc", 422),
        ):
            answer = await citizen.get(path)
            assert answer.status_code == status, (path, answer.status_code)
            assert answer.headers["content-type"].startswith("text/html"), path
        # A NUL is refused before any page sees it (the platform's shared rule).
        assert (await citizen.get("/enterprises?q=%00")).status_code == 422
        for path in ("/console/declarations", "/console/reviews", "/console/campaigns"):
            assert (await citizen.get(path)).headers["location"] == "/console/signin"

    async with platform.api() as client:
        await signed_in(client, firm.client_id, firm.client_secret)
        for path, status in (
            ("/console/declarations/99999999", 404),
            (f"/console/declarations/{HUGE}", 422),
            ("/console/declarations?cursor=not-a-cursor", 422),
            ("/console/applications/99999999", 404),
            ("/console/recalls/99999999", 404),
            ("/console/campaigns", 403),  # a regulator's page
        ):
            answer = await client.get(path)
            assert answer.status_code == status, (path, answer.status_code)
        unknown = await post_form(client, "/console/recalls", "/console/recalls/1/nonsense", {})
        assert unknown.status_code == 404

    async with platform.api() as regulator:
        await signed_in(regulator, *REGULATOR)
        assert (await regulator.get("/console/campaigns/99999999")).status_code == 404
        bogus = await regulator.get("/console/reviews", params={"status": "bogus"})
        assert bogus.status_code == 200  # shown as those in progress
        assert 'aria-current="page">审核中' in bogus.text
        assert (await regulator.get("/console/declarations")).status_code == 403
