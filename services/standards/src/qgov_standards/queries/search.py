"""The public search: published declarations holding every query term (`search.query_terms`),
through the GIN index on their terms; ranked by where the query matched (the product's name,
then the enterprise's, then anything else: a standard, a title), then by the shorter product
name (the closer match), then by id, which is also the page's cursor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_standards.models import Declaration
from qgov_standards.queries import PUBLISHED

MATCHED = ("product", "enterprise", "other")


def search_query(terms: list[str]) -> tuple[Any, list[Any]]:
    """The query and its key columns; the bench runs the same SQL bare."""
    wanted = list(terms)
    tier = case(
        (Declaration.product_terms.contains(wanted), 0),
        (Declaration.enterprise_terms.contains(wanted), 1),
        else_=2,
    ).label("tier")
    length = func.length(Declaration.product_name).label("name_length")
    query = select(
        Declaration.id,
        Declaration.credit_code,
        Declaration.enterprise_name,
        Declaration.product_name,
        Declaration.category,
        Declaration.standard_numbers,
        tier,
        length,
    ).where(PUBLISHED, Declaration.terms.contains(wanted))
    return query, [tier, length, Declaration.id]


async def search(
    session: AsyncSession, terms: list[str], page: PageRequest
) -> tuple[list[Any], str | None]:
    query, key = search_query(terms)
    return await keyset_page(session, query, key, page)
