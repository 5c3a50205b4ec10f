"""Search terms: what a declaration is found by, and what a query asks for (pure).

PostgreSQL has no Chinese word segmentation here, and a trigram index cannot serve a one- or
two-character query, while most Chinese words are two characters. So a declaration is indexed
by every single character and every pair of neighbouring characters (bigram) of its Chinese
text, by its Latin words and numbers, and by exact keys for its standards and its enterprise:

    "婴儿奶粉"        婴 儿 奶 粉 婴儿 儿奶 奶粉
    GB 2763-2021     std:GB 2763-2021  std:GB 2763  gb 2763 2021
    credit code      uscc:91440200MA0000001X

A query of one Chinese character asks for that character; a longer run asks for all its
bigrams. A query that is a standard number in any spelling, or a credit code, asks for its key.
The terms are stored as a text array under a GIN index; the query is array containment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from qgov_shared.uscc import is_valid_credit_code, parse_credit_code
from qgov_standards.numbers import InvalidStandardNumber, parse_standard_number

MAX_QUERY_TERMS = 32
"""More terms than this add nothing a user typed on purpose and cost the index lookups."""
_RUNS = re.compile(r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|(?P<word>[0-9a-z]+)")


@dataclass(frozen=True)
class DocumentTerms:
    """A declaration's terms: of its product name, of its enterprise, and all of them."""

    product: list[str]
    enterprise: list[str]
    every: list[str]


def document_terms(
    product_name: str,
    enterprise_name: str,
    credit_code: str,
    standards: Iterable[tuple[str, str, str]],  # (canonical number, base number, title)
) -> DocumentTerms:
    product = _unique(_text_terms(product_name, query=False))
    enterprise = _unique(_text_terms(enterprise_name, query=False))
    other = [f"uscc:{credit_code}"]
    for number, base, title in standards:
        other += [f"std:{number}", f"std:{base}"]
        other += _text_terms(number, query=False) + _text_terms(title, query=False)
    return DocumentTerms(product, enterprise, _unique(product + enterprise + other))


def query_terms(query: str, industry_codes: Collection[str]) -> list[str]:
    """The terms every match must hold; empty when the query has nothing searchable."""
    if is_valid_credit_code(query):
        return [f"uscc:{parse_credit_code(query).value}"]
    try:
        number = parse_standard_number(query, industry_codes)
    except InvalidStandardNumber:
        return _unique(_text_terms(query, query=True))[:MAX_QUERY_TERMS]
    return [f"std:{number.canonical}"]


def _text_terms(text: str, *, query: bool) -> list[str]:
    terms: list[str] = []
    for match in _RUNS.finditer(unicodedata.normalize("NFKC", text).casefold()):
        if word := match["word"]:
            terms.append(word)
            continue
        han = match["han"]
        bigrams = [han[i : i + 2] for i in range(len(han) - 1)]
        if query:
            terms += bigrams or [han]
        else:
            terms += [*han, *bigrams]
    return terms


def _unique(terms: list[str]) -> list[str]:
    return list(dict.fromkeys(terms))
