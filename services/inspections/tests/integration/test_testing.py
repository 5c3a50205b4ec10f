"""From the sample to the result that stands, on the real stack: at least two drawn
inspectors take the sample; the laboratory sees a blind code, the product and the standards,
never the enterprise; a failure stands after the objection period, or after a retest at
another laboratory when the enterprise objects; a failure's follow-up closes on its
re-inspection; and the public page shows the final results."""

from __future__ import annotations

import json
from datetime import date, timedelta

from .conftest import API, TODAY, Bureau, drawn_campaign, failed_result, sample_body


async def _sampled(bureau: Bureau, inspection: dict) -> dict:
    shown = await bureau.ok("GET", f"/{inspection['inspection_id']}")
    return await bureau.ok(
        "POST", f"/{inspection['inspection_id']}/sample", json=sample_body(shown["team"])
    )


async def test_the_laboratory_sees_a_blind_code_the_product_and_the_standards_only(
    bureau: Bureau,
):
    _, [inspection, *_], _, labs = await drawn_campaign(bureau, enterprises=1)
    sampled = await _sampled(bureau, inspection)
    assert sampled["status"] == "sampled"
    [sample] = sampled["samples"]
    lab = sample["laboratory_id"]
    assert lab in labs

    listed = await bureau.listed("/laboratory/samples", headers=bureau.lab(lab), pending=True)
    [seen] = listed
    assert set(seen) == {
        "blind_code",
        "purpose",
        "product_name",
        "quantity",
        "standard_numbers",
        "received_on",
        "tested_on",
        "result",
    }
    text = json.dumps(listed, ensure_ascii=False)
    assert inspection["credit_code"] not in text
    assert inspection["enterprise_name"] not in text
    other = next(i for i in labs if i != lab)
    assert await bureau.listed("/laboratory/samples", headers=bureau.lab(other)) == []
    path = f"{API}/laboratory/samples/{seen['blind_code']}"
    assert (await bureau.client.get(path, headers=bureau.lab(other))).status_code == 404
    assert (await bureau.client.get(path)).status_code == 401
    blind = {"X-Laboratory-Key": "not-a-key"}
    assert (await bureau.client.get(path, headers=blind)).status_code == 401


