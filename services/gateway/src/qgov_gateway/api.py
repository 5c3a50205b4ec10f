"""The gateway's own HTTP API: the unified quality-governance view and the regulators' credit
feed, both read from the gateway's read model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import Response, StreamingResponse

from qgov_gateway import feed, queries, search
from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_gateway.schemas import (
    EnterpriseHits,
    FeedPage,
    Grade,
    Overview,
    Profile,
    SourceStatus,
)
from qgov_shared.app import ClockDep, RuntimeDep, SessionDep
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.http.pagination import PageRequestDep
from qgov_shared.http.problems import ProblemException
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr

router = APIRouter(prefix="/api/v1")
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
CursorStr = Annotated[str, Query(pattern=r"^[0-9]{1,18}$", description="a feed item's `cursor`")]
MAX_FEED_LIMIT = 1000


# Routes are tried in order, and the profile is the platform's busiest read: it comes first.
@router.get("/enterprises/{credit_code}/profile", response_model=Profile, tags=["view"])
async def profile(
    credit_code: CreditCodeStr, principal: CurrentPrincipal, deps: GatewayDependenciesDep
) -> Response:
    """Everything the platform knows of one enterprise, in one call. The public sees public
    counts and records; the enterprise itself and regulators of its region see everything."""
    # The stored document was validated as a Profile when it was written: sent as it is.
    async with deps.read_pool.connection() as connection:
        body = await queries.profile(connection, credit_code, principal)
    return Response(body, media_type="application/json")


@router.get("/status/sources", response_model=list[SourceStatus], tags=["status"])
async def sources(session: SessionDep) -> list[SourceStatus]:
    """Per event source, the newest event the gateway's read model has taken in."""
    return [SourceStatus.model_validate(row) for row in await queries.source_statuses(session)]


SearchWords = Annotated[
    str,
    Query(
        min_length=search.SHORTEST_QUERY,
        max_length=search.LONGEST_QUERY,
        pattern=r"\S",
        description="part of the name, or the start of the credit code",
    ),
]


@router.get("/enterprises/search", response_model=EnterpriseHits, tags=["view"])
async def find_enterprises(
    q: SearchWords, session: SessionDep, page: PageRequestDep
) -> EnterpriseHits:
    """Enterprises whose name holds `q` (any case) or whose credit code starts with it, by
    name: what anyone may see of each (its name, region and grade)."""
    items, next_cursor = await search.enterprises(session, q.strip(), page)
    return EnterpriseHits.model_validate({"items": items, "next_cursor": next_cursor})


@router.get("/governance/overview", response_model=Overview, tags=["view"])
async def overview(
    principal: Regulator,
    session: SessionDep,
    clock: ClockDep,
    region: Annotated[RegionCodeStr | None, Query(description="default: all yours")] = None,
):
    """Counts by region, grade and complaint category; overdue complaints; open recalls; the
    enterprises whose score fell most in the last 30 days."""
    scopes = scopes_of(principal, [region] if region else [])
    return {"regions": list(scopes), **await queries.overview(session, scopes, clock())}


GradeFilter = Annotated[list[Grade] | None, Query(description="only changes to these grades")]
RegionFilter = Annotated[
    RegionCodeStr | None, Query(description="only this region (default: all yours)")
]


async def feed_filter(
    principal: Regulator, region: RegionFilter = None, grade: GradeFilter = None
) -> feed.FeedFilter:
    regions = scopes_of(principal, [region] if region else [])
    return feed.FeedFilter(regions=regions, grades=tuple(grade or ()))


FeedFilterDep = Annotated[feed.FeedFilter, Depends(feed_filter)]


@router.get("/feeds/credit", response_model=FeedPage, tags=["feed"])
async def credit_feed(
    feed_filter: FeedFilterDep,
    deps: GatewayDependenciesDep,
    after: CursorStr | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_FEED_LIMIT)] = 100,
) -> Response:
    """Every credit change in your regions, oldest first, in a total order that never changes:
    read on from `next_cursor` and nothing is skipped or repeated, while changes keep coming."""
    async with deps.read_pool.connection() as connection:
        items = await queries.feed_page(connection, feed_filter, int(after or 0), limit)
    page = FeedPage(items=items, next_cursor=items[-1].cursor if items else after)
    # Built from validated items: serialized once, not validated again on the way out.
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/feeds/credit/stream",
    tags=["feed"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def credit_feed_stream(
    runtime: RuntimeDep,
    deps: GatewayDependenciesDep,
    feed_filter: FeedFilterDep,
    after: CursorStr | None = None,
    last_event_id: Annotated[str | None, Header(pattern=r"^[0-9]{1,18}$")] = None,
) -> StreamingResponse:
    """The credit feed as Server-Sent Events (`event: credit.changed`, `id:` the cursor). A
    reconnecting client sends `Last-Event-ID` and resumes where it stopped."""
    stream = feed.event_stream(
        queries.feed_reader(deps.read_pool, feed_filter),
        int(last_event_id or after or 0),
        deps.stream_timing,
        runtime.stop,
    )
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def scopes_of(principal: Principal, regions: Sequence[str]) -> tuple[str, ...]:
    """The regions a regulator reads: those asked for, if all are theirs, else all theirs. An
    admin's are everything (no regions)."""
    for region in regions:
        if not principal.covers_region(region):
            raise ProblemException(
                403,
                f"Region {region} is outside your regions.",
                errors=[{"parameter": "region", "detail": "not one of your regions"}],
            )
    return tuple(regions) or principal.regions
