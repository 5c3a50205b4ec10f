"""What the API1 tests try, and how: every operation of the platform that takes an object's id
(a path parameter), as its committed documents declare it, is either tried by a test with
another tenant's object or declared public here with the reason; a new one fails the
inventory until it is one or the other.

An attempt calls the operation with the smallest body it takes (its required fields, each at
its lower bound, `VALUES` where the shape alone would be refused) as a caller who is not the
object's: a 404 (no such object, for this caller) or a 403 (an object the caller may read but
not change) is the only right answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS
from .openapi_operations import Operation, documents, operations

# Enterprises registered in 440200: the owner of every object tried, a stranger to it, and a
# third one where the stranger takes part (a brand transferred to it).
OWNER, INTRUDER, THIRD = credit_code(61), credit_code(62), credit_code(63)


def enterprise(code: str) -> dict[str, str]:
    return bearer(KEYS.mint("enterprise", sub=f"firm-{code}", credit_code=code))


ADMIN = bearer(KEYS.mint("admin", sub="api1-admin"))
REGULATOR = bearer(KEYS.mint("regulator", sub="api1-reg-440200", regions=["440200"]))
OTHER_REGULATOR = bearer(KEYS.mint("regulator", sub="api1-reg-440300", regions=["440300"]))
REVIEWER = bearer(KEYS.mint("reviewer", sub="api1-reviewer"))
# Every kind of caller that is not the owner's: another enterprise, another region's regulator,
# a reviewer assigned to nothing.
STRANGERS = {
    "enterprise": enterprise(INTRUDER),
    "regulator": OTHER_REGULATOR,
    "reviewer": REVIEWER,
}

# Readable by anyone by design, so no tenant owns reading them; or nobody's (national data).
PUBLIC = {
    "GET /api/v1/brands/{brand_id}": "the brand register is public",
    "GET /api/v1/brands/{brand_id}/awards": "the brand register is public",
    "GET /api/v1/awards/programmes/{code}": "programmes are published",
    "GET /api/v1/awards/granted/{award_id}": "awards granted are published",
    "POST /api/v1/awards/applications/{application_id}/objections": "anyone may object in the "
    "public notice period (the objector's token names who objects)",
    "GET /open311/v2/services/{service_code}.json": "Open311's catalogue is public",
    "GET /open311/v2/requests/{service_request_id}.json": "Open311 requests are public "
    "(GeoReport v2), without personal data",
    "GET /open311/v2/tokens/{token}.json": "the token is the filer's capability",
    "GET /api/v1/disclosure/enterprises/{credit_code}": "complaint statistics are disclosed",
    "GET /api/v1/credit/public/{credit_code}": "the public credit summary",
    "GET /api/v1/enterprises/{credit_code}/profile": "the public enterprise profile",
    "GET /api/v1/inspections/campaigns/{campaign_id}": "campaigns are published",
    "GET /api/v1/inspections/campaigns/{campaign_id}/draw": "the draw is published",
    "GET /api/v1/inspections/campaigns/{campaign_id}/inspections": "the draw is published",
    "GET /api/v1/inspections/campaigns/{campaign_id}/draw/candidates": "the draw is published",
    "GET /api/v1/standards/declarations/{declaration_id}": "declarations are public (企业标准"
    "自我声明公开)",
    "GET /api/v1/standards/declarations/{declaration_id}/versions": "declarations are public",
    "GET /api/v1/standards/declarations/{declaration_id}/versions/{version}": "public",
    "GET /api/v1/standards/declarations/{declaration_id}/diff": "declarations are public",
    "GET /api/v1/standards/declarations/{declaration_id}/flags": "declarations are public",
    "GET /api/v1/standards/declarations/{declaration_id}/checks": "checks are published",
    "GET /api/v1/standards/declarations/{declaration_id}/ranking": "rankings are published",
    "GET /api/v1/standards/catalogue/{standard_id}": "the national catalogue",
    "PUT /api/v1/standards/catalogue/{standard_id}/limits": "the national catalogue, any "
    "regulator's to keep (API5 proves the role)",
    "POST /api/v1/standards/catalogue/{standard_id}/withdrawal": "the national catalogue",
    "GET /api/v1/standards/plans/{category}": "ranking plans are published",
    "PUT /api/v1/standards/plans/{category}": "national ranking plans (API5 proves the role)",
    "GET /api/v1/standards/rankings/{category}": "rankings are published",
    "GET /api/v1/standards/rankings/{category}/entries": "rankings are published",
    "GET /trace/{trace_code}": "the consumer's trace page",
    "GET /01/{gtin}/10/{lot}": "the GS1 Digital Link resolver",
    "GET /01/{gtin}/21/{serial}": "the GS1 Digital Link resolver",
}
# Searches, which find nothing of others' rather than refuse.
SEARCHES = frozenset({"GET /epcis/epcs/{epc}/events"})
# Tried with complaints alone by `test_api1_object_level_authorization`.
COMPLAINTS_BY_ID = frozenset(
    str(op).rsplit(" (", 1)[0]
    for op in operations()
    if op.service == "complaints" and "{submission_id}" in op.path
)


def by_id() -> dict[str, Operation]:
    """Every operation that takes an object's id, by `METHOD /path`."""
    return {f"{op.method.upper()} {op.path}": op for op in operations() if "{" in op.path}


