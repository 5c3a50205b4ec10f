"""The brand registry: an enterprise registers its brands; a transfer passes only when the
receiver accepts it, and the brand's owners over time stay readable."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_brands.models import Brand, BrandTransfer
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem

from .conftest import APPLICANT, OTHER, TODAY, Desk, brand_body


async def count(desk: Desk, table) -> int:
    async with desk.svc.runtime.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def test_an_enterprise_registers_its_brand_and_anyone_reads_it(desk: Desk, contracts):
    brand = await desk.brand(APPLICANT, region_code=None)

    assert (brand["credit_code"], brand["region_code"]) == (APPLICANT, APPLICANT[2:8])
    shown = (await desk.client.get(f"/api/v1/brands/{brand['id']}")).json()
    assert [owner["credit_code"] for owner in shown["owners"]] == [APPLICANT]
    listed = await desk.client.get("/api/v1/brands", params={"credit_code": APPLICANT})
    assert [b["id"] for b in listed.json()["items"]] == [brand["id"]]
    [registered] = await desk.events("qgov.brands.brand.registered.v1")
    assert (registered["subject"], registered["data"]["brand_id"]) == (APPLICANT, brand["id"])
    contracts.check(registered)


async def test_a_trademark_is_registered_once_and_a_brand_is_not_founded_in_the_future(
    desk: Desk,
):
    body = brand_body(trademark_number="88886666")
    first = await desk.client.post("/api/v1/brands", json=body, headers=desk.enterprise())
    assert first.status_code == 201, first.text

    again = await desk.client.post("/api/v1/brands", json=body, headers=desk.enterprise(OTHER))
    future = brand_body(trademark_number="77776666", founded_year=TODAY.year + 1)
    ahead = await desk.client.post("/api/v1/brands", json=future, headers=desk.enterprise())

    assert "is registered" in problem(again, 409)["detail"]
    assert pointers(problem(ahead, 422)) == ["#/founded_year"]
    assert await count(desk, Brand) == 1


async def test_a_brand_passes_to_another_enterprise_when_the_receiver_accepts(
    desk: Desk, contracts
):
    brand = await desk.brand(APPLICANT)
    asked = await desk.client.post(
        f"/api/v1/brands/{brand['id']}/transfers",
        json={"to_credit_code": OTHER, "to_name": "韶关市另一粮油公司"},
        headers=desk.enterprise(),
    )
    assert asked.status_code == 201, asked.text
    transfer = asked.json()
    acceptance = f"/api/v1/brands/transfers/{transfer['id']}/acceptance"

    by_owner = await desk.client.post(acceptance, headers=desk.enterprise(APPLICANT))
    by_stranger = await desk.client.post(acceptance, headers=desk.enterprise(credit_code(9)))
    problem(by_owner, 404)  # the owner asked; only the receiver answers
    problem(by_stranger, 404)
    incoming = await desk.client.get("/api/v1/brands/transfers", headers=desk.enterprise(OTHER))
    assert [t["id"] for t in incoming.json()["items"]] == [transfer["id"]]

    accepted = await desk.client.post(acceptance, headers=desk.enterprise(OTHER))

    assert accepted.json()["status"] == "accepted", accepted.text
    shown = (await desk.client.get(f"/api/v1/brands/{brand['id']}")).json()
    assert shown["credit_code"] == OTHER
    assert [o["credit_code"] for o in shown["owners"]] == [APPLICANT, OTHER]
    [moved] = await desk.events("qgov.brands.brand.transferred.v1")
    assert (moved["subject"], moved["data"]["from_credit_code"]) == (OTHER, APPLICANT)
    contracts.check(moved)
    problem(await desk.client.post(acceptance, headers=desk.enterprise(OTHER)), 409)


async def test_only_the_owner_offers_a_brand_and_one_offer_waits_at_a_time(desk: Desk):
    brand = await desk.brand(APPLICANT)
    path = f"/api/v1/brands/{brand['id']}/transfers"
    offer = {"to_credit_code": OTHER, "to_name": "另一公司"}

    not_owner = await desk.client.post(path, json=offer, headers=desk.enterprise(OTHER))
    to_itself = await desk.client.post(
        path, json={**offer, "to_credit_code": APPLICANT}, headers=desk.enterprise()
    )
    first = await desk.client.post(path, json=offer, headers=desk.enterprise())
    second = await desk.client.post(path, json=offer, headers=desk.enterprise())

    problem(not_owner, 403)
    assert pointers(problem(to_itself, 422)) == ["#/to_credit_code"]
    assert first.status_code == 201
    problem(second, 409)
    refused = await desk.client.post(
        f"/api/v1/brands/transfers/{first.json()['id']}/refusal", headers=desk.enterprise(OTHER)
    )
    assert refused.json()["status"] == "refused"
    assert (await desk.client.get(f"/api/v1/brands/{brand['id']}")).json()["credit_code"] == (
        APPLICANT
    )
    assert await count(desk, BrandTransfer) == 1
