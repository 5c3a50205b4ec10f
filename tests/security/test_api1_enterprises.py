"""OWASP API1:2023 through the gateway, between enterprises: another enterprise's declaration,
brand, transfer, award application, EPCIS capture, event, named query, certificate, recall
or repair application is out of reach of every operation by id (404, or 403 where the object
is public), and is unchanged afterwards as its owner reads it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from qgov_shared.testing.clock import CHINA, START

from .object_level import (
    ADMIN,
    INTRUDER,
    OWNER,
    STRANGERS,
    THIRD,
    attempt,
    created,
    enterprise,
    unchanged_after,
)

PREFIX = "6906161"  # the owner's GS1 company prefix
LOT = f"urn:epc:class:lgtin:{PREFIX}.012345.L61"
ITEM = f"urn:epc:id:sgtin:{PREFIX}.012345.1"


DECLARATIONS = [
    "POST /api/v1/standards/declarations/{declaration_id}/versions",
    "POST /api/v1/standards/declarations/{declaration_id}/withdrawal",
    "POST /api/v1/standards/declarations/{declaration_id}/checks",
]


async def test_another_enterprises_declaration(platform) -> None:
    owner = enterprise(OWNER)
    declaration = {
        "enterprise_name": "韶关市乳品有限公司",
        "product_name": "全脂乳粉",
        "category": "milk_powder",
        "standards": [{"number": "Q/SGRP 0061S-2025", "title": "全脂乳粉企业标准"}],
        "indicators": [
            {"name": "蛋白质", "unit": "g/100g", "direction": "higher_better", "value": "20"}
        ],
    }
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        made = await created(client, "/api/v1/standards/declarations", declaration, owner)
        ids = {"declaration_id": str(made["id"])}
        read = f"/api/v1/standards/declarations/{made['id']}"
        await unchanged_after(client, [read], owner, attempt(client, DECLARATIONS, ids, STRANGERS))


BRANDS = [
    "POST /api/v1/brands/{brand_id}/transfers",
    "POST /api/v1/brands/transfers/{transfer_id}/acceptance",
    "POST /api/v1/brands/transfers/{transfer_id}/refusal",
]
APPLICATIONS = [
    "GET /api/v1/awards/applications/{application_id}",
    "POST /api/v1/awards/applications/{application_id}/steps",
    "POST /api/v1/awards/applications/{application_id}/assignments",
    "POST /api/v1/awards/applications/{application_id}/scores",
    # Shaoguan's own award: run by the regulators of 440200 alone.
    "POST /api/v1/awards/programmes/{code}/rounds/{round_code}/proposal",
]


async def test_another_enterprises_brand_transfer_and_award_application(platform) -> None:
    owner = enterprise(OWNER)
    brand = {
        "name": "马坝油粘米",
        "owner_name": "韶关市某粮油有限公司",
        "trademark_number": "61000001",
        "nice_class": 30,
        "product_categories": ["大米"],
        "founded_year": 1960,
        "geographical_indication": True,
    }
    strangers = {**STRANGERS, "enterprise": enterprise(THIRD)}
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        made = await created(client, "/api/v1/brands", brand, owner)
        # To INTRUDER, so THIRD is the stranger to the transfer (and to the brand).
        offer = {"to_credit_code": INTRUDER, "to_name": "韶关另一粮油有限公司"}
        transfer = await created(client, f"/api/v1/brands/{made['id']}/transfers", offer, owner)
        application = {
            "programme": "geographical_indication",
            "round": "open",
            "enterprise_name": "韶关市某粮油有限公司",
            "statement": "地理标志产品保护申请。",
            "brand_id": made["id"],
        }
        applied = await created(client, "/api/v1/awards/applications", application, owner)
        ids = {
            "brand_id": str(made["id"]),
            "transfer_id": str(transfer["id"]),
            "application_id": str(applied["id"]),
            "code": "shaoguan_government_quality_award",
            "round_code": "2027",
        }
        reads = [f"/api/v1/brands/{made['id']}", f"/api/v1/awards/applications/{applied['id']}"]
        values = {"stage": applied["stage"], "to_credit_code": THIRD}
        await unchanged_after(
            client, reads, owner, attempt(client, BRANDS + APPLICATIONS, ids, strangers, values)
        )


TRACEABILITY = [
    "GET /epcis/capture/{capture_id}",
    "GET /epcis/events/{event_id}",
    "GET /epcis/epcs/{epc}/events",
    "GET /epcis/queries/{name}",
    "DELETE /epcis/queries/{name}",
    "GET /epcis/queries/{name}/events",
    "POST /epcis/queries/{name}/subscriptions",
    "GET /epcis/queries/{name}/subscriptions",
    "GET /epcis/queries/{name}/subscriptions/{subscription_id}",
    "DELETE /epcis/queries/{name}/subscriptions/{subscription_id}",
    "GET /api/v1/traceability/certificates/{certificate_id}",
    "GET /api/v1/recalls/{recall_id}",
    "POST /api/v1/recalls/{recall_id}/progress",
    "POST /api/v1/recalls/{recall_id}/close",
]


def _capture() -> dict[str, Any]:
    event = {
        "type": "ObjectEvent",
        "eventTime": (START - timedelta(days=2)).isoformat(),
        "eventTimeZoneOffset": "+08:00",
        "action": "ADD",
        "epcList": [ITEM],
        "bizStep": "commissioning",
        "ilmd": {"cbvmda:lotNumber": "L61"},
        "quantityList": [{"epcClass": LOT, "quantity": 10, "uom": "KGM"}],
    }
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": START.isoformat(),
        "epcisBody": {"eventList": [event]},
    }


async def _traced(client: httpx.AsyncClient, owner: dict) -> dict[str, str]:
    """The owner's capture, event, named query and its subscription, certificate and recall."""
    prefix = {"credit_code": OWNER, "company_prefix": PREFIX, "enterprise_name": "韶关某食品"}
    await created(client, "/api/v1/traceability/company-prefixes", prefix, ADMIN)
    job = await created(client, "/epcis/capture", _capture(), owner)
    assert job["success"], job
    events = (await client.get("/epcis/events", params={"MATCH_epc": ITEM}, headers=owner)).json()
    [event] = events["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    query = {"name": "api1-lot", "query": {"MATCH_anyEPC": ITEM}}
    await created(client, "/epcis/queries", query, owner)
    hook = {"dest": "https://93.184.216.34/epcis", "signatureToken": "s" * 16, "stream": True}
    subscription = await created(client, "/epcis/queries/api1-lot/subscriptions", hook, owner)
    certificate = {
        "lot": LOT,
        "product_name": "有机大米",
        "quantity": "10",
        "unit": "kg",
        "production_place": "广东省韶关市乳源县",
        "commitment_basis": "self_testing",
    }
    issued = await created(client, "/api/v1/traceability/certificates", certificate, owner)
    recall = {
        "scope": {"lots": [LOT]},
        "defect": "包装袋封口不严",
        "hazard": "可能受潮霉变",
        "measures": "停止销售，退货退款",
        "deadline": (START.astimezone(CHINA).date() + timedelta(days=60)).isoformat(),
        "contact": "客服电话 400-000-0000",
    }
    recalled = await created(client, "/api/v1/recalls", recall, owner)
    return {
        "capture_id": job["captureID"],
        "event_id": event["eventID"],
        "epc": ITEM,
        "name": "api1-lot",
        "subscription_id": str(subscription["subscriptionID"]),
        "certificate_id": str(issued["id"]),
        "recall_id": str(recalled["id"]),
    }


async def test_another_enterprises_traces(platform) -> None:
    owner = enterprise(OWNER)
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        ids = await _traced(client, owner)
        reads = [
            f"/epcis/queries/{ids['name']}/subscriptions/{ids['subscription_id']}",
            f"/api/v1/recalls/{ids['recall_id']}",
        ]
        values = {"party": f"urn:epc:id:pgln:{PREFIX}.00000"}
        await unchanged_after(
            client,
            reads,
            owner,
            attempt(client, TRACEABILITY, ids, STRANGERS, values, hidden=(ids["event_id"],)),
        )
