"""OWASP API1:2023 through the gateway, between regions and between holders of a capability:
another region's enterprise file, repair application, webhook subscription, suspension,
inspector, campaign draw, inspection task and sample are out of reach of every operation by
id (404, or 403 where the object is public), another laboratory's sample of the laboratory's
key, and another complaint of the tracking token; each unchanged afterwards."""

from __future__ import annotations

import secrets
from datetime import timedelta

import httpx

from qgov_inspections.draw import commitment
from qgov_shared.testing.clock import CHINA, START

from .filings import complaint
from .object_level import (
    OWNER,
    REGULATOR,
    STRANGERS,
    attempt,
    created,
    enterprise,
    read,
    unchanged_after,
)

TODAY = START.astimezone(CHINA).date()

CREDIT = [
    "PUT /api/v1/credit/enterprises/{credit_code}",
    "GET /api/v1/credit/enterprises/{credit_code}",
    "GET /api/v1/credit/enterprises/{credit_code}/history",
    "POST /api/v1/credit/enterprises/{credit_code}/repairs",
    "POST /api/v1/credit/repairs/{application_id}/decision",
]


async def test_another_regions_or_enterprises_credit_file(platform) -> None:
    owner = enterprise(OWNER)
    record = {
        "credit_code": OWNER,
        "kind": "penalty",
        "severity": "general",
        # Long enough ago for its publicity to be repairable.
        "occurred_on": (TODAY - timedelta(days=400)).isoformat(),
        "note": "抽查不合格后行政处罚",
    }
    repair = {"target": "penalty_publicity", "pledge": "诚信经营承诺书", "correction": "整改报告"}
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        recorded = await created(client, "/api/v1/credit/records", record, REGULATOR)
        path = f"/api/v1/credit/enterprises/{OWNER}"
        repair["record_id"] = recorded["id"]
        applied = await created(client, f"{path}/repairs", repair, owner)
        ids = {"credit_code": OWNER, "application_id": str(applied["id"])}
        values = {"name": "改名", "approve": True, "reason": "x"}
        reads = [path, f"{path}/history"]
        await unchanged_after(
            client, reads, REGULATOR, attempt(client, CREDIT, ids, STRANGERS, values)
        )


GATEWAY = [
    "PUT /api/v1/enterprises/{credit_code}/suspension",
    "DELETE /api/v1/enterprises/{credit_code}/suspension",
    "GET /api/v1/feeds/credit/webhooks/{subscription_id}",
    "DELETE /api/v1/feeds/credit/webhooks/{subscription_id}",
    "POST /api/v1/feeds/credit/webhooks/{subscription_id}/replay",
    "POST /api/v1/feeds/credit/webhooks/{subscription_id}/resume",
    "GET /api/v1/feeds/credit/webhooks/{subscription_id}/deliveries",
]


async def test_another_regions_webhook_and_enterprise_credentials(platform) -> None:
    onboarding = {"credit_code": OWNER, "name": "韶关某电器有限公司"}
    hook = {"url": "https://93.184.216.34/qgov-hook"}
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        credentials = await created(client, "/api/v1/enterprises", onboarding, {})
        subscribed = await created(client, "/api/v1/feeds/credit/webhooks", hook, REGULATOR)
        ids = {"credit_code": OWNER, "subscription_id": str(subscribed["id"])}
        reads = [f"/api/v1/feeds/credit/webhooks/{subscribed['id']}"]
        values = {"after": "0"}
        await unchanged_after(
            client, reads, REGULATOR, attempt(client, GATEWAY, ids, STRANGERS, values)
        )
        form = {"grant_type": "client_credentials", **credentials}
        del form["credit_code"]
        token = await client.post("/oauth/token", data=form)
    assert token.status_code == 200, token.text  # not suspended by the other region


INSPECTIONS = [
    "POST /api/v1/inspections/inspectors/{inspector_id}/conflicts",
    "POST /api/v1/inspections/campaigns/{campaign_id}/draw",
    "GET /api/v1/inspections/{inspection_id}",
    "POST /api/v1/inspections/{inspection_id}/sample",
    "POST /api/v1/inspections/{inspection_id}/objection",
    "POST /api/v1/inspections/{inspection_id}/follow-up/reinspection",
    "POST /api/v1/inspections/{inspection_id}/follow-up/close",
]
LABORATORY = [
    "GET /api/v1/inspections/laboratory/samples/{blind_code}",
    "POST /api/v1/inspections/laboratory/samples/{blind_code}/result",
]


