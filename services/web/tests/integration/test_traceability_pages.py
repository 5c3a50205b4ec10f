"""Traceability in the consoles through the pages: an enterprise issues a certificate for a
lot under its company prefix (one under another's refused beside the field), sees its
captured events, recalls the lot (a progress report for a party holding none of it refused
beside the field); the regulator of its region follows the recall among those in progress
and closes it."""

from __future__ import annotations

import re
from datetime import timedelta

from qgov_shared.testing.clock import CHINA

from ..conftest import REGULATOR, Enterprise, Platform
from .test_enterprise_registers import post_form, signed_in

PREFIX = "6934567"
LOT = f"urn:epc:class:lgtin:{PREFIX}.012345.L20261102"
CERTIFICATE = {
    "lot": LOT,
    "product_name": "有机大米",
    "quantity": "480",
    "unit": "kg",
    "production_place": "广东省韶关市乳源县",
    "commitment_basis": "self_testing",
}


async def _capture_three_events(platform: Platform, firm: Enterprise) -> None:
    """Three items of the lot commissioned, an hour apart, captured by the enterprise."""
    token = await platform.token(firm.client_id, firm.client_secret)
    start = platform.clock() - timedelta(days=1)
    async with platform.api() as api:
        for n in range(3):
            event = {
                "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
                "type": "ObjectEvent",
                "eventTime": (start + timedelta(hours=n)).isoformat(),
                "eventTimeZoneOffset": "+08:00",
                "epcList": [f"urn:epc:id:sgtin:{PREFIX}.012345.{n + 1}"],
                "action": "ADD",
                "bizStep": "commissioning",
                "readPoint": {"id": f"urn:epc:id:sgln:{PREFIX}.00001.0"},
            }
            captured = await api.post("/epcis/events", json=event, headers=token)
            assert captured.status_code in (201, 202), captured.text


async def test_an_enterprise_certifies_and_recalls_a_lot_and_the_regulator_follows_it(
    platform: Platform,
) -> None:
    firm = await platform.new_enterprise("韶关市乳源有机米业有限公司")
    admin = await platform.token(*await platform.new_client("admin", "平台管理员"))
    async with platform.api() as api:
        registered = await api.post(
            "/api/v1/traceability/company-prefixes",
            json={
                "credit_code": firm.credit_code,
                "company_prefix": PREFIX,
                "enterprise_name": firm.name,
            },
            headers=admin,
        )
        assert registered.status_code == 201, registered.text

    page = "/console/certificates"
    async with platform.api() as client:
        await signed_in(client, firm.client_id, firm.client_secret)
        foreign = "urn:epc:class:lgtin:4012345.011111.X1"
        refused = await post_form(client, page, page, {**CERTIFICATE, "lot": foreign})
        assert refused.status_code == 422
        assert 'id="f-lot-error"' in refused.text
        assert 'id="f-lot-error" hidden' not in refused.text
        assert f'value="{foreign}"' in refused.text

        issued = await post_form(client, page, page, CERTIFICATE)
        assert issued.status_code == 200, issued.text
        assert 'data-certificate="trace_code"' in issued.text
        listed = await client.get(page)
        assert "有机大米" in listed.text
        assert "/pages/trace/" in listed.text
        await _capture_three_events(platform, firm)
        first = await client.get("/console/events")
        assert first.text.count("<tr><td>") == 2  # two a page, the newest first
        following = re.search(r'href="(/console/events\?page=[^"]+)"', first.text)
        assert following
        rest = await client.get(following.group(1).replace("&amp;", "&"))
        assert rest.text.count("<tr><td>") == 1
        assert 'href="/console/events?page=' not in rest.text

        today = platform.clock().astimezone(CHINA).date()
        recall = {
            "lots": LOT,
            "defect": "包装袋封口不严，可能受潮霉变",
            "hazard": "食用霉变大米可能引起肠胃不适",
            "measures": "停止销售，退货退款",
            "deadline": (today + timedelta(days=60)).isoformat(),
            "contact": "客服电话 400-000-0000",
        }
        unsaid = await post_form(
            client, "/console/recalls", "/console/recalls", {**recall, "hazard": ""}
        )
        assert unsaid.status_code == 422
        assert 'id="f-hazard-error" hidden' not in unsaid.text
        started = await post_form(client, "/console/recalls", "/console/recalls", recall)
        assert started.status_code == 303, started.text
        recall_page = started.headers["location"]
        # Nothing was captured of the lot: no party holds it, and the report says so beside
        # the field, keeping what was typed.
        progress = {"party": firm.credit_code, "units_recovered": "120"}
        reported = await post_form(client, recall_page, f"{recall_page}/progress", progress)
        assert reported.status_code == 422
        assert 'id="progress-party-error">this party holds none' in reported.text
        assert 'value="120"' in reported.text

    async with platform.api() as regulator:
        await signed_in(regulator, *REGULATOR)
        followed = await regulator.get("/console/recalls")
        assert f'href="{recall_page}"' in followed.text
        closed = await post_form(
            regulator, recall_page, f"{recall_page}/close", {"summary": "已召回全部在售产品"}
        )
        assert closed.status_code == 303, closed.text
        assert 'data-recall="status">已结束' in (await regulator.get(recall_page)).text
