"""The public pages: the home page with the enterprise search, an enterprise's public page,
and the language switch."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from qgov_shared.uscc import InvalidCreditCode, parse_credit_code
from qgov_web import i18n
from qgov_web.pages.common import local_path
from qgov_web.platform import ApiProblem
from qgov_web.visits import VisitDep

router = APIRouter(include_in_schema=False)
SearchText = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
LONGEST_SEARCH = 50  # the gateway's bound on a search


@router.get("/")
async def home(visit: VisitDep) -> Response:
    return visit.deps.pages.render(visit, "home.html", query="", error="", hits=None)


@router.get("/enterprises")
async def search(visit: VisitDep, q: SearchText = "", cursor: Cursor = "") -> Response:
    """A whole credit code leads straight to its enterprise; anything else is looked for in
    the names and the starts of the codes, a page of hits at a time."""
    words = q.strip()
    pages = visit.deps.pages
    try:
        return pages.redirect(visit, f"/enterprises/{parse_credit_code(words).value}")
    except InvalidCreditCode:
        pass
    if not words or len(words) > LONGEST_SEARCH:
        error = visit.t("error.required" if not words else "search.too_long", limit=LONGEST_SEARCH)
        return pages.render(visit, "home.html", status_code=422, query=q, error=error, hits=None)
    hits = await visit.deps.platform.get(
        "/api/v1/enterprises/search", visit.caller, {"q": words, "cursor": cursor, "limit": 20}
    )
    return pages.render(visit, "home.html", query=words, error="", hits=hits)


@router.get("/enterprises/{credit_code}")
async def enterprise(credit_code: str, visit: VisitDep) -> Response:
    try:
        code = parse_credit_code(credit_code).value
    except InvalidCreditCode:
        return _not_found(visit)
    platform, caller = visit.deps.platform, visit.caller
    try:
        profile, disclosure = await asyncio.gather(
            platform.get(f"/api/v1/enterprises/{code}/profile", caller),
            platform.get(f"/api/v1/disclosure/enterprises/{code}", caller),
        )
    except ApiProblem as problem:
        if problem.status == 404:
            return _not_found(visit)
        raise
    return visit.deps.pages.render(visit, "enterprise.html", profile=profile, disclosure=disclosure)


def _not_found(visit) -> Response:
    return visit.deps.pages.render(
        visit, "error.html", status_code=404, message=visit.t("enterprise.not_found")
    )


@router.get("/pages/language/{language}")
async def switch_language(language: str, visit: VisitDep, next: str = "/") -> Response:
    response = visit.deps.pages.redirect(visit, local_path(next))
    visit.deps.pages.set_cookie(
        response, i18n.COOKIE, i18n.language_of(language), max_age=365 * 24 * 3600
    )
    return response
