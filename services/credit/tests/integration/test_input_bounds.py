"""Inputs at and past what the tables hold are refused by name, never a database error: ids
beyond BIGINT, and the range between INTEGER and BIGINT that the id columns do hold."""

from __future__ import annotations

from qgov_shared.ids import BIGINT_LIMIT
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem

from .conftest import Office

BEYOND_INTEGER = 2**31  # a BIGINT id the tables hold, which an INTEGER bind could not
DECISION = {"approve": False, "reason": "材料不全"}


async def test_a_repair_application_id_beyond_bigint_is_refused_naming_it(office: Office):
    response = await office.client.post(
        f"/api/v1/credit/repairs/{BIGINT_LIMIT}/decision", json=DECISION, headers=office.admin
    )
    assert problem(response, 422)["errors"][0]["parameter"] == "application_id"


async def test_a_repair_application_id_beyond_integer_is_looked_up(office: Office):
    response = await office.client.post(
        f"/api/v1/credit/repairs/{BEYOND_INTEGER}/decision", json=DECISION, headers=office.admin
    )
    problem(response, 404)


async def test_a_penalty_named_beyond_bigint_is_refused_naming_it(office: Office):
    enterprise = credit_code(1)
    body = {
        "target": "penalty_publicity",
        "record_id": BIGINT_LIMIT,
        "pledge": "诚信经营承诺书",
        "correction": "整改报告",
    }
    response = await office.client.post(
        f"/api/v1/credit/enterprises/{enterprise}/repairs",
        json=body,
        headers=office.enterprise(enterprise),
    )
    assert pointers(problem(response, 422)) == ["#/record_id"]