async def test_sampling_takes_two_drawn_inspectors(bureau: Bureau):
    _, [inspection, *_], team, _ = await drawn_campaign(bureau, enterprises=1, inspectors=4)
    shown = await bureau.ok("GET", f"/{inspection['inspection_id']}")
    drawn_ids = shown["team"]
    outsider = next(i for i in team.values() if i not in drawn_ids)
    path = f"{API}/{inspection['inspection_id']}/sample"
    for present in ([drawn_ids[0]], [drawn_ids[0], outsider]):
        response = await bureau.client.post(
            path, json=sample_body(present), headers=bureau.regulator
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["pointer"] == "#/inspectors"
    elsewhere = await bureau.client.post(
        path, json=sample_body(drawn_ids), headers=bureau.other_regulator
    )
    assert elsewhere.status_code == 404
    assert await bureau.events("inspection.sample_taken") == []


async def test_a_failure_stands_once_the_objection_period_is_over(bureau: Bureau):
    _, [inspection, *_], _, _ = await drawn_campaign(bureau, enterprises=1)
    sampled = await _sampled(bureau, inspection)
    [sample] = sampled["samples"]
    lab = bureau.lab(sample["laboratory_id"])
    path = f"/laboratory/samples/{sample['blind_code']}/result"
    await bureau.ok("POST", path, json=failed_result(), headers=lab)
    again = await bureau.client.post(f"{API}{path}", json=failed_result(), headers=lab)
    assert again.status_code == 409

    own = await bureau.ok(
        "GET",
        f"/{inspection['inspection_id']}",
        headers=bureau.enterprise(inspection["credit_code"]),
    )
    assert own["status"] == "tested"
    assert own["samples"] == []
    assert own["objection_due_on"] == (TODAY + timedelta(days=15)).isoformat()
    bureau.clock.today(TODAY + timedelta(days=15))
    assert await bureau.finalise() == 0  # the last day to object
    bureau.clock.today(TODAY + timedelta(days=16))
    assert await bureau.finalise() == 1
    assert await bureau.finalise() == 0

    [final] = await bureau.events("inspection.result_final")
    assert final["data"]["outcome"] == "failed"
    assert final["data"]["decided_on"] == (TODAY + timedelta(days=16)).isoformat()
    assert final["data"]["retested"] is False
    late = await bureau.client.post(
        f"{API}/{inspection['inspection_id']}/objection",
        json={"reason": "检验方法有误"},
        headers=bureau.enterprise(inspection["credit_code"]),
    )
    assert late.status_code == 409


async def test_an_objection_sends_the_kept_sample_to_another_laboratory_whose_result_stands(
    bureau: Bureau,
):
    campaign, [inspection, *_], _, _ = await drawn_campaign(bureau, enterprises=1)
    sampled = await _sampled(bureau, inspection)
    [first] = sampled["samples"]
    await bureau.ok(
        "POST",
        f"/laboratory/samples/{first['blind_code']}/result",
        json=failed_result(),
        headers=bureau.lab(first["laboratory_id"]),
    )
    firm = bureau.enterprise(inspection["credit_code"])
    bureau.clock.today(TODAY + timedelta(days=15))
    objected = await bureau.ok(
        "POST",
        f"/{inspection['inspection_id']}/objection",
        json={"reason": "送检样品保存不当"},
        headers=firm,
    )
    assert objected["status"] == "objected"
    shown = await bureau.ok("GET", f"/{inspection['inspection_id']}")
    [_, retest] = shown["samples"]
    assert retest["purpose"] == "retest"
    assert retest["laboratory_id"] != first["laboratory_id"]
    assert retest["blind_code"] != first["blind_code"]

    bureau.clock.today(TODAY + timedelta(days=30))
    assert await bureau.finalise() == 0  # an objected result waits for its retest
    passed = {"outcome": "passed", "tested_on": (TODAY + timedelta(days=30)).isoformat()}
    await bureau.ok(
        "POST",
        f"/laboratory/samples/{retest['blind_code']}/result",
        json=passed,
        headers=bureau.lab(retest["laboratory_id"]),
    )
    [final] = await bureau.events("inspection.result_final")
    assert (final["data"]["outcome"], final["data"]["retested"]) == ("passed", True)
    page = await bureau.ok("GET", f"/campaigns/{campaign['id']}", headers={})
    assert (page["status"], page["final"]) == ("completed", 1)
    assert page["completed_on"] == (TODAY + timedelta(days=30)).isoformat()
    public_by = date.fromisoformat(page["results_public_by"])
    days = (public_by - TODAY - timedelta(days=30)).days
    weekdays = sum((TODAY + timedelta(days=30 + n)).weekday() < 5 for n in range(1, days + 1))
    assert (weekdays, public_by.weekday() < 5) == (20, True)


async def test_a_failures_follow_up_closes_on_its_re_inspection(bureau: Bureau):
    campaign, [inspection, *_], _, _ = await drawn_campaign(bureau, enterprises=1)
    number = inspection["inspection_id"]
    [sample] = (await _sampled(bureau, inspection))["samples"]
    await bureau.ok(
        "POST",
        f"/laboratory/samples/{sample['blind_code']}/result",
        json=failed_result(),
        headers=bureau.lab(sample["laboratory_id"]),
    )
    close = f"{API}/{number}/follow-up/close"
    assert (await bureau.client.post(close, headers=bureau.regulator)).status_code == 409
    bureau.clock.today(TODAY + timedelta(days=16))
    await bureau.finalise()
    shown = await bureau.ok("GET", f"/{number}")
    assert shown["follow_up"]["rectification_due_on"] == (TODAY + timedelta(days=46)).isoformat()
    assert (await bureau.client.post(close, headers=bureau.regulator)).status_code == 409

    bureau.clock.today(TODAY + timedelta(days=40))
    again = {"outcome": "passed", "reinspected_on": (TODAY + timedelta(days=40)).isoformat()}
    await bureau.ok("POST", f"/{number}/follow-up/reinspection", json=again)
    closed = await bureau.ok("POST", f"/{number}/follow-up/close")
    assert closed["follow_up"]["outcome"] == "rectified"
    [event] = await bureau.events("inspection.followup_closed")
    assert event["data"]["outcome"] == "rectified"
    public = await bureau.listed(f"/campaigns/{campaign['id']}/inspections")
    assert public[0]["result"]["follow_up"] == "rectified"


async def test_the_public_page_shows_final_results_and_inspectors_by_name_and_badge_only(
    bureau: Bureau,
):
    campaign, inspections, _, _ = await drawn_campaign(bureau, enterprises=2)
    first, second = inspections
    [sample] = (await _sampled(bureau, first))["samples"]
    await _sampled(bureau, second)
    passed = {"outcome": "passed", "tested_on": TODAY.isoformat()}
    await bureau.ok(
        "POST",
        f"/laboratory/samples/{sample['blind_code']}/result",
        json=passed,
        headers=bureau.lab(sample["laboratory_id"]),
    )
    public = {
        i["inspection_id"]: i
        for i in await bureau.listed(f"/campaigns/{campaign['id']}/inspections")
    }
    shown = public[first["inspection_id"]]
    assert shown["result"]["outcome"] == "passed"
    assert shown["result"]["product_name"] == "儿童益智积木"
    assert public[second["inspection_id"]]["result"] is None
    for inspector in shown["inspectors"]:
        assert set(inspector) == {"name", "badge_number"}
    text = json.dumps(list(public.values()), ensure_ascii=False)
    assert sample["blind_code"] not in text
    page = await bureau.ok("GET", f"/campaigns/{campaign['id']}", headers={})
    assert (page["inspections"], page["final"], page["status"]) == (2, 1, "drawn")
