"""Frontrunner rankings on the real stack: a category's plan, versioned; the ranking of its
published declarations recomputed when a declaration or the plan changes, published with the
plan's version; each declaration's place explained; frontrunner titles announced when they
change, and only then."""

from __future__ import annotations

from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import TestStack, wait_for

from .conftest import DECLARATIONS, LEAD, Registry, declaration_body, indicator, open_registry

PLANS = "/api/v1/standards/plans/milk_powder"
RANKING = "/api/v1/standards/rankings/milk_powder"
PROTEIN = "蛋白质"


def plan_body(**changes) -> dict:
    body = {
        "indicators": [
            {"name": PROTEIN, "unit": "g/100g", "direction": "higher_better", "weight": "2"},
            {"name": LEAD, "unit": "mg/kg", "direction": "lower_better", "weight": "1"},
        ],
        "top_n": 1,
        "tie_breaks": ["earliest_published"],
        "missing": "exclude",
    }
    return {**body, **changes}


def milk(protein: str | None, lead: str | None, serial: int) -> dict:
    indicators = []
    if protein is not None:
        indicators.append(indicator(PROTEIN, protein, unit="g/100g", direction="higher_better"))
    if lead is not None:
        indicators.append(indicator(LEAD, lead))
    return declaration_body(enterprise_name=f"乳企{serial}", indicators=indicators)


async def _set_plan(registry: Registry, **changes) -> dict:
    response = await registry.client.put(
        PLANS, json=plan_body(**changes), headers=registry.regulator
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_plan_is_versioned_and_checked(registry: Registry):
    first = await _set_plan(registry)
    second = await _set_plan(registry, top_n=None, top_percent="10")

    assert (first["version"], second["version"]) == (1, 2)
    assert (await registry.client.get(PLANS)).json()["top_percent"] == "10"
    assert (await registry.client.get(PLANS, params={"version": 1})).json()["top_n"] == 1
    for changes, pointer in (
        ({"top_n": None}, "#/top_n"),
        ({"top_percent": "5"}, "#/top_n"),
        ({"tie_breaks": ["indicator:镉"]}, "#/tie_breaks/0"),
    ):
        response = await registry.client.put(
            PLANS, json=plan_body(**changes), headers=registry.regulator
        )
        assert pointers(problem(response, 422)) == [pointer]
    unknown = await registry.client.put(
        "/api/v1/standards/plans/spaceships", json=plan_body(), headers=registry.regulator
    )
    assert pointers(problem(unknown, 422)) == ["#/category"]
    problem(await registry.client.put(PLANS, json=plan_body(), headers=registry.enterprise()), 403)


async def test_the_category_is_ranked_by_its_plan_and_each_place_explained(registry: Registry):
    await _set_plan(registry)
    best = await registry.declared(milk("25", "0.1", 1), code=credit_code(11))
    second = await registry.declared(milk("20", "0.2", 2), code=credit_code(12))
    registry.clock.advance(minutes=1)
    tied = await registry.declared(milk("20", "0.2", 3), code=credit_code(13))
    lacking = await registry.declared(milk("30", None, 4), code=credit_code(14))

    assert await registry.rank() == 1
    assert await registry.rank() == 0  # nothing changed since

    ranking = (await registry.client.get(RANKING)).json()
    assert (ranking["number"], ranking["plan_version"], ranking["ranked"], ranking["excluded"]) == (
        1,
        1,
        3,
        1,
    )
    assert [f["declaration_id"] for f in ranking["frontrunners"]] == [best["id"]]
    entries = await registry.listed(f"{RANKING}/entries")
    assert [(e["declaration_id"], e["rank"]) for e in entries] == [
        (best["id"], 1),
        (second["id"], 2),  # earlier published: the tie-break
        (tied["id"], 3),
        (lacking["id"], None),
    ]
    why = (await registry.client.get(f"{DECLARATIONS}/{second['id']}/ranking")).json()
    assert (why["rank"], why["frontrunner"], why["frontrunner_ranks"], why["score"]) == (
        2,
        False,
        1,
        "0.0000",  # the worst of the ranked on both: the one lacking lead is not ranked
    )
    assert [(p["indicator"], p["value"], p["normalised"]) for p in why["parts"]] == [
        (PROTEIN, "20.0000", "0.0000"),
        (LEAD, "0.2000", "0.0000"),
    ]
    excluded = (await registry.client.get(f"{DECLARATIONS}/{lacking['id']}/ranking")).json()
    assert (excluded["rank"], excluded["excluded_for"]) == (None, [LEAD])
    [named] = await registry.events("standard.frontrunners_published")
    assert (named["subject"], named["data"]["rank"], named["data"]["newly_named"]) == (
        best["credit_code"],
        1,
        True,
    )
    assert (named["data"]["ranking"], named["data"]["plan_version"]) == (1, 1)


async def test_a_change_reranks_and_announces_only_titles_that_changed(registry: Registry):
    await _set_plan(registry)
    leader = await registry.declared(milk("25", "0.1", 1), code=credit_code(21))
    await registry.declared(milk("20", "0.2", 2), code=credit_code(22))
    await registry.rank()
    challenger = await registry.declared(milk("30", "0.05", 3), code=credit_code(23))
    await registry.rank()

    third = await registry.declared(milk("10", "0.5", 4), code=credit_code(24))
    await registry.rank()  # a newcomer at the bottom changes no title
    withdrawn = await registry.client.post(
        f"{DECLARATIONS}/{challenger['id']}/withdrawal",
        json={"reason": "停产"},
        headers=registry.enterprise(credit_code(23)),
    )
    assert withdrawn.status_code == 200
    await registry.rank()

    titles = [
        (e["data"]["ranking"], e["data"]["declaration_id"], e["data"]["frontrunner"])
        for e in await registry.events("standard.frontrunners_published")
    ]
    assert titles == [
        (1, leader["id"], True),
        (2, challenger["id"], True),
        (2, leader["id"], False),
        (4, leader["id"], True),
    ]
    ranking = (await registry.client.get(RANKING)).json()
    assert ranking["number"] == 4
    assert third["id"] not in [f["declaration_id"] for f in ranking["frontrunners"]]


async def test_a_new_plan_version_reranks_the_category(registry: Registry):
    await _set_plan(registry)
    await registry.declared(milk("25", "0.3", 1), code=credit_code(31))
    clean = await registry.declared(milk("20", "0.05", 2), code=credit_code(32))
    await registry.rank()

    lead_first = plan_body()
    lead_first["indicators"][1]["weight"] = "10"
    response = await registry.client.put(PLANS, json=lead_first, headers=registry.regulator)
    assert response.status_code == 201
    assert await registry.rank() == 1

    ranking = (await registry.client.get(RANKING)).json()
    assert (ranking["plan_version"], ranking["frontrunners"][0]["declaration_id"]) == (
        2,
        clean["id"],
    )


async def test_the_ranker_runs_by_itself(stack: TestStack, clock: TestClock):
    async with open_registry(
        stack, clock, run_periodic_work=True, ranking_interval_s=0.05
    ) as registry:
        await _set_plan(registry)
        declared = await registry.declared(milk("25", "0.1", 1))

        async def ranked() -> bool:
            response = await registry.client.get(f"{DECLARATIONS}/{declared['id']}/ranking")
            return response.status_code == 200 and response.json()["frontrunner"]

        await wait_for(ranked, within=20, what="the ranker to name the frontrunner")
