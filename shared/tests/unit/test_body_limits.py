"""The body rules' size limits: one for every path, and a larger one under a prefix that
takes large documents, declared or streamed."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from qgov_shared.http.middleware import BodyRulesMiddleware
from qgov_shared.http.problems import install_problem_handlers


async def _echo_size(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(await request.body())})


def _client() -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/{path:path}", _echo_size, methods=["POST"])])
    install_problem_handlers(app)
    app.add_middleware(
        BodyRulesMiddleware,
        max_bytes=10,
        media_types={"": ("application/json",)},
        max_bytes_under={"/epcis/": 100},
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def _post(path: str, size: int, *, streamed: bool = False) -> httpx.Response:
    body = b"x" * size

    async def chunks():
        yield body

    async with _client() as client:
        return await client.post(
            path,
            content=chunks() if streamed else body,
            headers={"content-type": "application/json"},
        )


async def test_a_prefix_takes_bodies_up_to_its_own_limit() -> None:
    assert (await _post("/epcis/capture", 100)).json() == {"received": 100}
    assert (await _post("/epcis/capture", 100, streamed=True)).json() == {"received": 100}
    refused = await _post("/epcis/capture", 101)
    assert refused.status_code == 413
    assert "100 bytes" in refused.json()["detail"]
    assert (await _post("/epcis/capture", 101, streamed=True)).status_code == 413


async def test_every_other_path_keeps_the_default_limit() -> None:
    assert (await _post("/api/v1/things", 10)).json() == {"received": 10}
    for streamed in (False, True):
        refused = await _post("/api/v1/things", 11, streamed=streamed)
        assert refused.status_code == 413
    assert (await _post("/epcis", 11)).status_code == 413  # the prefix is "/epcis/"
