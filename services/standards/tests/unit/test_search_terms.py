"""Search terms: Chinese is indexed by single characters and bigrams, so one- and two-character
queries find what they name; numbers and credit codes are found by exact keys in any spelling."""

from __future__ import annotations

import pytest

from qgov_shared.testing.codes import credit_code
from qgov_standards.policy import load_policy
from qgov_standards.search import MAX_QUERY_TERMS, document_terms, query_terms

CODES = load_policy().industry_codes
CODE = credit_code(7)


def terms(product: str = "婴儿配方奶粉", enterprise: str = "韶关乳业ABC有限公司"):
    return document_terms(
        product, enterprise, CODE, [("GB 10765-2021", "GB 10765", "食品安全国家标准 婴儿配方食品")]
    )


def test_chinese_text_is_indexed_by_its_characters_and_bigrams():
    indexed = terms("婴儿奶粉")

    assert indexed.product == ["婴", "儿", "奶", "粉", "婴儿", "儿奶", "奶粉"]


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("奶", ["奶"]),  # 单字
        ("奶粉", ["奶粉"]),  # 双字
        ("配方奶粉", ["配方", "方奶", "奶粉"]),
        ("  奶粉  配方 ", ["奶粉", "配方"]),
        ("ABC乳业", ["abc", "乳业"]),
        ("ＡＢＣ", ["abc"]),
        ("10765", ["10765"]),
    ],
)
def test_a_query_asks_for_terms_every_match_holds(query, wanted):
    asked = query_terms(query, CODES)

    assert asked == wanted
    assert set(asked) <= set(terms().every)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("GB 10765-2021", "std:GB 10765-2021"),
        ("gb10765—2021", "std:GB 10765-2021"),
        ("ＧＢ　１０７６５", "std:GB 10765"),
    ],
)
def test_a_standard_number_in_any_spelling_asks_for_its_key(query, key):
    assert query_terms(query, CODES) == [key]
    assert key in terms().every


def test_a_credit_code_asks_for_its_key():
    assert query_terms(CODE.lower(), CODES) == [f"uscc:{CODE}"]
    assert f"uscc:{CODE}" in terms().every


def test_the_enterprise_and_the_standards_are_indexed_apart_from_the_product():
    indexed = terms()

    assert "乳业" in indexed.enterprise
    assert "乳业" not in indexed.product
    assert {"配方", "食品", "gb", "10765", "2021"} <= set(indexed.every)


def test_punctuation_alone_asks_for_nothing_and_long_queries_are_capped():
    assert query_terms("！？ ——", CODES) == []
    assert len(query_terms("食" * 100, CODES)) == 1  # the same bigram, once
    assert len(query_terms("".join(chr(0x4E00 + i) for i in range(80)), CODES)) == MAX_QUERY_TERMS
