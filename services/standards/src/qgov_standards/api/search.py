"""The public search over published declarations: by product name, enterprise name, credit
code or standard number, in any spelling; Chinese from one character up."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from qgov_shared.app import SessionDep
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.http.problems import ProblemException
from qgov_standards import views
from qgov_standards.api import PREFIX
from qgov_standards.dependencies import ContextDep
from qgov_standards.queries.search import search
from qgov_standards.schemas.rankings import SearchHit
from qgov_standards.search import query_terms

router = APIRouter(prefix=PREFIX, tags=["search"])


@router.get("/search", response_model=Page[SearchHit])
async def find(
    q: Annotated[str, Query(min_length=1, max_length=100, description="words, a number, a code")],
    session: SessionDep,
    page: PageRequestDep,
    ctx: ContextDep,
) -> Page[SearchHit]:
    """Published declarations matching every word of `q`: best matches first (in the product's
    name, then the enterprise's, then anywhere), closer names first."""
    terms = query_terms(q, ctx.policy.industry_codes)
    if not terms:
        detail = "nothing to search for: give Chinese characters, letters or digits"
        raise ProblemException(
            422, detail, errors=[{"parameter": "q", "in": "query", "detail": detail}]
        )
    rows, cursor = await search(session, terms, page)
    return Page(items=[views.hit(row) for row in rows], next_cursor=cursor)
