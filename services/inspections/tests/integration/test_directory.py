"""Who may be drawn: the directory is fed by the standards service's declarations (placing an
enterprise and its product until the declaration is withdrawn) and by the regulators' own list,
each regulator within their regions; grades come from credit's events, and an enterprise credit
has not graded counts as the policy's default grade (A)."""

from __future__ import annotations

from qgov_shared.envelope import new_event
from qgov_shared.testing.codes import credit_code

from .conftest import API, TODAY, Bureau, codes, grade_changed

DECLARED = "qgov.standards.standard.declared.v1"
WITHDRAWN = "qgov.standards.standard.withdrawn.v1"


def declaration(event_type: str, code: str, declaration_id: int, category: str = "toys"):
    """A standards event about `code`'s declaration, registered where its code says."""
    data = {
        "declaration_id": declaration_id,
        "version": 1,
        "enterprise_name": "韶关市玩具有限公司",
        "region_code": code[2:8],
        "product_name": "塑料积木",
        "category": category,
        "standards": ["GB 6675.1-2014"],
        "declared_on": TODAY.isoformat(),
        "reason": "停产",
        "withdrawn_on": TODAY.isoformat(),
    }
    return new_event(event_type, source="/qgov/standards", subject=code, data=data)


async def test_declarations_and_the_regulators_list_make_the_candidates(bureau: Bureau):
    declared, listed = credit_code(7, "440204"), codes(1)[0]
    elsewhere = credit_code(8, "440300")
    await bureau.apply(
        declaration(DECLARED, declared, 11),
        declaration(DECLARED, declared, 12, category="household_appliances"),
        declaration(DECLARED, elsewhere, 13),
        grade_changed(declared, "C"),
    )
    await bureau.list_in_directory([listed])
    entries = {
        e["credit_code"]: e
        for e in await bureau.listed("/directory", bureau.regulator, category="toys")
    }
    assert set(entries) == {declared, listed}
    assert (entries[declared]["grade"], entries[declared]["graded"]) == ("C", True)
    assert entries[declared]["region_code"] == "440204"
    assert entries[declared]["categories"] == ["household_appliances", "toys"]
    assert (entries[listed]["grade"], entries[listed]["graded"]) == ("A", False)

    await bureau.apply(declaration(WITHDRAWN, declared, 11))
    toys = {
        e["credit_code"]
        for e in await bureau.listed("/directory", bureau.regulator, category="toys")
    }
    assert toys == {listed}


async def test_a_regulator_lists_and_publishes_only_within_their_regions(bureau: Bureau):
    far = credit_code(9, "440300")
    entry = {"credit_code": far, "name": "深圳玩具厂", "categories": ["toys"]}
    response = await bureau.client.post(
        f"{API}/directory", json={"enterprises": [entry]}, headers=bureau.regulator
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/enterprises/0/region_code"
    unknown = {**entry, "credit_code": codes(1)[0], "categories": ["rockets"]}
    response = await bureau.client.post(
        f"{API}/directory", json={"enterprises": [unknown]}, headers=bureau.regulator
    )
    assert response.json()["errors"][0]["pointer"] == "#/enterprises/0/categories"
    labs = await bureau.laboratories()
    body = {
        "title": "抽查",
        "region_codes": ["440300"],
        "categories": ["toys"],
        "period_start": TODAY.isoformat(),
        "period_end": TODAY.isoformat(),
        "laboratory_ids": labs,
        "seed_hash": "0" * 64,
    }
    response = await bureau.client.post(f"{API}/campaigns", json=body, headers=bureau.regulator)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/region_codes/0"
    response = await bureau.client.post(
        f"{API}/campaigns",
        json={**body, "region_codes": ["440200"], "laboratory_ids": labs[:1]},
        headers=bureau.regulator,
    )
    assert response.json()["errors"][0]["pointer"] == "#/laboratory_ids"
    assert await bureau.listed("/directory", bureau.regulator) == []
    assert await bureau.events() == []
