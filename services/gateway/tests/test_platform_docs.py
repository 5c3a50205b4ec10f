"""The gateway serves one OpenAPI document for the whole platform: its own operations and every
operation it routes, fetched from the services; a service that is down is named, not fatal."""

from __future__ import annotations

import copy
import time

import httpx
from jsonschema import Draft202012Validator

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as complaints_app
from qgov_gateway.platform_docs import DOC_TTL_S, merge_openapi
from qgov_shared.devstack.embedded import free_port
from qgov_shared.http.openapi import PROBLEM_SCHEMAS
from qgov_shared.http.security import DOCS_CSP
from qgov_shared.testing.stack import TestStack, run_service

from .conftest import run_gateway

ROUTES = {"/api/v1/things": "things", "/api/v1/stuff": "stuff"}
BEARER = {"type": "http", "scheme": "bearer"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(schema: str | None = None, security: str | None = None) -> dict:
    operation: dict = {"tags": ["citizens"], "responses": {"200": {"description": "ok"}}}
    if schema:
        content = {"application/json": {"schema": _ref(schema)}}
        operation["responses"]["200"]["content"] = content
    if security:
        operation["security"] = [{security: []}]
    return operation


def _doc(paths: dict, schemas: dict | None = None, schemes: dict | None = None) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "description": "about it"},
        "paths": paths,
        "components": {"schemas": schemas or {}, "securitySchemes": schemes or {}},
    }


def _gateway_doc() -> dict:
    return _doc(
        {"/healthz": {"get": _operation()}, "/oauth/token": {"post": _operation("Token")}},
        schemas={"Token": {"type": "object"}, "Page": {"type": "object", "title": "gateway"}},
        schemes={"HTTPBearer": BEARER},
    )


def test_only_routed_paths_are_kept_and_each_operation_names_its_service() -> None:
    things = _doc(
        {
            "/healthz": {"get": _operation()},
            "/api/v1/things": {"get": _operation(), "parameters": []},
            "/api/v1/things/{id}": {"delete": _operation()},
            "/api/v1/stuff": {"get": _operation()},  # routed, but to another service
            "/internal/admin": {"post": _operation()},  # not routed at all
        }
    )
    merged = merge_openapi(_gateway_doc(), {"things": things}, ROUTES)

    assert set(merged["paths"]) == {
        "/healthz",
        "/oauth/token",
        "/api/v1/things",
        "/api/v1/things/{id}",
    }
    assert merged["paths"]["/healthz"]["get"]["tags"] == ["gateway"]  # the gateway's own wins
    assert merged["paths"]["/api/v1/things"]["get"]["tags"] == ["things"]
    assert merged["paths"]["/api/v1/things"]["parameters"] == []  # not an operation
    assert merged["paths"]["/api/v1/things/{id}"]["delete"]["tags"] == ["things"]
    assert merged["tags"] == [
        {"name": "gateway", "description": "about it"},
        {"name": "things", "description": "about it"},
    ]


def test_identical_schemas_merge_under_one_name() -> None:
    things = _doc(
        {"/api/v1/things": {"post": _operation("Token")}},
        schemas={"Token": {"type": "object"}},
        schemes={"HTTPBearer": BEARER},
    )
    merged = merge_openapi(_gateway_doc(), {"things": things}, ROUTES)

    assert set(merged["components"]["schemas"]) == {"Token", "Page", *PROBLEM_SCHEMAS}
    assert merged["components"]["securitySchemes"] == {"HTTPBearer": BEARER}
    schema = merged["paths"]["/api/v1/things"]["post"]["responses"]["200"]["content"]
    assert schema["application/json"]["schema"] == _ref("Token")


def test_different_schemas_with_one_name_are_renamed_and_references_follow() -> None:
    things_page = {"type": "object", "title": "things"}
    # The same text as the gateway's `Listing`, but its `Page` is another: a clash too.
    listing = {"type": "object", "properties": {"page": _ref("Page")}}
    gateway = _gateway_doc()
    gateway["components"]["schemas"]["Listing"] = copy.deepcopy(listing)
    things = _doc(
        {"/api/v1/things": {"get": _operation("Listing"), "post": _operation("Page")}},
        schemas={"Page": things_page, "Listing": copy.deepcopy(listing)},
    )
    stuff = _doc(
        {"/api/v1/stuff": {"get": _operation("Page")}},
        schemas={"Page": {"type": "array", "title": "stuff"}},
    )
    merged = merge_openapi(gateway, {"things": things, "stuff": stuff}, ROUTES)

    schemas = merged["components"]["schemas"]
    assert schemas["Page"]["title"] == "gateway"
    assert schemas["ThingsPage"] == things_page
    assert schemas["StuffPage"]["title"] == "stuff"
    assert schemas["Listing"]["properties"]["page"] == _ref("Page")
    assert schemas["ThingsListing"]["properties"]["page"] == _ref("ThingsPage")
    things_ops = merged["paths"]["/api/v1/things"]
    assert _response_schema(things_ops["get"]) == _ref("ThingsListing")
    assert _response_schema(things_ops["post"]) == _ref("ThingsPage")
    assert _response_schema(merged["paths"]["/api/v1/stuff"]["get"]) == _ref("StuffPage")
    assert _dangling_refs(merged) == set()


