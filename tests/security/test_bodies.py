"""Bodies meant to hurt, sent over real HTTP to a public endpoint: each refused cleanly as a
problem, nothing stored, and the service answering others meanwhile."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from qgov_complaints.models import Submission
from qgov_shared.testing.problems import problem

FILE = "/api/v1/complaints"
JSON = {"Content-Type": "application/json"}


async def _submissions(service) -> int:
    async with service.runtime.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(Submission))


async def _healthy(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200


async def test_a_declared_oversized_body_is_refused_before_it_is_read(complaints) -> None:
    service, url = complaints
    limit = service.settings.max_body_bytes
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.post(FILE, content=b"x" * (limit + 1), headers=JSON)
        assert problem(answer, 413)["detail"] == f"The body is larger than {limit} bytes."
        await _healthy(client)
    assert await _submissions(service) == 0


async def test_a_chunked_body_growing_past_the_limit_is_refused(complaints) -> None:
    service, url = complaints
    limit = service.settings.max_body_bytes

    async def chunks():
        for _ in range(limit // 65_536 + 2):
            yield b" " * 65_536

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.post(FILE, content=chunks(), headers=JSON)
        problem(answer, 413)
        await _healthy(client)
    assert await _submissions(service) == 0


async def test_malformed_json_is_a_problem_naming_the_body(complaints) -> None:
    service, url = complaints
    bodies = [b"{", b'{"facts": "x",}', b"\xff\xfe{}", b"[1, 2", b'{"a": NaN}', b"null", b"42"]
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for body in bodies:
            answer = await client.post(FILE, content=body, headers=JSON)
            assert answer.status_code in (400, 422), (body, answer.status_code, answer.text)
            problem(answer, answer.status_code)
    assert await _submissions(service) == 0


async def test_deeply_nested_json_is_refused_without_a_recursion_error(complaints) -> None:
    service, url = complaints
    depth = 10_000
    nested = {
        "arrays": b"[" * depth + b"]" * depth,
        "objects": b'{"a":' * depth + b"1" + b"}" * depth,
        "in a field": b'{"facts": ' + b"[" * depth + b"]" * depth + b"}",
    }
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for shape, body in nested.items():
            answer = await client.post(FILE, content=body, headers=JSON)
            assert answer.status_code in (400, 413, 422), (shape, answer.status_code, answer.text)
            problem(answer, answer.status_code)
        await _healthy(client)
    assert await _submissions(service) == 0


async def _trickling_client(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A client that announces a 1 KB body and sends its first byte only."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST {FILE} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1024\r\n\r\n{".encode()
    )
    await writer.drain()
    return reader, writer


async def test_a_slow_client_is_timed_out_while_others_are_answered(complaints) -> None:
    """A byte every moment keeps the connection busy but the body never whole: refused once
    its time is up, the service answering others throughout."""
    service, url = complaints
    reader, writer = await _trickling_client(url)
    answered = 0
    try:
        status_line = asyncio.ensure_future(reader.readline())
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            async with asyncio.timeout(30):
                while not status_line.done():
                    writer.write(b" ")
                    await writer.drain()
                    await _healthy(client)
                    answered += 1
                    await asyncio.wait([status_line], timeout=0.1)
    finally:
        writer.close()
    assert status_line.result().startswith(b"HTTP/1.1 408"), status_line.result()
    assert answered > 1
    assert await _submissions(service) == 0


async def test_many_connections_at_once_are_all_answered(complaints) -> None:
    """Connections that say nothing, and many callers at once: each caller is answered."""
    _, url = complaints
    host, port = url.removeprefix("http://").split(":")
    silent = [await asyncio.open_connection(host, int(port)) for _ in range(200)]
    try:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
            answers = await asyncio.gather(
                *(client.get("/open311/v2/services.json") for _ in range(100)),
                *(client.post(FILE, content=b"{", headers=JSON) for _ in range(50)),
            )
    finally:
        for _, writer in silent:
            writer.close()
    statuses = sorted({answer.status_code for answer in answers})
    assert statuses == [200, 422], statuses
