"""Compliance certificates with their public trace pages and Digital Link resolver; recalls
with their scope computed from the trace graph, shown on the lot's page at once, their
progress per party holding stock, and their closure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from qgov_shared.testing.clock import CHINA
from qgov_shared.testing.problems import problem
from qgov_traceability.epcis.identifiers import canonical

from .conftest import PRODUCER, Desk
from .supply_chain import (
    ITEMS,
    LOT,
    RAW,
    RETAILER_PARTY,
    SHELF,
    STORE,
    STORE_2,
    capture_chain,
)

CERTIFICATE = {
    "lot": LOT,
    "product_name": "有机大米",
    "quantity": "480",
    "unit": "kg",
    "production_place": "广东省韶关市乳源县",
    "commitment_basis": "self_testing",
}


def recall_body(desk: Desk, **changes: Any) -> dict[str, Any]:
    today = desk.clock().astimezone(CHINA).date()
    return {
        "scope": {"lots": [LOT]},
        "defect": "包装袋封口不严，可能受潮霉变",
        "hazard": "食用霉变大米可能引起肠胃不适",
        "measures": "停止销售，退货退款",
        "deadline": (today + timedelta(days=60)).isoformat(),
        "contact": "客服电话 400-000-0000",
        **changes,
    }


async def issue(desk: Desk, **changes: Any) -> dict[str, Any]:
    response = await desk.client.post(
        "/api/v1/traceability/certificates", json={**CERTIFICATE, **changes}, headers=desk.producer
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_certificate_gives_the_lot_a_public_trace_page(desk: Desk):
    await capture_chain(desk)

    certificate = await issue(desk)

    code = certificate["trace_code"]
    assert len(code) == 13
    assert certificate["commitment_basis"] == "自我检测"
    assert certificate["lot"] == canonical(LOT)
    page = await desk.client.get(certificate["trace_url"])
    assert page.status_code == 200
    shown = page.json()
    assert (shown["product_name"], shown["producer"]["credit_code"]) == ("有机大米", PRODUCER)
    assert shown["under_recall"] is False
    places = [step["place"] for step in shown["route"]]
    assert canonical(RETAILER_PARTY) in places
    assert canonical(SHELF) in places
    assert [s["at"] for s in shown["route"]] == sorted(s["at"] for s in shown["route"])
    assert "bizTransactionList" not in page.text
    [issued] = await desk.outbox("trace.certificate_issued")
    assert (issued["subject"], issued["data"]["trace_code"]) == (PRODUCER, code)


async def test_a_trace_code_that_does_not_exist_is_a_plain_404(desk: Desk):
    await capture_chain(desk)
    code = (await issue(desk))["trace_code"]
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")

    for missing in (typo, "23456789ABCDE", "nonsense"):
        body = problem(await desk.client.get(f"/trace/{missing}"), 404)
        assert body["detail"] == "No such trace code."
    assert (await desk.client.get(f"/trace/{code.lower()}")).status_code == 200


async def test_digital_links_resolve_to_the_lots_trace_page(desk: Desk):
    await capture_chain(desk)
    code = (await issue(desk))["trace_code"]

    lot = await desk.client.get("/01/6901234222227/10/L2026")
    item = await desk.client.get("/01/06901234222227/21/3")
    assert (lot.status_code, lot.headers["location"]) == (307, f"/trace/{code}")
    assert (item.status_code, item.headers["location"]) == (307, f"/trace/{code}")
    problem(await desk.client.get("/01/06901234222227/10/OTHER"), 404)
    problem(await desk.client.get("/01/06901234222228/10/L2026"), 404)  # bad check digit


async def test_only_the_producer_certifies_its_lots(desk: Desk):
    await capture_chain(desk)
    post = desk.client.post
    path = "/api/v1/traceability/certificates"

    not_theirs = await post(path, json=CERTIFICATE, headers=desk.retailer)
    assert problem(not_theirs, 422)["errors"][0]["pointer"] == "#/lot"
    not_a_lot = await post(path, json={**CERTIFICATE, "lot": ITEMS[0]}, headers=desk.producer)
    assert problem(not_a_lot, 422)["errors"][0]["pointer"] == "#/lot"
    basis = await post(path, json={**CERTIFICATE, "commitment_basis": "x"}, headers=desk.producer)
    assert problem(basis, 422)["errors"][0]["pointer"] == "#/commitment_basis"
    problem(await post(path, json=CERTIFICATE, headers=desk.regulator), 403)


async def test_a_recall_scopes_the_downstream_set_and_shows_on_the_trace_page(desk: Desk):
    await capture_chain(desk)
    code = (await issue(desk))["trace_code"]

    response = await desk.client.post(
        "/api/v1/recalls", json=recall_body(desk), headers=desk.producer
    )

    assert response.status_code == 201, response.text
    recall = response.json()
    assert (recall["voluntary"], recall["status"], recall["overdue"]) == (True, "open", False)
    assert recall["affected_items"] >= len(ITEMS) + 4  # the lot, its items, cases, pallet
    holders = {p["party"]: p for p in recall["parties"]}
    assert {canonical(RETAILER_PARTY), canonical(STORE), canonical(SHELF)} <= set(holders)
    assert canonical(STORE_2) in holders  # case 2 went on to the second store
    assert holders[canonical(RETAILER_PARTY)]["credit_code"] is not None
    page = (await desk.client.get(f"/trace/{code}")).json()
    assert page["under_recall"] is True
    assert page["recalls"][0]["measures"] == "停止销售，退货退款"
    [initiated] = await desk.outbox("recall.initiated")
    assert (initiated["subject"], initiated["data"]["voluntary"]) == (PRODUCER, True)
    assert initiated["data"]["products"] == [canonical(LOT)]


async def test_recall_progress_by_party_and_closure(desk: Desk):
    await capture_chain(desk)
    recall = (
        await desk.client.post("/api/v1/recalls", json=recall_body(desk), headers=desk.producer)
    ).json()
    path = f"/api/v1/recalls/{recall['id']}"

    for units in (30, 12):
        report = {"party": RETAILER_PARTY, "units_recovered": units, "note": "门店退回"}
        answer = await desk.client.post(f"{path}/progress", json=report, headers=desk.producer)
        assert answer.status_code == 200, answer.text
    shown = (await desk.client.get(path, headers=desk.regulator)).json()
    holders = {p["party"]: p["units_recovered"] for p in shown["parties"]}
    assert (shown["units_recovered"], holders[canonical(RETAILER_PARTY)]) == (42, 42)
    stranger = {"party": "urn:epc:id:pgln:4012345.00000", "units_recovered": 1}
    refused = await desk.client.post(f"{path}/progress", json=stranger, headers=desk.producer)
    assert problem(refused, 422)["errors"][0]["pointer"] == "#/party"

    closed = await desk.client.post(
        f"{path}/close", json={"summary": "共召回 42 件"}, headers=desk.producer
    )
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["summary_due_on"] is not None) == (
        "closed",
        True,
    )
    again = await desk.client.post(f"{path}/progress", json=report, headers=desk.producer)
    problem(again, 409)
    problem(await desk.client.post(f"{path}/close", json={"summary": "x"}, headers=desk.admin), 409)
    progressed = await desk.outbox("recall.progressed")
    assert [e["data"]["units_recovered_total"] for e in progressed] == [30, 42]
    [done] = await desk.outbox("recall.closed")
    assert done["data"]["units_recovered_total"] == 42


async def test_a_regulator_orders_a_recall_of_a_product_over_a_date_range(desk: Desk):
    await capture_chain(desk)
    today = desk.clock().astimezone(CHINA).date()
    scope = {
        "product": {
            "gtin": "06901234222227",
            "from_date": (today - timedelta(days=40)).isoformat(),
            "to_date": today.isoformat(),
        }
    }

    ordered = await desk.client.post(
        "/api/v1/recalls",
        json=recall_body(desk, scope=scope, credit_code=PRODUCER),
        headers=desk.regulator,
    )

    assert ordered.status_code == 201, ordered.text
    recall = ordered.json()
    assert recall["voluntary"] is False
    assert recall["affected_items"] >= len(ITEMS) + 3  # items, cases, pallet (no raw lot)
    assert canonical(STORE) in {p["party"] for p in recall["parties"]}
    listed = (await desk.client.get("/api/v1/recalls", headers=desk.producer)).json()
    assert [r["id"] for r in listed["items"]] == [recall["id"]]
    problem(await desk.client.get(f"/api/v1/recalls/{recall['id']}", headers=desk.retailer), 404)
    elsewhere = await desk.client.post(
        "/api/v1/recalls",
        json=recall_body(desk, scope=scope, credit_code=PRODUCER),
        headers=desk.other_regulator,
    )
    assert problem(elsewhere, 422)["errors"][0]["pointer"] == "#/credit_code"
    [initiated] = await desk.outbox("recall.initiated")
    assert initiated["data"]["voluntary"] is False
    assert initiated["data"]["products"] == ["https://id.gs1.org/01/06901234222227"]


async def test_a_recall_plan_is_checked(desk: Desk):
    await capture_chain(desk)
    post = desk.client.post
    today = desk.clock().astimezone(CHINA).date()

    today_deadline = recall_body(desk, deadline=today.isoformat())
    past = await post("/api/v1/recalls", json=today_deadline, headers=desk.producer)
    assert problem(past, 422)["errors"][0]["pointer"] == "#/deadline"
    others = recall_body(desk, scope={"lots": [RAW, "urn:epc:class:lgtin:4012345.011111.X"]})
    assert problem(await post("/api/v1/recalls", json=others, headers=desk.producer), 422)
    unnamed = await post("/api/v1/recalls", json=recall_body(desk), headers=desk.regulator)
    assert problem(unnamed, 422)["errors"][0]["pointer"] == "#/credit_code"
    empty = await post("/api/v1/recalls", json=recall_body(desk, scope={}), headers=desk.producer)
    problem(empty, 422)
