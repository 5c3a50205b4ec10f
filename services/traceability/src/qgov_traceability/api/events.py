"""EPCIS queries: `GET /epcis/events` with the standard's parameters, one event by its ID, and
the events of one EPC. Answers are EPCISQueryDocuments of what the caller may see; a further
page is linked in the `Link` header (rel="next")."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from qgov_shared.app import SessionDep
from qgov_shared.errors import NotFound
from qgov_traceability.api.problems import (
    VERSION_HEADERS,
    bad_parameter,
    declared,
    epcis_problem,
    single_values,
)
from qgov_traceability.dependencies import ContextDep, Member, TraceabilityDependenciesDep
from qgov_traceability.epcis import query as epcis_query
from qgov_traceability.epcis.query import QueryParameterError, parse_query
from qgov_traceability.epcis.results import query_document
from qgov_traceability.queries import events
from qgov_traceability.queries.events import QueryTooLarge
from qgov_traceability.queries.scope import Scope

router = APIRouter(prefix="/epcis", tags=["epcis"])


class EventNotFound(NotFound):
    what = "event"


def _documented(name: str) -> dict[str, Any]:
    described = "1 to 100 values separated by |" if name.startswith(("EQ_", "MATCH_")) else ""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 2_000},
        "description": described,
    }


QUERY_DOCS: dict[str, Any] = {
    "parameters": [_documented(name) for name in sorted(epcis_query.PARAMETERS)],
}
QUERY_RESPONSES = {
    200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
    **declared(400, "QueryParameterException: an unknown parameter or a bad value"),
    **declared(413, "QueryTooLargeException: more events than maxEventCount"),
}
Params = Annotated[dict[str, str], Depends(single_values)]


@router.get("/events", openapi_extra=QUERY_DOCS, responses=QUERY_RESPONSES)
async def query_events(
    request: Request,
    params: Params,
    principal: Member,
    ctx: ContextDep,
    session: SessionDep,
    deps: TraceabilityDependenciesDep,
) -> JSONResponse:
    """Events matching the standard query parameters (EPCIS 2.0 §8.2.7.1), newest first."""
    return await answer(request, params, Scope.of(principal), ctx, session, deps)


async def answer(
    request: Request,
    params: dict[str, str],
    scope: Scope,
    ctx: Any,
    session: Any,
    deps: Any,
    *,
    query_name: str = "SimpleEventQuery",
) -> JSONResponse:
    """Run the parameters as a query and answer with the page and its Link to the next."""
    maximum = deps.settings.query_max_per_page
    try:
        query = parse_query(params, max_per_page=maximum)
        page = await events.event_page(session, query, scope, max_per_page=maximum)
    except QueryParameterError as error:
        raise bad_parameter(error) from None
    except QueryTooLarge as error:
        raise epcis_problem(413, "QueryTooLargeException", str(error)) from None
    document = query_document(page.events, page.contexts, ctx.now, query_name=query_name)
    headers = dict(VERSION_HEADERS)
    if page.next_page_token:
        following = request.url.include_query_params(nextPageToken=page.next_page_token)
        headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return JSONResponse(document, headers=headers, media_type="application/ld+json")


@router.get(
    "/events/{event_id:path}",
    responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}}},
)
async def event(
    event_id: Annotated[str, Path(min_length=1, max_length=512)],
    principal: Member,
    ctx: ContextDep,
    session: SessionDep,
) -> JSONResponse:
    """One event by its eventID (URL-encoded), as an EPCISQueryDocument of one."""
    found = await events.event_by_id(session, event_id, Scope.of(principal))
    if found is None:
        raise EventNotFound()
    document = query_document([found["event"]], [found["context"]], ctx.now)
    return JSONResponse(document, headers=VERSION_HEADERS, media_type="application/ld+json")


@router.get("/epcs/{epc:path}/events", openapi_extra=QUERY_DOCS, responses=QUERY_RESPONSES)
async def events_of_epc(
    epc: Annotated[str, Path(min_length=1, max_length=512)],
    request: Request,
    params: Params,
    principal: Member,
    ctx: ContextDep,
    session: SessionDep,
    deps: TraceabilityDependenciesDep,
) -> JSONResponse:
    """The events naming an EPC (an EPC URN or Digital Link) in any role, with the other
    query parameters as `GET /epcis/events` takes them."""
    if "MATCH_anyEPC" in params:
        raise bad_parameter(QueryParameterError("MATCH_anyEPC", "the path names the EPC"))
    return await answer(
        request, {**params, "MATCH_anyEPC": epc}, Scope.of(principal), ctx, session, deps
    )