def example(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """The smallest value `schema` takes: its required fields, each at its lower bound."""
    if ref := schema.get("$ref"):
        return example(schemas[ref.rsplit("/", 1)[-1]], schemas)
    if options := schema.get("anyOf") or schema.get("oneOf"):
        typed = [o for o in options if o.get("type") != "null"]
        return example(typed[0], schemas)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], schemas) for name in schema.get("required", [])}
    if kind in ("integer", "number"):
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [example(schema["items"], schemas) for _ in range(schema.get("minItems", 0))]
    if schema.get("format") == "date":
        return "2026-01-06"
    if schema.get("format") == "date-time":
        return "2026-01-06T09:00:00+08:00"
    return "x" * max(schema.get("minLength", 1), 1)


SCHEMAS = {
    service: document.get("components", {}).get("schemas", {}) for service, document in documents()
}


def body(operation: Operation, values: dict[str, Any]) -> Any:
    """The smallest JSON body `operation` takes, with `values` for the fields they name."""
    media = operation.document.get("requestBody", {}).get("content", {}).get("application/json")
    if media is None:
        return None
    made = example(media["schema"], SCHEMAS[operation.service])
    if isinstance(made, dict):
        made.update({name: value for name, value in values.items() if name in made})
    return made


async def attempt(
    client: httpx.AsyncClient,
    keys: list[str],
    ids: dict[str, str],
    callers: dict[str, dict[str, str]],
    values: dict[str, Any] | None = None,
    hidden: tuple[str, ...] = (),
) -> list[str]:
    """Each operation of `keys` on the objects `ids` (path parameter → value) as each caller
    of `callers` (role → headers) it admits (every one, if it names no roles); the attempts
    answered anything but 404 or 403, described. A search (`SEARCHES`) may answer 200 with
    nothing of the owner's: none of `hidden`."""
    wrongly = []
    for key in keys:
        operation = by_id()[key]
        path = operation.path
        for name, value in ids.items():
            path = path.replace(f"{{{name}}}", value)
        assert "{" not in path, f"{key}: no id given for {path}"
        for role, headers in callers.items():
            if operation.roles and role not in operation.roles:
                continue
            answer = await client.request(
                operation.method, path, json=body(operation, values or {}), headers=headers
            )
            unseen = key in SEARCHES and not any(value in answer.text for value in hidden)
            if answer.status_code not in (403, 404) and not (answer.status_code == 200 and unseen):
                wrongly.append(f"{key} as {role}: {answer.status_code} {answer.text[:200]}")
    return wrongly


async def created(client: httpx.AsyncClient, path: str, body: Any, headers: dict) -> Any:
    answer = await client.post(path, json=body, headers=headers)
    assert answer.status_code in (200, 201, 202), f"{path}: {answer.text}"
    return answer.json()


async def read(client: httpx.AsyncClient, path: str, headers: dict) -> Any:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 200, f"{path}: {answer.text}"
    return answer.json()


async def unchanged_after(client, reads: list[str], headers: dict, attempts) -> None:
    """Run `attempts`; fail on what they got wrong, or if any read as the owner changed."""
    before = [await read(client, path, headers) for path in reads]
    wrongly = await attempts
    after = [await read(client, path, headers) for path in reads]
    if wrongly:
        pytest.fail("\n".join(wrongly), pytrace=False)
    assert after == before
