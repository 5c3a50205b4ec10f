"""Beyond the anchors: the catalogue regulators keep, and what its changes do to published
declarations — a withdrawal or a stricter limit flags every declaration it makes
non-compliant at once, with an event for the enterprise and the regulators; a looser limit or a
fixing version clears the flags; nothing else is touched."""

from __future__ import annotations

from datetime import timedelta

from qgov_shared.testing.problems import pointers, problem
from qgov_standards.floor import FlagReason

from .conftest import (
    CATALOGUE,
    DECLARATIONS,
    FAR_CODE,
    LAST_YEAR,
    LEAD,
    OTHER_CODE,
    TODAY,
    Registry,
    declaration_body,
    indicator,
    limit,
    standard_body,
)


async def test_the_catalogue_is_public_and_kept_by_regulators(registry: Registry):
    added = await registry.add_standard(
        standard_body("gb 2762-2022", limit(LEAD, "0.5"), title="食品中污染物限量")
    )
    upcoming = await registry.add_standard(
        standard_body("GB 2763-2026", effective_on=(TODAY + timedelta(days=10)).isoformat())
    )

    shown = added["standard"]
    assert (shown["number"], shown["base"], shown["status"], shown["mandatory"]) == (
        "GB 2762-2022",
        "GB 2762",
        "in_force",
        True,
    )
    assert shown["limits"][0]["text"] == "≤ 0.5 mg/kg"
    assert upcoming["standard"]["status"] == "upcoming"
    found = await registry.listed(CATALOGUE, number="ＧＢ２７６２")
    assert [item["number"] for item in found] == ["GB 2762-2022"]
    problem(await registry.client.post(CATALOGUE, json=standard_body("GB 1-2020")), 401)
    as_enterprise = await registry.client.post(
        CATALOGUE, json=standard_body("GB 1-2020"), headers=registry.enterprise()
    )
    problem(as_enterprise, 403)
    again = await registry.client.post(
        CATALOGUE, json=standard_body("GB 2762-2022"), headers=registry.regulator
    )
    problem(again, 409)


async def test_only_national_and_only_mandatory_standards_take_limits(registry: Registry):
    group = standard_body("T/CAS 1-2020")
    recommended = standard_body("GB/T 19580-2012", limit(LEAD, "1"))
    unknown_category = standard_body("GB 2762-2022", limit(LEAD, "1", categories=("x",)))

    for body, pointer in (
        (group, "#/number"),
        (recommended, "#/limits"),
        (unknown_category, "#/limits/0/categories/0"),
    ):
        response = await registry.client.post(CATALOGUE, json=body, headers=registry.regulator)
        assert pointers(problem(response, 422)) == [pointer]


async def test_a_withdrawal_flags_every_declaration_citing_it_at_once(registry: Registry):
    old = await registry.add_standard(standard_body("GB 19644-2010", title="乳粉"))
    citing = [await registry.declared(code=code) for code in (OTHER_CODE, FAR_CODE)]
    elsewhere = await registry.declared(
        standards=[{"number": "GB 19644-2024", "title": "乳粉"}], indicators=[]
    )

    response = await registry.client.post(
        f"{CATALOGUE}/{old['standard']['id']}/withdrawal",
        json={"withdrawn_on": TODAY.isoformat(), "replaced_by": "GB 19644-2024"},
        headers=registry.regulator,
    )

    assert response.status_code == 200, response.text
    assert response.json()["flagged"] == 2
    assert response.json()["standard"]["status"] == "withdrawn"
    for declaration in citing:
        [flag] = (await registry.show(declaration["id"]))["open_flags"]
        assert (flag["reason"], flag["replaced_by"]) == (
            FlagReason.STANDARD_WITHDRAWN,
            "GB 19644-2024",
        )
    assert (await registry.show(elsewhere["id"]))["open_flags"] == []
    events = await registry.events("standard.flagged")
    assert sorted(e["subject"] for e in events) == sorted([OTHER_CODE, FAR_CODE])
    assert {e["data"]["region_code"] for e in events} == {"440200", "440300"}
    # A declaration citing it now is refused; the flagged ones stand until they are revised.
    problem(await registry.declare(), 422)


async def test_a_stricter_limit_flags_those_it_leaves_below_and_a_fix_clears_it(
    registry: Registry,
):
    standard = await registry.add_standard(standard_body("GB 2762-2022", limit(LEAD, "0.5")))
    lax = await registry.declared(indicators=[indicator(LEAD, "0.3")])
    strict = await registry.declared(indicators=[indicator(LEAD, "0.05")], code=OTHER_CODE)
    rice = await registry.declared(
        category="rice", product_name="大米", indicators=[indicator(LEAD, "0.15")]
    )
    limits_url = f"{CATALOGUE}/{standard['standard']['id']}/limits"

    tightened = await registry.client.put(
        limits_url,
        json={"limits": [limit(LEAD, "0.1"), limit(LEAD, "0.2", categories=("rice",))]},
        headers=registry.regulator,
    )

    assert tightened.status_code == 200, tightened.text
    assert (tightened.json()["flagged"], tightened.json()["standard"]["limits_version"]) == (1, 2)
    [flag] = (await registry.show(lax["id"]))["open_flags"]
    assert (flag["indicator"], flag["required"], flag["declared"]) == (
        LEAD,
        "≤ 0.1 mg/kg",
        "≤ 0.3 mg/kg",
    )
    assert flag["effective_on"] == LAST_YEAR.isoformat()
    assert (await registry.show(strict["id"]))["open_flags"] == []
    assert (await registry.show(rice["id"]))["open_flags"] == []
    [event] = await registry.events("standard.flagged")
    assert event["data"]["declaration_id"] == lax["id"]
    assert event["data"]["required"] == "≤ 0.1 mg/kg"

    fixed = declaration_body(indicators=[indicator(LEAD, "0.08")])
    fixed.pop("enterprise_name")
    revised = await registry.revise(lax["id"], fixed)
    assert revised.json()["open_flags"] == []
    flags = await registry.listed(f"{DECLARATIONS}/{lax['id']}/flags")
    assert [f["cleared_at"] is not None for f in flags] == [True]
    summary = await registry.listed(DECLARATIONS, credit_code=lax["credit_code"])
    assert [item["open_flags"] for item in summary] == [0, 0]


async def test_a_looser_limit_clears_the_flags_it_no_longer_supports(registry: Registry):
    standard = await registry.add_standard(
        standard_body(
            "GB 2762-2027",
            limit(LEAD, "0.1"),
            effective_on=(TODAY + timedelta(days=30)).isoformat(),
        )
    )
    declared = await registry.declared(indicators=[indicator(LEAD, "0.3")])
    assert len(declared["open_flags"]) == 1

    loosened = await registry.client.put(
        f"{CATALOGUE}/{standard['standard']['id']}/limits",
        json={"limits": [limit(LEAD, "0.5")]},
        headers=registry.regulator,
    )

    assert loosened.json()["flagged"] == 0
    assert (await registry.show(declared["id"]))["open_flags"] == []