async def _inspected(client: httpx.AsyncClient) -> tuple[dict, list[int], list[str]]:
    """A drawn campaign of 440200 over the owner alone, and its inspection's sample taken:
    the inspection, the inspectors' ids and the laboratories' keys."""
    api, keys, team = "/api/v1/inspections", [], []
    for n in (1, 2):
        lab = {"name": f"API1 检验院 {n}", "accreditation_number": f"CMA-API1-{n}"}
        keys.append((await created(client, f"{api}/laboratories", lab, REGULATOR))["access_key"])
        badge = {"name": f"检查员{n}", "badge_number": f"API1-{n}", "region_code": "440200"}
        team.append((await created(client, f"{api}/inspectors", badge, REGULATOR))["id"])
    listed = {"enterprises": [{"credit_code": OWNER, "name": "韶关玩具厂", "categories": ["toys"]}]}
    await created(client, f"{api}/directory", listed, REGULATOR)
    labs = (await read(client, f"{api}/laboratories", REGULATOR))["items"]
    seed = secrets.token_hex(32)
    campaign = {
        "title": "API1 抽查",
        "region_codes": ["440200"],
        "categories": ["toys"],
        "period_start": TODAY.isoformat(),
        "period_end": (TODAY + timedelta(days=90)).isoformat(),
        "laboratory_ids": [lab["id"] for lab in labs if lab["name"].startswith("API1")],
        "seed_hash": commitment(seed),
        "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
    }
    published = await created(client, f"{api}/campaigns", campaign, REGULATOR)
    await created(client, f"{api}/campaigns/{published['id']}/draw", {"seed": seed}, REGULATOR)
    drawn = await read(client, f"{api}/campaigns/{published['id']}/inspections", REGULATOR)
    [drawn_id] = [i["inspection_id"] for i in drawn["items"] if i["credit_code"] == OWNER]
    path = f"{api}/{drawn_id}"
    sample = {
        "product_name": "儿童益智积木",
        "lot": "20261020",
        "quantity": "12 盒",
        "place": "成品仓库",
        "sampled_at": START.isoformat(),
        "inspectors": (await read(client, path, REGULATOR))["team"][:2],
        "standard_numbers": ["GB 6675.1-2014"],
    }
    await created(client, f"{path}/sample", sample, REGULATOR)
    shown = await read(client, path, REGULATOR)
    return {**shown, "campaign_id": published["id"]}, team, keys


async def test_another_regions_inspection_and_another_laboratorys_sample(platform) -> None:
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        inspection, team, keys = await _inspected(client)
        [sample] = inspection["samples"]
        ids = {
            "inspector_id": str(team[0]),
            "campaign_id": str(inspection["campaign_id"]),
            "inspection_id": str(inspection["id"]),
            "blind_code": sample["blind_code"],
        }
        reads = [f"/api/v1/inspections/{inspection['id']}"]
        values = {
            "seed": "0" * 64,
            "credit_code": OWNER,
            "inspectors": inspection["team"][:2],
            "outcome": "passed",
            "tested_on": TODAY.isoformat(),
        }
        await unchanged_after(
            client, reads, REGULATOR, attempt(client, INSPECTIONS, ids, STRANGERS, values)
        )
        # The laboratory the sample was not sent to holds the other key.
        lab_keys = [{"X-Laboratory-Key": key} for key in keys]
        mine = [h for h in lab_keys if (await client.get(_sample(ids), headers=h)).is_success]
        assert len(mine) == 1
        other = {"laboratory": next(h for h in lab_keys if h not in mine)}
        await unchanged_after(
            client, reads, REGULATOR, attempt(client, LABORATORY, ids, other, values)
        )


def _sample(ids: dict[str, str]) -> str:
    return f"/api/v1/inspections/laboratory/samples/{ids['blind_code']}"


TRACKING = [
    "GET /api/v1/tracking/{tracking_number}",
    "POST /api/v1/tracking/{tracking_number}/rating",
]


async def test_another_complaints_tracking_token(platform) -> None:
    async with httpx.AsyncClient(base_url=platform.url, timeout=60) as client:
        mine = await created(client, "/api/v1/complaints", complaint(), {})
        theirs = await created(client, "/api/v1/complaints", complaint(), {})
        holder = {"X-Tracking-Token": mine["token"]}
        ids = {"tracking_number": theirs["tracking_number"]}
        reads = [f"/api/v1/tracking/{theirs['tracking_number']}"]
        values = {"stars": 1}
        await unchanged_after(
            client,
            reads,
            {"X-Tracking-Token": theirs["token"]},
            attempt(client, TRACKING, ids, {"holder of another token": holder}, values),
        )
