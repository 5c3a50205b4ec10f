"""The regulators' overview as charts, and the live credit feed: a page of changes that works
without JavaScript, and the stream the page's script follows (the platform's Server-Sent
Events, passed on with the session's token, which the browser never holds)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response, StreamingResponse

from qgov_web import dashboard
from qgov_web.visits import VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
FeedCursor = Annotated[str, Query(pattern=r"^([0-9]{1,18})?$")]
# Enough to see where the enterprises are; a regulator of a province reads the rest by region.
MOST_REGIONS = 12


@router.get("/overview")
async def overview(visit: VisitDep) -> Response:
    signed_in(visit, regulator=True)
    platform, caller = visit.deps.platform, visit.caller
    whole = await platform.get("/api/v1/governance/overview", caller)
    regions = dashboard.largest_regions(whole, MOST_REGIONS)
    by_region = await asyncio.gather(
        *(platform.get("/api/v1/governance/overview", caller, {"region": r}) for r in regions)
    )
    charts = dashboard.charts(whole, dict(zip(regions, by_region, strict=True)), visit.t)
    series = [
        (dashboard.series_class(index), visit.t.label("category", category))
        for index, category in enumerate(dashboard.month_series(whole["complaints_by_month"]))
    ]
    return visit.deps.pages.render(
        visit, "overview.html", overview=whole, charts=charts, series=series
    )


@router.get("/feed")
async def feed(visit: VisitDep, after: FeedCursor = "") -> Response:
    signed_in(visit, regulator=True)
    size = visit.deps.settings.feed_page_size
    page = await visit.deps.platform.get(
        "/api/v1/feeds/credit", visit.caller, {"after": after, "limit": size}
    )
    last = page["items"][-1]["cursor"] if page["items"] else after
    return visit.deps.pages.render(visit, "feed.html", page=page, after=after, last=last)


@router.get("/feed/stream")
async def feed_stream(
    visit: VisitDep,
    after: FeedCursor = "",
    last_event_id: Annotated[str | None, Header(pattern=r"^[0-9]{1,18}$")] = None,
) -> StreamingResponse:
    signed_in(visit, regulator=True)
    path = "/api/v1/feeds/credit/stream" + (f"?after={after}" if after else "")
    held = contextlib.AsyncExitStack()
    chunks = await held.enter_async_context(
        visit.deps.platform.stream(path, visit.caller, last_event_id)
    )

    async def relay():
        try:
            async for chunk in chunks:
                yield chunk
        finally:
            await held.aclose()

    return StreamingResponse(
        relay(),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )
