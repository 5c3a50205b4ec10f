"""Never below the floor: a declared indicator worse than a mandatory limit in force for the
same indicator (directions respected, units converted where a factor is known) refuses the
declaration naming every failing indicator; citing a withdrawn standard refuses it naming the
replacement; what only a day to come breaks is accepted, and flagged at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qgov_shared.testing.problems import pointers, problem
from qgov_standards.floor import FlagReason

from .conftest import (
    LEAD,
    TODAY,
    Registry,
    declaration_body,
    indicator,
    limit,
    standard_body,
)

PH = "pH值"


@pytest.fixture
async def floor(registry: Registry) -> Registry:
    """A catalogue with a mandatory standard in force limiting lead (≤ 0.5 mg/kg), protein
    (≥ 16.5 g/100g) and pH (4.0 to 7.5) in milk powder."""
    await registry.add_standard(
        standard_body(
            "GB 2762-2022",
            limit(LEAD, "0.5"),
            limit("蛋白质", "16.5", unit="g/100g", direction="higher_better"),
            limit(PH, None, unit="pH", direction="range", minimum="4.0", maximum="7.5"),
            limit(LEAD, "0.2", categories=("rice",)),
        )
    )
    return registry


@pytest.mark.parametrize(
    "declared",
    [
        indicator(LEAD, "0.5"),  # exactly the limit
        indicator(LEAD, "500", unit="μg/kg"),  # 0.5 mg/kg
        indicator(LEAD, "0.0004", unit="g/kg"),  # 0.4 mg/kg
        indicator(" 铅(以 pb 计) ", "0.1", unit="PPM"),  # the same name and unit, typed otherwise
        indicator(LEAD, direction="range", minimum="0", maximum="0.3"),
        indicator("蛋白质", "17", unit="g/100g", direction="higher_better"),
        indicator(PH, unit="pH", direction="range", minimum="5", maximum="7"),
        indicator("镉（以Cd计）", "9"),  # no limit on it for milk powder
    ],
)
async def test_indicators_at_or_above_the_floor_are_accepted(floor: Registry, declared):
    shown = await floor.declared(indicators=[declared])

    assert shown["open_flags"] == []


@pytest.mark.parametrize(
    ("declared", "required"),
    [
        (indicator(LEAD, "0.6"), "≤ 0.5 mg/kg"),
        (indicator(LEAD, "600", unit="μg/kg"), "≤ 0.5 mg/kg"),
        (indicator(LEAD, "0.0006", unit="g/kg"), "≤ 0.5 mg/kg"),
        (indicator(LEAD, direction="range", minimum="0.1", maximum="0.7"), "≤ 0.5 mg/kg"),
        (indicator(LEAD, "0.1", direction="higher_better"), "≤ 0.5 mg/kg"),  # promises no top
        (indicator(LEAD, "0.1", unit="mg/L"), "≤ 0.5 mg/kg"),  # no factor to mg/kg
        (indicator("蛋白质", "16", unit="g/100g", direction="higher_better"), "≥ 16.5 g/100g"),
        (indicator("蛋白质", "20", unit="g/100g"), "≥ 16.5 g/100g"),  # "at most" guarantees nothing
        (indicator(PH, unit="pH", direction="range", minimum="3.5", maximum="7"), "4.0~7.5 pH"),
        (indicator(PH, unit="pH", direction="range", minimum="5", maximum="8"), "4.0~7.5 pH"),
    ],
)
async def test_an_indicator_worse_than_a_limit_in_force_is_refused_naming_it(
    floor: Registry, declared, required
):
    others = [indicator("菌落总数", "10000", unit="CFU/g")]

    body = problem(await floor.declare(indicators=[*others, declared]), 422)

    assert pointers(body) == ["#/indicators/1"]
    detail = body["errors"][0]["detail"]
    assert declared["name"] in detail
    assert f"GB 2762-2022 requires {required}" in detail
    assert await floor.events() == []


async def test_every_failing_indicator_is_named_at_once(floor: Registry):
    declared = [
        indicator(LEAD, "0.9"),
        indicator("菌落总数", "10000", unit="CFU/g"),
        indicator("蛋白质", "12", unit="g/100g", direction="higher_better"),
    ]

    body = problem(await floor.declare(indicators=declared), 422)

    assert pointers(body) == ["#/indicators/0", "#/indicators/2"]
    assert [LEAD in body["detail"], "蛋白质" in body["detail"]] == [True, True]


async def test_a_limit_applies_only_to_the_categories_it_names(floor: Registry):
    rice = declaration_body(category="rice", product_name="东北大米")
    rice["indicators"] = [indicator(LEAD, "0.3")]  # fine for milk powder, not for rice

    assert pointers(problem(await floor.declare(rice), 422)) == ["#/indicators/0"]
    rice["category"] = "vegetables"
    assert (await floor.declare(rice)).status_code == 201


async def test_citing_a_withdrawn_standard_is_refused_naming_its_replacement(floor: Registry):
    await floor.add_standard(
        standard_body(
            "GB 2762-2017",
            effective_on=(TODAY - timedelta(days=3000)).isoformat(),
            withdrawn_on=(TODAY - timedelta(days=30)).isoformat(),
            replaced_by="GB 2762—2022",
        )
    )
    standards = [*declaration_body()["standards"], {"number": "GB2762-2017", "title": "旧版"}]

    body = problem(await floor.declare(standards=standards), 422)

    assert pointers(body) == ["#/standards/2/number"]
    assert "GB 2762-2017 is withdrawn" in body["detail"]
    assert "cite GB 2762-2022 instead" in body["detail"]


async def test_a_limit_not_yet_in_force_accepts_the_declaration_and_flags_it(floor: Registry):
    takes_effect = TODAY + timedelta(days=90)
    await floor.add_standard(
        standard_body(
            "GB 19644-2026",
            limit("菌落总数", "50000", unit="CFU/g"),
            title="食品安全国家标准 乳粉和调制乳粉",
            effective_on=takes_effect.isoformat(),
        )
    )
    declared = [indicator(LEAD, "0.3"), indicator("菌落总数", "80", unit="CFU/kg")]  # 0.08/g
    assert (await floor.declared(indicators=declared))["open_flags"] == []

    shown = await floor.declared(indicators=[indicator("菌落总数", "60000", unit="CFU/g")])

    [flag] = shown["open_flags"]
    assert (flag["reason"], flag["standard_number"], flag["indicator"]) == (
        FlagReason.BELOW_MANDATORY_LIMIT,
        "GB 19644-2026",
        "菌落总数",
    )
    assert flag["effective_on"] == takes_effect.isoformat()
    assert (flag["required"], flag["declared"]) == ("≤ 50000 CFU/g", "≤ 60000 CFU/g")
    [event] = await floor.events("standard.flagged")
    assert (event["data"]["declaration_id"], event["data"]["flag_id"]) == (shown["id"], flag["id"])
