"""OWASP API1:2023, broken object level authorization: every complaints operation that takes
a submission's id, called with the id of a complaint that is not the caller's (another
region's regulator, another enterprise) with a body it would otherwise take, is a 404, as if
there were no such complaint, and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .filings import (
    ENTERPRISE,
    OTHER,
    OTHER_REGULATOR,
    REGULATOR,
    UNCOVERED,
    file,
    submission_id,
)
from .openapi_operations import documents, operations

BY_ID = [op for op in operations() if op.service == "complaints" and "{submission_id}" in op.path]


def _example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """The smallest value `schema` takes: its required fields, each at its lower bound."""
    if ref := schema.get("$ref"):
        return _example(schemas[ref.rsplit("/", 1)[-1]], schemas)
    if options := schema.get("anyOf") or schema.get("oneOf"):
        typed = [o for o in options if o.get("type") != "null"]
        return _example(typed[0], schemas)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(properties[name], schemas) for name in schema.get("required", [])}
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_example(schema["items"], schemas) for _ in range(schema.get("minItems", 0))]
    if schema.get("format") == "date":
        return "2026-01-06"
    return "x" * max(schema.get("minLength", 1), 1)


SCHEMAS = dict(documents())["complaints"]["components"]["schemas"]
# Text whose shape the schema does not say (a region code's is checked by the service).
VALUES = {"region_code": UNCOVERED}


def _body(operation) -> Any:
    media = operation.document.get("requestBody", {}).get("content", {}).get("application/json")
    if media is None:
        return None
    body = _example(media["schema"], SCHEMAS)
    return {**body, **{name: value for name, value in VALUES.items() if name in body}}


def test_the_complaints_operations_by_id_are_all_found() -> None:
    assert len(BY_ID) >= 12


async def _call_each(
    client: httpx.AsyncClient, found: int, regulator: dict, enterprise: dict
) -> dict[str, httpx.Response]:
    """Every operation by id on complaint `found`, as `regulator` where regulators act and
    `enterprise` where enterprises do, with the body it takes; the answers by operation."""
    answers = {}
    for operation in BY_ID:
        answers[str(operation)] = await client.request(
            operation.method,
            operation.path.replace("{submission_id}", str(found)),
            json=_body(operation),
            headers=regulator if "regulator" in operation.roles else enterprise,
        )
    return answers


def _listed(answers: dict[str, httpx.Response], statuses: set[int]) -> list[str]:
    return [
        f"{operation}: {answer.status_code} {answer.text[:200]}"
        for operation, answer in answers.items()
        if answer.status_code in statuses
    ]


async def test_no_caller_reaches_a_complaint_that_is_not_theirs(complaints) -> None:
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        found = await submission_id(client, (await file(client))["tracking_number"])
        before = (await client.get(f"/api/v1/submissions/{found}", headers=REGULATOR)).json()
        answers = await _call_each(client, found, OTHER_REGULATOR, OTHER)
        after = (await client.get(f"/api/v1/submissions/{found}", headers=REGULATOR)).json()
        own = await client.get(f"/api/v1/enterprise/complaints/{found}", headers=ENTERPRISE)
    wrongly = _listed(answers, set(range(100, 600)) - {404})
    if wrongly:
        pytest.fail("\n".join(wrongly), pytrace=False)
    assert after == before
    assert own.status_code == 200


async def test_the_example_bodies_are_taken_by_the_complaints_own_callers(complaints) -> None:
    """The bodies sent above are ones the operations accept, so the 404s are the lookups'."""
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        found = await submission_id(client, (await file(client))["tracking_number"])
        answers = await _call_each(client, found, REGULATOR, ENTERPRISE)
    assert _listed(answers, {401, 403, 404, 422}) == []
