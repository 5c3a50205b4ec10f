"""Public search over published declarations: Chinese from one character (单字) and two (双字),
enterprise names, credit codes and standard numbers in any spelling; best matches first, by
cursor to the end; withdrawn declarations are not found."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import problem
from qgov_standards.queries.search import search_query

from .conftest import DECLARATIONS, Registry, declaration_body

SEARCH = "/api/v1/standards/search"
MILK = credit_code(41)
RICE = credit_code(42)
TOYS = credit_code(43)


@pytest.fixture
async def found(registry: Registry) -> dict[str, int]:
    """Four declarations of three enterprises; their ids by a short name."""
    ids = {}
    for key, code, changes in (
        ("milk", MILK, {"product_name": "全脂奶粉", "enterprise_name": "韶关乳业有限公司"}),
        (
            "infant",
            MILK,
            {"product_name": "婴幼儿配方奶粉（1段）", "enterprise_name": "韶关乳业有限公司"},
        ),
        (
            "rice",
            RICE,
            {
                "product_name": "丝苗米",
                "enterprise_name": "曲江奶源粮油有限公司",  # 奶 in the name, not the product
                "category": "rice",
                "standards": [{"number": "GB/T 1354-2018", "title": "大米"}],
                "indicators": [],
            },
        ),
        (
            "toys",
            TOYS,
            {
                "product_name": "木制拼图",
                "enterprise_name": "乐昌童趣玩具厂",
                "category": "toys",
                "standards": [{"number": "GB 6675.1-2014", "title": "玩具安全 第1部分：基本规范"}],
                "indicators": [],
            },
        ),
    ):
        ids[key] = (await registry.declared(declaration_body(**changes), code=code))["id"]
    return ids


async def _hits(registry: Registry, q: str) -> list[int]:
    return [hit["declaration_id"] for hit in await registry.listed(SEARCH, q=q, limit=1)]


async def test_one_chinese_character_finds_every_declaration_holding_it(registry, found):
    assert await _hits(registry, "奶") == [found["milk"], found["infant"], found["rice"]]
    assert await _hits(registry, "米") == [found["rice"]]


async def test_two_characters_find_the_word_and_rank_the_closer_name_first(registry, found):
    assert await _hits(registry, "奶粉") == [found["milk"], found["infant"]]
    assert await _hits(registry, "配方奶粉") == [found["infant"]]
    assert await _hits(registry, "拼图") == [found["toys"]]
    assert await _hits(registry, "图拼") == []


async def test_the_product_name_outranks_the_enterprise_name(registry, found):
    hits = await registry.listed(SEARCH, q="奶")

    assert [hit["matched"] for hit in hits] == ["product", "product", "enterprise"]


async def test_enterprise_names_and_credit_codes_are_searchable(registry, found):
    assert await _hits(registry, "乳业") == [found["milk"], found["infant"]]
    assert await _hits(registry, f"  {TOYS.lower()} ") == [found["toys"]]


@pytest.mark.parametrize(
    "spelling", ["GB 6675.1-2014", "gb6675.1—2014", "ＧＢ　６６７５．１－２０１４", "GB 6675.1"]
)
async def test_a_standard_number_is_found_in_any_spelling(registry, found, spelling):
    assert await _hits(registry, spelling) == [found["toys"]]


async def test_the_title_of_a_cited_standard_is_searchable(registry, found):
    assert await _hits(registry, "大米") == [found["rice"]]
    assert await _hits(registry, "19644") == [found["milk"], found["infant"]]


async def test_withdrawn_declarations_are_not_found(registry, found):
    response = await registry.client.post(
        f"{DECLARATIONS}/{found['toys']}/withdrawal",
        json={"reason": "停产"},
        headers=registry.enterprise(TOYS),
    )
    assert response.status_code == 200

    assert await _hits(registry, "拼图") == []


async def test_a_query_with_nothing_searchable_is_refused(registry: Registry):
    body = problem(await registry.client.get(SEARCH, params={"q": "！？"}), 422)

    assert body["errors"][0]["parameter"] == "q"


async def test_the_terms_index_serves_a_search_under_a_generic_plan(registry, found):
    """After five runs PostgreSQL may plan a prepared statement once for any parameters; that
    plan must still reach the partial GIN index (published declarations only), which it
    cannot when the status is a parameter. Scans are disabled, so only the index is cheap."""
    query, key = search_query(["奶粉"])
    compiled = (
        query.order_by(*key)
        .limit(51)
        .compile(dialect=asyncpg_dialect(), compile_kwargs={"render_postcompile": True})
    )
    arguments = ", ".join(_literal(compiled.params[name]) for name in compiled.positiontup)
    async with registry.svc.runtime.unit_of_work() as uow:
        connection = await uow.connection()
        await connection.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        await connection.execute("SET LOCAL enable_seqscan = off")
        await connection.execute(f"PREPARE search_page AS {compiled}")
        plan = await connection.fetch(f"EXPLAIN EXECUTE search_page({arguments})")

    assert "ix_declarations_terms" in "\n".join(row[0] for row in plan)


def _literal(value: object) -> str:
    if isinstance(value, list):
        return "'{" + ",".join(value) + "}'"
    return f"'{value}'" if isinstance(value, str) else str(value)
