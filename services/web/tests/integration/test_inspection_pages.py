"""Inspection campaigns through the pages: a regulator publishes one (bad input answered
beside the fields), reveals the seed to draw (a wrong seed refused), and anyone then sees
the draw verified on its public page."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from qgov_shared.testing.clock import CHINA

from ..conftest import REGION, REGULATOR, Platform
from .test_enterprise_registers import post_form, signed_in

API = "/api/v1/inspections"
SEED = hashlib.sha256(b"web campaign seed").hexdigest()


async def bureau_with(platform: Platform, codes: list[str]) -> list[str]:
    """Two laboratories (a retest goes to the other), three more inspectors and the
    enterprises in the directory; the laboratories' ids. Every test's campaign draws from
    the whole directory, and nobody inspects an enterprise twice in a row: each call adds
    inspectors of its own, so the pool always has enough free ones."""
    async with platform.api() as api:
        token = await platform.token(*REGULATOR)
        labs = []
        for n in range(2):
            lab = await api.post(
                f"{API}/laboratories",
                json={"name": f"韶关市质量检测所{n}", "accreditation_number": f"CMA-WEB-{n}"},
                headers=token,
            )
            assert lab.status_code == 201, lab.text
            labs.append(str(lab.json()["id"]))
        for n in range(3):
            inspector = {
                "name": f"检查员{n}",
                "badge_number": f"WEB-{labs[0]}-{n}",
                "region_code": REGION,
            }
            made = await api.post(f"{API}/inspectors", json=inspector, headers=token)
            assert made.status_code == 201, made.text
        entries = [
            {"credit_code": code, "name": "韶关玩具厂", "categories": ["toys"]} for code in codes
        ]
        listed = await api.post(f"{API}/directory", json={"enterprises": entries}, headers=token)
        assert listed.status_code == 200, listed.text
    return labs


async def test_a_campaign_is_published_drawn_and_its_draw_verified_by_anyone(
    platform: Platform,
) -> None:
    firms = [await platform.new_enterprise(f"韶关玩具厂{n}") for n in range(3)]
    lab_ids = await bureau_with(platform, [firm.credit_code for firm in firms])
    today = platform.clock().astimezone(CHINA).date()
    campaign = {
        "title": "韶关市玩具产品质量抽查（网页）",
        "region_codes": REGION,
        "categories": "toys",
        "period_start": today.isoformat(),
        "period_end": (today + timedelta(days=60)).isoformat(),
        "ratio_A": "1",
        "laboratory_ids": lab_ids,
        "seed_hash": hashlib.sha256(SEED.encode()).hexdigest(),
    }
    async with platform.api() as client:
        await signed_in(client, *REGULATOR)
        page = "/console/campaigns"
        refused = await post_form(
            client, page, page, {**campaign, "region_codes": "44020X", "seed_hash": "abc"}
        )
        assert refused.status_code == 422
        assert re.search(r'id="f-region_codes-error">[^<]+<', refused.text)
        assert 'value="44020X"' in refused.text
        assert f'value="{lab_ids[1]}" checked' in refused.text

        published = await post_form(client, page, page, campaign)
        assert published.status_code == 303, published.text
        campaign_page = published.headers["location"]
        campaign_id = campaign_page.rsplit("/", 1)[-1]

        wrong = await post_form(client, campaign_page, f"{campaign_page}/draw", {"seed": "0" * 64})
        assert wrong.status_code in (409, 422)
        assert 'class="error-summary"' in wrong.text
        assert "0" * 64 not in wrong.text  # a seed is never written back into the page
        drawn = await post_form(client, campaign_page, f"{campaign_page}/draw", {"seed": SEED})
        assert drawn.status_code == 303, drawn.text
        assert 'data-campaign="status">已抽取' in (await client.get(campaign_page)).text

    async with platform.api() as citizen:
        listed = await citizen.get("/pages/draws")
        assert f'href="/pages/draws/{campaign_id}"' in listed.text
        verified = await citizen.get(f"/pages/draws/{campaign_id}")
    assert verified.status_code == 200
    assert 'data-verdict="holds"' in verified.text
    assert verified.text.count("✔") == 5
    for firm in firms:
        assert firm.credit_code in verified.text
