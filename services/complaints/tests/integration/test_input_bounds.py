"""Inputs at and past what the tables hold are refused by name, never a database error: ids
beyond BIGINT, and the range between INTEGER and BIGINT that the id columns do hold."""

from __future__ import annotations

import pytest

from qgov_shared.ids import BIGINT_LIMIT
from qgov_shared.testing.problems import problem

from .conftest import Desk

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
