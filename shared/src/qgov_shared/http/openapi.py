"""The refusals of every operation, documented once for every service.

FastAPI documents a route's success, and a 422 in an error shape QGov never sends; QGov refuses
with RFC 9457 problem documents (`problems.py`). `install_problem_docs` makes an app's OpenAPI
document list, for each operation, the problem answers it can give, read from what the route
depends on and takes, so a new route is documented by the same rules:

- 422: it takes parameters or a body, which may be invalid; 400: its body may not parse;
- 413 and 415: the method carries a body, which may be too large or of a type not accepted;
- 503: any operation, when its database (or, for a token, the signing keys) is out of reach;
- 401: it reads the caller's token, which may be refused; 403: it admits only some roles,
  which `x-qgov-roles` lists;
- 429: it spends the caller's public rate limit;
- 400 and 409: it takes an Idempotency-Key, which may be malformed or reused for another body;
- 404: a path parameter names something that may not exist (or that the caller may not see);
- 409: a write may not be allowed in the current state.

What only a route knows (a form field naming something that does not exist) it declares with
FastAPI's `responses=`; an error response declared without content is a problem document too.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute

from qgov_shared.http.idempotency import idempotency_key
from qgov_shared.http.problems import PROBLEM_JSON
from qgov_shared.http.ratelimit import rate_limited

Doc = dict[str, Any]

PROBLEM_REF = "#/components/schemas/Problem"
ROLES_EXTENSION = "x-qgov-roles"
"""On an operation only some roles may use: those roles."""
PROBLEM_SCHEMAS: dict[str, Doc] = {
    "Problem": {
        "type": "object",
        "title": "Problem",
        "description": "An RFC 9457 problem document; extension members may follow.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "description": "about:blank when the status says it"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string", "description": "the path that was asked"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemError"}},
        },
    },
    "ProblemError": {
        "type": "object",
        "title": "ProblemError",
        "description": "One bad input: a body field by JSON pointer, or a parameter or header "
        "by name.",
        "required": ["detail"],
        "properties": {
            "pointer": {"type": "string", "description": "e.g. #/respondent/credit_code"},
            "parameter": {"type": "string"},
            "header": {"type": "string"},
            "in": {"type": "string", "enum": ["path", "query", "header", "cookie", "form"]},
            "detail": {"type": "string"},
        },
    },
}
# FastAPI's own validation error shapes, which no QGov answer has.
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")
_BODY_METHODS = frozenset({"post", "put", "patch"})
_WRITES = _BODY_METHODS | {"delete"}


def install_problem_docs(app: FastAPI) -> None:
    """Make `app.openapi()` document each operation's problem answers."""

    def openapi() -> Doc:
        if app.openapi_schema is None:
            document_problems(FastAPI.openapi(app), app.routes)
        return app.openapi_schema

    app.openapi = openapi


def document_problems(document: Doc, routes: Iterable[BaseRoute]) -> Doc:
    """Add to `document` (in place) the problem answers of each of `routes`' operations."""
    # Routes of included routers are reached through their contexts, as FastAPI's own
    # document builder reaches them.
    by_operation = {
        (route.path_format, method.lower()): route
        for route in iter_route_contexts(list(routes))
        if isinstance(route.original_route, APIRoute) and route.include_in_schema
        for method in route.methods
    }
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            route = by_operation.get((path, method))
            if route is not None:
                add_problem_responses(operation, problem_statuses(route, method, operation))
                if roles := admitted_roles(route):
                    operation[ROLES_EXTENSION] = roles
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERROR_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(PROBLEM_SCHEMAS)
    return document


def admitted_roles(route: RouteContext) -> list[str]:
    """The roles a route admits, when it admits only some (`require_roles`); else none."""
    admitted = (getattr(call, "admits", None) for call in _calls(route.dependant))
    return sorted({str(role) for roles in admitted if roles for role in roles})


def problem_statuses(route: RouteContext, method: str, operation: Doc) -> set[int]:
    """The problem statuses one operation of `route` can answer with (see the module's doc)."""
    calls = set(_calls(route.dependant))
    parameters = operation.get("parameters", [])
    statuses: set[int] = {503}
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(400)
    if method in _BODY_METHODS:
        statuses |= {413, 415}
    if operation.get("security"):
        statuses.add(401)
    if admitted_roles(route):
        statuses.add(403)
    if rate_limited in calls:
        statuses.add(429)
    if idempotency_key in calls:
        statuses |= {400, 409}
    if any(parameter["in"] == "path" for parameter in parameters):
        statuses.add(404)
    if method in _WRITES:
        statuses.add(409)
    return statuses


_PROBLEM_CONTENT: Doc = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}


def add_problem_responses(operation: Doc, statuses: set[int]) -> None:
    """Document `statuses` on `operation` as problem answers, where it does not already."""
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        if _is_error(status) and "content" not in response:
            response["content"] = copy.deepcopy(_PROBLEM_CONTENT)
    for status in sorted(statuses):
        documented = responses.get(str(status))
        if documented is None or _is_fastapi_validation_error(documented):
            responses[str(status)] = {
                "description": HTTPStatus(status).phrase,
                "content": copy.deepcopy(_PROBLEM_CONTENT),
            }
    operation["responses"] = dict(sorted(responses.items()))


def _is_error(status: str) -> bool:
    return status.isdigit() and int(status) >= 400


def _is_fastapi_validation_error(response: Doc) -> bool:
    schemas = (media.get("schema", {}) for media in response.get("content", {}).values())
    return any(schema.get("$ref", "").endswith("/HTTPValidationError") for schema in schemas)


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)
