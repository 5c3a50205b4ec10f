"""No input may carry the NUL character (U+0000): PostgreSQL's text types cannot hold it, so a
value with one fails in the database, as a 500, wherever it is stored or compared.

`refuse_nul` is a dependency of every route (create_service_app installs it): it refuses NUL in
a path parameter, a query parameter the route takes, a JSON body or a form, as a 422 problem
naming each field, before the route runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from qgov_shared.http.middleware import declares_body
from qgov_shared.http.problems import ProblemException, field_error, json_pointer

NUL = "\x00"
_DETAIL = "must not contain the NUL character (U+0000)"
# How NUL can appear in a body at all: JSON must escape it, a form must percent-encode it.
_JSON_NUL = b"\\u0000"
_FORM_NUL = b"%00"


async def refuse_nul(request: Request) -> None:
    errors = [*_in_parameters(request), *await _in_body(request)]
    if errors:
        raise ProblemException(422, f"Text {_DETAIL}; see `errors`.", errors=errors)


def _in_parameters(request: Request) -> Iterator[dict[str, str]]:
    for name, value in request.path_params.items():
        if NUL in str(value):
            yield {"parameter": name, "in": "path", "detail": _DETAIL}
    taken = _query_parameters(request.scope.get("route"))
    for name, value in request.query_params.multi_items():
        if name in taken and NUL in value:
            yield {"parameter": name, "in": "query", "detail": _DETAIL}


def _query_parameters(route: Any) -> frozenset[str]:
    """The query parameters a route takes; the others it never reads."""
    if not isinstance(route, APIRoute):
        return frozenset()
    return frozenset(_query_names(route.dependant))


def _query_names(dependant: Dependant) -> Iterator[str]:
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):  # `Annotated[M, Query()]`
            yield from (field.alias or name for name, field in model.model_fields.items())
        else:
            yield param.alias
    for dependency in dependant.dependencies:
        yield from _query_names(dependency)


async def _in_body(request: Request) -> list[dict[str, str]]:
    if not declares_body(request.scope):
        return []  # reading an absent body is still a trip through every middleware's receive
    try:
        body = await request.body()
    except RuntimeError:  # a route taking Form fields has had FastAPI parse the stream already
        return _in_form((await request.form()).multi_items())
    if _JSON_NUL in body:
        try:
            document = json.loads(body)
        except ValueError:
            return []  # not JSON: the route refuses it as such
        return [field_error(pointer, _DETAIL) for pointer in _pointers_to_nul(document, [])]
    if _FORM_NUL in body:
        return _in_form(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return []


def _in_form(pairs: Iterable[tuple[str, Any]]) -> list[dict[str, str]]:
    names = sorted({name for name, value in pairs if NUL in name or NUL in str(value)})
    return [{"parameter": name, "in": "form", "detail": _DETAIL} for name in names]


def _pointers_to_nul(value: Any, path: list[Any]) -> Iterator[str]:
    if isinstance(value, str) and NUL in value:
        yield json_pointer(path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers_to_nul(item, [*path, index])
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield json_pointer([*path, key])
            else:
                yield from _pointers_to_nul(item, [*path, key])