def test_routed_operations_document_what_the_gateway_itself_refuses() -> None:
    one_thing = {"get": _operation(), "parameters": [{"name": "id", "in": "path"}]}
    things = _doc(
        {
            "/api/v1/things": {"get": _operation(), "post": _operation()},
            "/api/v1/things/{id}": one_thing,
        }
    )
    merged = merge_openapi(_gateway_doc(), {"things": things}, ROUTES)

    routed = merged["paths"]["/api/v1/things"]
    # A refused token, the service unavailable or answering more than the gateway passes on;
    # for writes, the anonymous write limit too; with a path parameter, one holding a control
    # character.
    assert list(routed["get"]["responses"]) == ["200", "401", "502", "503"]
    assert list(routed["post"]["responses"]) == ["200", "401", "429", "502", "503"]
    one = merged["paths"]["/api/v1/things/{id}"]["get"]
    assert list(one["responses"]) == ["200", "400", "401", "502", "503"]
    assert _dangling_refs(merged) == set()


def test_schemas_only_unrouted_paths_use_are_left_out() -> None:
    things = _doc(
        {
            "/api/v1/things": {"get": _operation("Thing")},
            "/internal/admin": {"get": _operation("Secret")},
        },
        schemas={
            "Thing": {"type": "object", "properties": {"part": _ref("Part")}},
            "Part": {"type": "string"},
            "Secret": {"type": "object"},
        },
    )
    merged = merge_openapi(_gateway_doc(), {"things": things}, ROUTES)

    assert set(merged["components"]["schemas"]) == {
        "Token",
        "Page",
        "Thing",
        "Part",
        *PROBLEM_SCHEMAS,
    }


def test_a_different_security_scheme_with_a_taken_name_is_renamed() -> None:
    api_key = {"type": "apiKey", "in": "header", "name": "X-Key"}
    things = _doc(
        {"/api/v1/things": {"get": _operation(security="HTTPBearer")}},
        schemes={"HTTPBearer": api_key},
    )
    merged = merge_openapi(_gateway_doc(), {"things": things}, ROUTES)

    assert merged["components"]["securitySchemes"] == {
        "HTTPBearer": BEARER,
        "ThingsHTTPBearer": api_key,
    }
    assert merged["paths"]["/api/v1/things"]["get"]["security"] == [{"ThingsHTTPBearer": []}]


def test_the_inputs_are_left_unchanged() -> None:
    gateway = _gateway_doc()
    things = _doc(
        {"/api/v1/things": {"get": _operation("Page")}}, schemas={"Page": {"type": "string"}}
    )
    before = copy.deepcopy((gateway, things))
    merge_openapi(gateway, {"things": things}, ROUTES)
    assert (gateway, things) == before


async def test_the_gateway_serves_the_platform_document_while_credit_is_down(
    stack: TestStack,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    async with (
        run_service(
            stack, COMPLAINTS, complaints_app, ComplaintsSettings, run_consumers=False
        ) as complaints,
        run_gateway(stack, upstream_urls={"credit": closed}) as gateway,
    ):
        upstreams = gateway.app.state.dependencies.upstreams
        upstreams.clients["complaints"] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=complaints.app), base_url="http://complaints"
        )
        answer = await gateway.client.get("/openapi.json")
        assert answer.status_code == 200, answer.text
        document = answer.json()

        # Complaints goes down: within the minute its document is still the one fetched.
        upstreams.clients["complaints"] = httpx.AsyncClient(base_url=closed)
        cached = (await gateway.client.get("/openapi.json")).json()
        gateway.app.state.dependencies.service_docs.clock = lambda: time.monotonic() + DOC_TTL_S + 1
        expired = (await gateway.client.get("/openapi.json")).json()

        page = await gateway.client.get("/docs")
        assert (await gateway.client.get("/redoc")).status_code == 404  # FastAPI's own is off

    paths = document["paths"]
    assert {"/api/v1/complaints", "/open311/v2/requests.json", "/oauth/token"} <= set(paths)
    assert paths["/api/v1/complaints"]["post"]["tags"] == ["complaints"]
    assert paths["/oauth/token"]["post"]["tags"] == ["gateway"]
    assert not any(path.startswith("/api/v1/credit") for path in paths)
    assert document["x-qgov-unavailable"] == ["credit"]
    assert [tag["name"] for tag in document["tags"]] == ["gateway", "complaints"]
    _assert_valid_openapi_3(document)

    assert cached["paths"] == paths
    assert expired["x-qgov-unavailable"] == ["complaints", "credit"]
    assert "/api/v1/complaints" not in expired["paths"]

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in page.text
    assert "swagger-ui" in page.text
    assert page.headers["content-security-policy"] == DOCS_CSP


def _assert_valid_openapi_3(document: dict) -> None:
    # openapi-spec-validator is not a dependency; these are the checks a merge can break.
    assert document["openapi"].startswith("3.")
    assert {"title", "version"} <= set(document["info"])
    assert _dangling_refs(document) == set()
    schemes = document["components"]["securitySchemes"]
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["responses"]
            for requirement in operation.get("security", []):
                assert set(requirement) <= set(schemes)
    # OpenAPI 3.1 schemas are JSON Schema 2020-12.
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def _response_schema(operation: dict) -> dict:
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


def _dangling_refs(document: dict) -> set[str]:
    defined = {f"#/components/schemas/{name}" for name in document["components"]["schemas"]}
    return {ref for ref in _all_refs(document) if ref not in defined}


def _all_refs(value) -> list[str]:
    if isinstance(value, list):
        return [ref for item in value for ref in _all_refs(item)]
    if isinstance(value, dict):
        own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
        return own + [ref for item in value.values() for ref in _all_refs(item)]
    return []
