"""Regulators open files and record an enterprise's name, supervising region and industry —
within their own regions; the industry decides how long a penalty's publicity lasts."""

from __future__ import annotations

from datetime import timedelta

from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import problem

from .conftest import TODAY, Office

SHAOGUAN = credit_code(1)
SHENZHEN = credit_code(1, region_code="440300")


async def test_a_regulator_opens_a_file_with_its_name_and_industry(office: Office):
    response = await office.client.put(
        f"/api/v1/credit/enterprises/{SHAOGUAN}",
        json={"name": "韶关某食品有限公司", "industry": "food"},
        headers=office.regulator,
    )
    assert response.status_code == 200, response.text
    opened = response.json()
    assert (opened["name"], opened["region_code"], opened["industry"]) == (
        "韶关某食品有限公司",
        SHAOGUAN[2:8],
        "food",
    )
    assert (opened["score"], opened["grade"], opened["listed"]) == (100, "A", False)


async def test_a_regulator_records_another_supervising_region_within_its_own(office: Office):
    await office.entered(SHAOGUAN, "inspection_passed")
    moved = await office.client.put(
        f"/api/v1/credit/enterprises/{SHAOGUAN}",
        json={"name": "韶关某电器商行", "region_code": "440203"},
        headers=office.regulator,
    )
    assert moved.json()["region_code"] == "440203"

    elsewhere = await office.client.put(
        f"/api/v1/credit/enterprises/{SHAOGUAN}",
        json={"name": "韶关某电器商行", "region_code": "440303"},
        headers=office.regulator,
    )
    assert problem(elsewhere, 422)["errors"][0]["pointer"] == "#/region_code"
    assert (await office.file_ok(SHAOGUAN))["region_code"] == "440203"


async def test_another_regions_file_cannot_be_opened_or_changed(office: Office):
    problem(
        await office.client.put(
            f"/api/v1/credit/enterprises/{SHENZHEN}",
            json={"name": "深圳某公司"},
            headers=office.regulator,
        ),
        422,
    )
    await office.entered(SHENZHEN, "penalty", as_=office.other_regulator)
    problem(
        await office.client.put(
            f"/api/v1/credit/enterprises/{SHENZHEN}",
            json={"name": "改名"},
            headers=office.regulator,
        ),
        404,
    )
    enterprise_token = office.enterprise(SHAOGUAN)
    problem(
        await office.client.put(
            f"/api/v1/credit/enterprises/{SHAOGUAN}",
            json={"name": "自己改名"},
            headers=enterprise_token,
        ),
        403,
    )


async def test_a_food_enterprise_waits_a_year_to_end_a_penaltys_publicity(office: Office):
    await office.client.put(
        f"/api/v1/credit/enterprises/{SHAOGUAN}",
        json={"name": "韶关某食品有限公司", "industry": "food"},
        headers=office.regulator,
    )
    penalty = await office.entered(SHAOGUAN, "penalty")
    office.clock.today(TODAY + timedelta(days=200))  # past 180 days, short of 365
    body = {
        "target": "penalty_publicity",
        "record_id": penalty["id"],
        "pledge": "承诺守法经营",
        "correction": "已完成整改",
    }
    refused = await office.client.post(
        f"/api/v1/credit/enterprises/{SHAOGUAN}/repairs",
        json=body,
        headers=office.enterprise(SHAOGUAN),
    )
    assert "from " + (TODAY + timedelta(days=365)).isoformat() in problem(refused, 422)["detail"]
