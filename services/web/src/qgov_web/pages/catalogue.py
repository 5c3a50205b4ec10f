"""The public registers other services keep: standards search and frontrunner rankings (the
standards service), award holders (brands), and a trace code's page (traceability: where the
QR code on a product leads, through the gateway's redirect of `/trace/{code}`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from qgov_web.pages.common import segment
from qgov_web.platform import ApiProblem
from qgov_web.visits import Visit, VisitDep

router = APIRouter(prefix="/pages", include_in_schema=False)
Words = Annotated[str, Query(max_length=100)]
Cursor = Annotated[str, Query(max_length=500)]
Programme = Annotated[str, Query(max_length=60, pattern=r"^[a-z0-9_]*$")]
LONGEST_TRACE_CODE = 64


@router.get("/standards")
async def standards(visit: VisitDep, q: Words = "", cursor: Cursor = "") -> Response:
    platform, caller = visit.deps.platform, visit.caller
    words = q.strip()
    categories = await platform.get("/api/v1/standards/categories", caller)
    hits = None
    if words:
        hits = await platform.get(
            "/api/v1/standards/search", caller, {"q": words, "cursor": cursor}
        )
    return visit.deps.pages.render(
        visit, "standards.html", query=words, hits=hits, categories=categories["categories"]
    )


@router.get("/standards/rankings/{category}")
async def ranking(category: str, visit: VisitDep) -> Response:
    try:
        shown = await visit.deps.platform.get(
            f"/api/v1/standards/rankings/{segment(category[:40])}", visit.caller
        )
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        return _nothing(visit, "standards.no_ranking")
    return visit.deps.pages.render(visit, "ranking.html", ranking=shown)


@router.get("/awards")
async def award_holders(
    visit: VisitDep, programme: Programme = "", cursor: Cursor = ""
) -> Response:
    platform, caller = visit.deps.platform, visit.caller
    programmes = await platform.get("/api/v1/awards/programmes", caller)
    codes = [shown["code"] for shown in programmes]
    chosen = programme if programme in codes else (codes[0] if codes else "")
    holders = None
    if chosen:
        holders = await platform.get(
            "/api/v1/awards/holders", caller, {"programme": chosen, "cursor": cursor}
        )
    return visit.deps.pages.render(
        visit, "awards.html", programmes=programmes, chosen=chosen, holders=holders
    )


@router.get("/trace")
async def trace_lookup(visit: VisitDep, code: Words = "") -> Response:
    code = code.strip()
    if code:
        return visit.deps.pages.redirect(visit, f"/pages/trace/{segment(code)}")
    return visit.deps.pages.render(visit, "trace_lookup.html", code="", error="")


@router.get("/trace/{code}")
async def trace(code: str, visit: VisitDep) -> Response:
    try:
        found = await visit.deps.platform.get(
            f"/trace/{segment(code[:LONGEST_TRACE_CODE])}", visit.caller
        )
    except ApiProblem as problem:
        if problem.status not in (404, 422):
            raise
        error = visit.t("trace.not_found")
        pages = visit.deps.pages
        return pages.render(visit, "trace_lookup.html", status_code=404, code=code, error=error)
    return visit.deps.pages.render(visit, "trace.html", trace=found)


def _nothing(visit: Visit, key: str) -> Response:
    return visit.deps.pages.render(visit, "error.html", status_code=404, message=visit.t(key))
