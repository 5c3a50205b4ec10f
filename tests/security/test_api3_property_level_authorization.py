"""OWASP API3:2023, broken object property level authorization: no caller sets a field the
platform sets (mass assignment: every request body the documents declare refuses unknown
fields), and no caller reads a field beyond its role (an enterprise sees its complainant's
personal data masked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from qgov_shared.testing.problems import pointers, problem

from .filings import ENTERPRISE, PERSONAL, REGULATOR, complaint, file, submission_id
from .openapi_operations import documents

# Bodies that take fields beyond their own on purpose, and why.
OPEN_BY_DESIGN = {
    # RFC 6749 §3.2: the token endpoint ignores parameters it does not know.
    ("gateway", "Body_token_oauth_token_post"),
}


def _open_objects(schema: Any, schemas: dict[str, Any], seen: set[str]) -> Iterator[str]:
    """The object schemas reachable from `schema` that allow properties they do not name."""
    if isinstance(schema, list):
        for item in schema:
            yield from _open_objects(item, schemas, seen)
        return
    if not isinstance(schema, dict):
        return
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    if name and name not in seen:
        seen.add(name)
        target = schemas[name]
        if "properties" in target and target.get("additionalProperties") is not False:
            yield name
        yield from _open_objects(target, schemas, seen)
    for subschema in schema.get("properties", {}).values():
        yield from _open_objects(subschema, schemas, seen)
    for key in ("items", "anyOf", "oneOf", "allOf"):
        yield from _open_objects(schema.get(key), schemas, seen)


def test_every_declared_body_refuses_fields_it_does_not_name() -> None:
    found = set()
    for service, document in documents():
        schemas = document.get("components", {}).get("schemas", {})
        seen: set[str] = set()
        for item in document["paths"].values():
            for operation in item.values():
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    found |= {(service, n) for n in _open_objects(media["schema"], schemas, seen)}
    assert found - OPEN_BY_DESIGN == set()


async def test_fields_the_platform_sets_cannot_be_filed(complaints) -> None:
    _, url = complaints
    body = complaint(status="closed", tracking_number="12315-X", handling_region_code="110000")
    body["respondent"]["suspended"] = True
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.post("/api/v1/complaints", json=body)
        listed = await client.get("/api/v1/submissions", headers=REGULATOR)
    assert sorted(pointers(problem(answer, 422))) == sorted(
        ["#/status", "#/tracking_number", "#/handling_region_code", "#/respondent/suspended"]
    )
    assert listed.json()["items"] == []


async def test_an_enterprise_cannot_set_fields_of_its_answer_beyond_its_own(complaints) -> None:
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        receipt = await file(client)
        found = await submission_id(client, receipt["tracking_number"])
        answer = await client.post(
            f"/api/v1/enterprise/complaints/{found}/responses",
            json={"kind": "answer", "text": "已退款", "status": "closed", "at": "2020-01-01"},
            headers=ENTERPRISE,
        )
        shown = await client.get(f"/api/v1/enterprise/complaints/{found}", headers=ENTERPRISE)
    assert sorted(pointers(problem(answer, 422))) == ["#/at", "#/status"]
    assert shown.json()["responses"] == []
    assert shown.json()["status"] != "closed"


async def test_an_enterprise_reads_its_complainant_masked(complaints) -> None:
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        receipt = await file(client)
        found = await submission_id(client, receipt["tracking_number"])
        as_regulator = await client.get(f"/api/v1/submissions/{found}", headers=REGULATOR)
        as_enterprise = await client.get(
            f"/api/v1/enterprise/complaints/{found}", headers=ENTERPRISE
        )
    assert as_enterprise.status_code == 200, as_enterprise.text
    assert as_enterprise.json()["personal_data_masked"] is True
    assert [value for value in PERSONAL if value in as_enterprise.text] == []
    assert as_regulator.json()["person"]["phone"] != as_enterprise.json()["person"]["phone"]
