"""Declaring: an enterprise publishes what a product executes, public at once; numbers are
stored in one canonical spelling; garbage is refused naming the field and what was expected;
a change is a new version, old versions stay readable and comparable; a withdrawal keeps the
declaration with its reason; another enterprise's declaration is as unknown as a missing one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qgov_shared.testing.problems import pointers, problem
from qgov_standards.models import Declaration, DeclarationVersion

from .conftest import CODE, DECLARATIONS, LEAD, OTHER_CODE, Registry, declaration_body, indicator


@pytest.mark.parametrize(
    ("typed", "stored", "kind"),
    [
        ("ＧＢ／Ｔ　１９５８０－２０１２", "GB/T 19580-2012", "recommended_national"),
        ("gb 2763—2021", "GB 2763-2021", "mandatory_national"),
        ("QB/T1234 – 2020", "QB/T 1234-2020", "industry"),
        ("db44/t 1234-2020", "DB44/T 1234-2020", "local"),
        ("T/CAS123-2021", "T/CAS 123-2021", "group"),
    ],
)
async def test_a_number_in_any_spelling_is_stored_in_its_canonical_form(
    registry: Registry, typed, stored, kind
):
    standards = [{"number": typed, "title": "某标准"}, *declaration_body()["standards"]]

    shown = await registry.declared(standards=standards)

    assert (shown["standards"][0]["number"], shown["standards"][0]["kind"]) == (stored, kind)
    assert (await registry.show(shown["id"]))["standards"][0]["number"] == stored


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("GB 2763-21", "four digits"),
        ("XX/T 1234-2020", "not an industry standard code"),
        ("DB99/T 1-2020", "not a province code"),
        ("食品安全国家标准", "expected a standard number such as GB 2763-2021"),
        ("GB 2763", "the year of the edition is missing"),
    ],
)
async def test_a_number_that_is_not_one_is_refused_saying_what_was_expected(
    registry: Registry, number, says
):
    standards = [{"number": number, "title": "某标准"}]

    body = problem(await registry.declare(standards=standards), 422)

    assert pointers(body) == ["#/standards/0/number"]
    assert says in body["errors"][0]["detail"]
    assert await _count(registry, Declaration) == 0


async def test_the_year_may_be_given_apart_but_not_against_the_number(registry: Registry):
    apart = await registry.declared(standards=[{"number": "GB 2763", "title": "t", "year": 2021}])
    assert apart["standards"][0]["number"] == "GB 2763-2021"

    against = [{"number": "GB 2763-2019", "title": "t", "year": 2021}]
    assert pointers(problem(await registry.declare(standards=against), 422)) == [
        "#/standards/0/year"
    ]
    wrong_kind = [{"number": "GB/T 19580-2012", "title": "t", "kind": "mandatory_national"}]
    assert pointers(problem(await registry.declare(standards=wrong_kind), 422)) == [
        "#/standards/0/kind"
    ]


async def test_an_enterprise_standard_must_disclose_its_indicators(registry: Registry):
    body = problem(await registry.declare(indicators=[]), 422)

    assert pointers(body) == ["#/indicators"]
    national_only = [{"number": "GB 19644-2010", "title": "乳粉"}]
    assert (await registry.declare(standards=national_only, indicators=[])).status_code == 201


@pytest.mark.parametrize(
    ("given", "pointer"),
    [
        ({"category": "spaceships"}, "#/category"),
        (
            {"indicators": [indicator(LEAD, "0.3"), indicator(" 铅（以 pb 计） ", "0.2")]},
            "#/indicators/1/name",
        ),
        ({"indicators": [indicator("pH值", "5", direction="range")]}, "#/indicators/0"),
        (
            {"indicators": [indicator("pH值", direction="range", minimum="8", maximum="4")]},
            "#/indicators/0",
        ),
    ],
)
async def test_content_the_rules_refuse_is_a_422_naming_the_field(
    registry: Registry, given, pointer
):
    assert pointers(problem(await registry.declare(**given), 422)) == [pointer]
    assert await _count(registry, Declaration) == 0


async def test_a_declaration_is_public_and_announced_at_once(registry: Registry):
    shown = await registry.declared()

    public = await registry.show(shown["id"])  # no token: anyone
    assert public["credit_code"] == CODE
    assert (public["status"], public["version"], public["region_code"]) == (
        "published",
        1,
        "440200",
    )
    assert public["indicators"][0]["text"] == "≤ 0.3 mg/kg"
    assert [item["id"] for item in await registry.listed(DECLARATIONS, credit_code=CODE)] == [
        shown["id"]
    ]
    [declared] = await registry.events("standard.declared")
    assert (declared["subject"], declared["data"]["declaration_id"]) == (CODE, shown["id"])
    assert declared["data"]["standards"] == ["Q/SGRP 0001S-2025", "GB 19644-2010"]


async def test_a_revision_is_a_new_version_and_the_old_one_stays_readable(registry: Registry):
    first = await registry.declared()
    changed = declaration_body(
        product_name="全脂乳粉（罐装）",
        indicators=[indicator(LEAD, "0.2"), indicator("菌落总数", "10000", unit="CFU/g")],
    )
    changed.pop("enterprise_name")

    response = await registry.revise(first["id"], {**changed, "note": "铅限量收紧"})

    assert response.status_code == 201, response.text
    assert response.json()["version"] == 2
    versions = await registry.listed(f"{DECLARATIONS}/{first['id']}/versions")
    assert [(v["version"], v["product_name"]) for v in versions] == [
        (1, "全脂乳粉"),
        (2, "全脂乳粉（罐装）"),
    ]
    old = await registry.client.get(f"{DECLARATIONS}/{first['id']}/versions/1")
    assert old.json()["indicators"][0]["value"] == "0.3"
    diff = await registry.client.get(
        f"{DECLARATIONS}/{first['id']}/diff", params={"from_version": 1, "to_version": 2}
    )
    changes = [(c["field"], c["key"]) for c in diff.json()["changes"]]
    assert changes == [
        ("product_name", None),
        ("indicators", LEAD),
        ("indicators", "蛋白质"),
        ("indicators", "菌落总数"),
    ]
    removed = next(c for c in diff.json()["changes"] if c["key"] == "蛋白质")
    assert removed["after"] is None
    [revised] = await registry.events("standard.revised")
    assert revised["data"]["version"] == 2


async def test_a_withdrawal_is_recorded_with_its_reason_never_deleted(registry: Registry):
    shown = await registry.declared()
    url = f"{DECLARATIONS}/{shown['id']}/withdrawal"

    response = await registry.client.post(
        url, json={"reason": "产品停产"}, headers=registry.enterprise()
    )

    assert response.status_code == 200, response.text
    public = await registry.show(shown["id"])
    assert (public["status"], public["withdrawal_reason"]) == ("withdrawn", "产品停产")
    again = await registry.client.post(url, json={"reason": "x"}, headers=registry.enterprise())
    problem(again, 409)
    revised = await registry.revise(shown["id"], _content())
    problem(revised, 409)
    [withdrawn] = await registry.events("standard.withdrawn")
    assert withdrawn["data"]["reason"] == "产品停产"


async def test_another_enterprises_declaration_is_not_found_and_nothing_changes(
    registry: Registry,
):
    shown = await registry.declared()
    before = await registry.events()
    other = registry.enterprise(OTHER_CODE)

    revised = await registry.client.post(
        f"{DECLARATIONS}/{shown['id']}/versions", json=_content(), headers=other
    )
    withdrawn = await registry.client.post(
        f"{DECLARATIONS}/{shown['id']}/withdrawal", json={"reason": "x"}, headers=other
    )

    problem(revised, 404)
    problem(withdrawn, 404)
    assert (await registry.show(shown["id"]))["version"] == 1
    assert await _count(registry, DeclarationVersion) == 1
    assert await registry.events() == before
    problem(await registry.client.post(DECLARATIONS, json=declaration_body()), 401)
    as_regulator = await registry.client.post(
        DECLARATIONS, json=declaration_body(), headers=registry.regulator
    )
    problem(as_regulator, 403)


def _content() -> dict:
    body = declaration_body()
    body.pop("enterprise_name")
    return body


async def _count(registry: Registry, table) -> int:
    async with registry.svc.runtime.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(table))
