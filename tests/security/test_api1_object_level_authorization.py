"""OWASP API1:2023, broken object level authorization: every complaints operation that takes
a submission's id, called with the id of a complaint that is not the caller's (another
region's regulator, another enterprise) with a body it would otherwise take, is a 404, as if
there were no such complaint, and changes nothing. The other services' operations by id are
tried through the gateway by `test_api1_enterprises` and `test_api1_regions`; every operation
by id of the platform is tried by one of them, or declared public (`object_level.PUBLIC`)."""

from __future__ import annotations

import httpx
import pytest

from . import test_api1_enterprises, test_api1_regions
from .filings import (
    ENTERPRISE,
    OTHER,
    OTHER_REGULATOR,
    REGULATOR,
    UNCOVERED,
    file,
    submission_id,
)
from .object_level import COMPLAINTS_BY_ID, PUBLIC, body, by_id
from .openapi_operations import operations

BY_ID = [op for op in operations() if op.service == "complaints" and "{submission_id}" in op.path]
# Text whose shape the schema does not say (a region code's is checked by the service).
VALUES = {"region_code": UNCOVERED}
# Objects reached only at the end of a long procedure, each tried with another region's
# regulator by the service's own tests: where.
TRIED_BY_THE_SERVICE = {
    "POST /api/v1/awards/objections/{objection_id}/resolution": "services/brands/tests/"
    "integration/test_committee.py (an objection exists in an application's public notice)",
    "POST /api/v1/awards/granted/{award_id}/revocation": "services/brands/tests/integration/"
    "test_awards.py (an award exists once an application is granted)",
}
TRIED_HERE = (
    COMPLAINTS_BY_ID
    | set(test_api1_enterprises.DECLARATIONS)
    | set(test_api1_enterprises.BRANDS)
    | set(test_api1_enterprises.APPLICATIONS)
    | set(test_api1_enterprises.TRACEABILITY)
    | set(test_api1_regions.CREDIT)
    | set(test_api1_regions.GATEWAY)
    | set(test_api1_regions.INSPECTIONS)
    | set(test_api1_regions.LABORATORY)
    | set(test_api1_regions.TRACKING)
)


def test_every_operation_by_id_is_tried_with_another_tenants_object_or_is_public() -> None:
    """A new operation by id fails here until a test tries it or `PUBLIC` says why not."""
    declared = TRIED_HERE | set(PUBLIC) | set(TRIED_BY_THE_SERVICE)
    assert sorted(set(by_id()) - declared) == []
    assert sorted(declared - set(by_id())) == []  # no stale entry either


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
            json=body(operation, VALUES),
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
