"""Inputs at and past what the tables hold are refused by name, never a database error: ids
beyond BIGINT, the range between INTEGER and BIGINT that the id columns do hold, and text
with the NUL character, which PostgreSQL cannot store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from qgov_shared.ids import BIGINT_LIMIT
from qgov_shared.testing.problems import pointers, problem

from .conftest import Desk, complaint_body

BEYOND_INTEGER = 2**31  # a BIGINT id the tables hold, which an INTEGER bind could not


@pytest.mark.parametrize("path", ["/api/v1/submissions/{}", "/api/v1/enterprise/complaints/{}"])
async def test_an_id_beyond_bigint_is_refused_naming_it(desk: Desk, path: str) -> None:
    headers = desk.enterprise if "enterprise" in path else desk.regulator
    response = await desk.client.get(path.format(BIGINT_LIMIT), headers=headers)
    assert problem(response, 422)["errors"][0]["parameter"] == "submission_id"


async def test_an_id_beyond_integer_is_looked_up_as_the_bigint_it_is(desk: Desk) -> None:
    assert (await desk.act(BEYOND_INTEGER, "close")).status_code == 404
    shown = await desk.client.get(f"/api/v1/submissions/{BEYOND_INTEGER}", headers=desk.regulator)
    problem(shown, 404)


async def test_nul_in_a_complaint_is_refused_naming_each_field(desk: Desk) -> None:
    body = complaint_body(facts="电饭煲\x00无法加热")
    body["respondent"]["name"] = "韶关\x00某电器"
    response = await desk.client.post("/api/v1/complaints", json=body)
    assert pointers(problem(response, 422)) == ["#/respondent/name", "#/facts"]
    assert await desk.submissions() == 0


async def test_nul_in_a_body_sent_in_chunks_is_refused_too(desk: Desk) -> None:
    """No Content-Length, so only Transfer-Encoding says a body follows: it is read all the
    same (the check skips only requests that declare no body)."""
    text = json.dumps(complaint_body(facts="电饭煲\x00无法加热")).encode()

    async def chunks() -> AsyncIterator[bytes]:
        yield text[:100]
        yield text[100:]

    headers = {"Content-Type": "application/json"}
    response = await desk.client.post("/api/v1/complaints", content=chunks(), headers=headers)
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert pointers(problem(response, 422)) == ["#/facts"]
    assert await desk.submissions() == 0


async def test_nul_in_a_path_a_query_or_a_form_is_refused_naming_it(desk: Desk) -> None:
    by_path = await desk.client.get("/open311/v2/requests/T%00.json")
    by_query = await desk.client.get("/open311/v2/requests.json?service_request_id=T%00")
    by_form = await desk.client.post(
        "/open311/v2/requests.json",
        content=b"service_code=electronics&description=%00",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    named = [problem(answer, 422)["errors"] for answer in (by_path, by_query, by_form)]
    assert [(error["in"], error["parameter"]) for [error] in named] == [
        ("path", "service_request_id"),
        ("query", "service_request_id"),
        ("form", "description"),
    ]
